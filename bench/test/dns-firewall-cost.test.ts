import { describe, expect, it } from 'vitest';
import {
  dnsFirewallMonthlyCost,
  firewallDemoUsage,
  firewallPrices,
  networkFirewallMonthlyCost,
} from '../src/cost/dns-firewall';
import { monthlyCost } from '../src/cost/monthly';
import { articleSizing } from '../src/cost/article-sizing';
import { shapeFromTemplates } from '../src/cost/template';

/** The DNS Firewall as the ECS native flavors synthesize it: two lists and a VPC association. */
const firewallTemplate = {
  Resources: {
    Allowed: {
      Type: 'AWS::Route53Resolver::FirewallDomainList',
      Properties: {
        Domains: ['api.color.pizza', 'public.ecr.aws', 'logs.us-east-1.amazonaws.com'],
      },
    },
    Everything: {
      Type: 'AWS::Route53Resolver::FirewallDomainList',
      Properties: { Domains: ['*'] },
    },
    Association: { Type: 'AWS::Route53Resolver::FirewallRuleGroupAssociation', Properties: {} },
  },
};

describe('the DNS Firewall in the cost table', () => {
  it('reads the listed names and the filtered VPCs from a template', () => {
    expect(shapeFromTemplates([firewallTemplate])).toMatchObject({
      dnsFirewallDomains: 4,
      dnsFirewallVpcs: 1,
    });
  });

  it('prices each listed name per month and the VPC’s queries per million', () => {
    const { perDomainMonth, perMillionQueries } = firewallPrices.dnsFirewall;
    expect(dnsFirewallMonthlyCost(4, 1, 2_000_000)).toBeCloseTo(
      4 * perDomainMonth + 2 * perMillionQueries,
      6,
    );
    expect(dnsFirewallMonthlyCost(4, 0)).toBeCloseTo(4 * perDomainMonth, 6);
  });

  it('adds the firewall to the monthly bill of a shape that has one, and nothing to one without', () => {
    const withFirewall = { ...articleSizing, dnsFirewallDomains: 4, dnsFirewallVpcs: 1 };
    const expected = dnsFirewallMonthlyCost(4, 1, firewallDemoUsage.dnsQueriesPerMonth);
    const cost = monthlyCost(withFirewall);
    expect(cost.dnsFirewall).toBeCloseTo(expected, 2);
    expect(cost.total).toBeCloseTo(monthlyCost(articleSizing).total + expected, 1);
    expect(monthlyCost(articleSizing).dnsFirewall).toBe(0);
  });

  it('prices Network Firewall per endpoint-hour in each AZ and per GB inspected', () => {
    const { perEndpointHour, perGbProcessed } = firewallPrices.networkFirewall;
    expect(networkFirewallMonthlyCost(2, 730, 10)).toBeCloseTo(
      2 * 730 * perEndpointHour + 10 * perGbProcessed,
      6,
    );
  });
});
