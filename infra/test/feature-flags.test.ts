import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../lib/app';
import { FLAG_OVERRIDES, applyFeatureFlags, featureFlags } from '../lib/feature-flags';

const recommended = JSON.parse(
  readFileSync(
    join(REPOSITORY_ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'),
    'utf8',
  ),
) as Record<string, unknown>;

describe('the root cdk.json', () => {
  it('holds every flag cdk init sets for this aws-cdk-lib, departing only where an override says why', () => {
    const expected = {
      ...recommended,
      ...Object.fromEntries(Object.entries(FLAG_OVERRIDES).map(([key, o]) => [key, o.value])),
    };
    expect(featureFlags(REPOSITORY_ROOT)).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(85);
    for (const [flag, override] of Object.entries(FLAG_OVERRIDES)) {
      expect(recommended[flag], flag).not.toEqual(override.value);
      expect(override.reason.length, flag).toBeGreaterThan(40);
    }
  });

  it('is the only cdk.json: the one in infra/ was never read', () => {
    expect(existsSync(join(REPOSITORY_ROOT, 'cdk.json'))).toBe(true);
    expect(existsSync(join(REPOSITORY_ROOT, 'infra/cdk.json'))).toBe(false);
  });
});

describe('applyFeatureFlags', () => {
  it("gives an app built in code the flags, and leaves the command line's values alone", () => {
    const app = new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': false } });
    applyFeatureFlags(app, REPOSITORY_ROOT);
    expect(app.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBe(false);
    expect(app.node.tryGetContext('@aws-cdk/aws-ecs:removeDefaultDeploymentAlarm')).toBe(true);
    expect(app.node.tryGetContext('@aws-cdk/aws-ec2:restrictDefaultSecurityGroup')).toBe(false);
  });
});
