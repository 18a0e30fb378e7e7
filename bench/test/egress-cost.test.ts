import { describe, expect, it } from 'vitest';
import {
  egressChoices,
  egressCosts,
  interfaceEndpointsMonthly,
  withEgress,
} from '../src/cost/egress';
import { monthlyCost } from '../src/cost/monthly';
import { priceTable } from '../src/cost/prices';
import type { DeploymentShape } from '../src/cost/shape';

/** The default Service Connect deployment's shape: two private ARM tasks, one ALB, one NAT. */
const defaultShape: DeploymentShape = {
  tasks: ['color', 'client'].map((name) => ({
    name,
    vcpu: 0.25,
    memoryMiB: 512,
    architecture: 'ARM64' as const,
    count: 1,
    containers: ['app', 'otel-collector'],
    publicIp: false,
  })),
  applicationLoadBalancers: 1,
  natGateways: 1,
  logGroups: 3,
  privateDnsNamespaces: 0,
  publicIpv4Addresses: 3,
};

const hourly = (perHour: number) => perHour * priceTable.hoursPerMonth;
const choice = (key: string) => egressChoices.find((c) => c.key === key)!;

describe('egress choices', () => {
  it('THEN a second NAT gateway adds its hours, its GB and its Elastic IP', () => {
    const one = monthlyCost(withEgress(defaultShape, choice('oneNat'))).total;
    const two = monthlyCost(withEgress(defaultShape, choice('twoNats'))).total;
    const expected = hourly(0.045) + 5 * 0.045 + hourly(0.005);
    expect(two - one).toBeCloseTo(expected, 1);
  });

  it('THEN no NAT gateway drops the NAT and its address but gives each task a public IP', () => {
    const shape = withEgress(defaultShape, choice('noNat'));
    expect(shape.natGateways).toBe(0);
    expect(shape.tasks.every((t) => t.publicIp)).toBe(true);
    // Two ALB nodes and two tasks.
    expect(shape.publicIpv4Addresses).toBe(4);
    const saving = monthlyCost(defaultShape).total - monthlyCost(shape).total;
    expect(saving).toBeCloseTo(hourly(0.045) + 5 * 0.045 + hourly(0.005) - hourly(0.005) * 2, 1);
  });

  it('THEN four interface endpoints in two AZs cost more than the NAT GB they save at demo traffic', () => {
    expect(interfaceEndpointsMonthly(0)).toBe(0);
    expect(interfaceEndpointsMonthly(4)).toBeCloseTo(4 * 2 * hourly(0.01) - 5 * 0.035, 2);
  });

  it('THEN every choice is priced with its trade-off, the no-NAT one cheapest and the endpoints dearest', () => {
    const costs = egressCosts(defaultShape);
    expect(costs.map((c) => c.key)).toEqual(['oneNat', 'twoNats', 'noNat', 'oneNatWithEndpoints']);
    const byKey = Object.fromEntries(costs.map((c) => [c.key, c.monthlyUsd]));
    expect(byKey.oneNat).toBe(monthlyCost(defaultShape).total);
    expect(byKey.noNat).toBeLessThan(byKey.oneNat!);
    expect(byKey.twoNats).toBeGreaterThan(byKey.oneNat!);
    expect(byKey.oneNatWithEndpoints).toBeGreaterThan(byKey.twoNats!);
    for (const cost of costs) expect(cost.tradeOff.length).toBeGreaterThan(30);
  });
});
