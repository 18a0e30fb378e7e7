import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { monthlyCost } from '../src/cost/monthly';
import { priceTable } from '../src/cost/prices';
import { loadTemplates, shapeFromTemplates } from '../src/cost/template';
import { latticeMonthlyCost, latticePrices } from '../src/cost/vpc-lattice';

const latticeFixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/vpc-lattice',
);

describe('VPC Lattice pricing', () => {
  it('counts each AWS::VpcLattice::Service of a template, not its network, listeners or target groups', async () => {
    const shape = shapeFromTemplates(await loadTemplates(latticeFixture));
    expect(shape.latticeServices).toBe(2);
  });

  it('prices two services for a month of demo traffic: service-hours plus processed GB', async () => {
    const cost = monthlyCost(shapeFromTemplates(await loadTemplates(latticeFixture)));
    // 2 services × 730 h × $0.025, plus 1 GB each at $0.025; the demo's requests stay free.
    expect(cost.vpcLattice).toBeCloseTo(2 * (730 * 0.025 + 0.025), 2);
    expect(cost.total).toBeCloseTo(cost.fargate + cost.publicIpv4 + cost.vpcLattice, 1);
  });

  it('charges requests only beyond the free tier of each service-hour', () => {
    const hours = priceTable.hoursPerMonth;
    const free = latticePrices.freeRequestsPerServiceHour;
    const atFreeTier = latticeMonthlyCost(1, hours, { requestsPerHour: free, gbPerMonth: 0 });
    const aboveFreeTier = latticeMonthlyCost(1, hours, {
      requestsPerHour: free + 1_000_000,
      gbPerMonth: 0,
    });
    expect(atFreeTier).toBeCloseTo(hours * latticePrices.perServiceHour, 6);
    // A million billed requests an hour for 730 hours at $0.10 a million.
    expect(aboveFreeTier - atFreeTier).toBeCloseTo(hours * 0.1, 6);
  });

  it('costs nothing when a deployment has no Lattice service', () => {
    expect(latticeMonthlyCost(0, priceTable.hoursPerMonth)).toBe(0);
  });
});
