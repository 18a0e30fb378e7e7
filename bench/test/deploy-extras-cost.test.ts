import { describe, expect, it } from 'vitest';
import { articleSizing } from '../src/cost/article-sizing';
import {
  deployTimeLookupsMonthlyCost,
  dnsQueryLogsMonthlyCost,
  extrasDemoUsage,
  extrasPrices,
  pullThroughCacheMonthlyCost,
} from '../src/cost/deploy-extras';
import { monthlyCost } from '../src/cost/monthly';
import { shapeFromTemplates, type CfnTemplate } from '../src/cost/template';

/** A template with only the resources the hardening added, each once. */
const hardened: CfnTemplate = {
  Resources: {
    Cache: { Type: 'AWS::ECR::PullThroughCacheRule', Properties: {} },
    Queries: {
      Type: 'AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation',
      Properties: {},
    },
    PrefixList: { Type: 'Custom::AWS', Properties: {} },
    Listener: { Type: 'AWS::VpcLattice::Listener', Properties: { Protocol: 'HTTPS' } },
  },
};

describe('the pull-through cache, DNS query logs and the deploy-time lookup', () => {
  it('are read from a template, one each', () => {
    expect(shapeFromTemplates([hardened])).toMatchObject({
      pullThroughCacheRules: 1,
      dnsQueryLogVpcs: 1,
      deployTimeLookups: 1,
    });
  });

  it('price the cached image as ECR storage and the query log lines as vended logs', () => {
    expect(pullThroughCacheMonthlyCost(1)).toBeCloseTo(0.1 * 0.1, 6);
    // A million queries of 0.5 KB: 0.5 GB ingested ($0.50 a GB) and stored ($0.03 a GB-month).
    expect(dnsQueryLogsMonthlyCost(1, 1_000_000)).toBeCloseTo(0.5 * 0.53, 6);
    expect(dnsQueryLogsMonthlyCost(0, 1_000_000)).toBe(0);
  });

  it('cost the lookup a fraction of a cent: thirty runs a month of a two-second function', () => {
    const runs = extrasDemoUsage.deploymentsPerMonth;
    expect(deployTimeLookupsMonthlyCost(1)).toBeCloseTo(
      (runs * 0.2) / 1e6 + runs * 0.256 * extrasPrices.lambdaPerGbSecond,
      9,
    );
    expect(deployTimeLookupsMonthlyCost(1)).toBeLessThan(0.001);
  });

  it('join the monthly bill, and HTTPS listeners add nothing to it', () => {
    const shape = {
      ...articleSizing,
      ...shapeFromTemplates([hardened]),
      tasks: articleSizing.tasks,
    };
    const cost = monthlyCost(shape);
    expect(cost.registry).toBe(0.01);
    expect(cost.dnsQueryLogs).toBe(0.27);
    expect(cost.deployTimeLookups).toBe(0);
    expect(cost.vpcLattice).toBe(0);
    const base = monthlyCost(articleSizing);
    expect(base.registry + base.dnsQueryLogs + base.deployTimeLookups).toBe(0);
  });
});
