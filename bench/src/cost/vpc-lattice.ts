/**
 * VPC Lattice on-demand list prices, us-east-1 (N. Virginia), in USD, from AWS's VPC Lattice
 * pricing page as read in 2026: each service is billed per hour, per GB it processes (request
 * plus response) and per HTTP request beyond a free tier counted per service and hour.
 */
export const latticePrices = {
  region: 'us-east-1',
  asOf: '2026',
  perServiceHour: 0.025,
  perGbProcessed: 0.025,
  perMillionRequests: 0.1,
  freeRequestsPerServiceHour: 300_000,
} as const;

/** A demo's traffic through each Lattice service: one browser polling every 2.5 s. */
export const latticeDemoUsage = {
  requestsPerHour: 1_440,
  /** About 1 KB a request and its answer, over a month. */
  gbPerMonth: 1,
} as const;

export interface LatticeUsage {
  readonly requestsPerHour: number;
  readonly gbPerMonth: number;
}

/** The monthly bill of `services` Lattice services carrying `usage` each, in USD (unrounded). */
export function latticeMonthlyCost(
  services: number,
  hoursPerMonth: number,
  usage: LatticeUsage = latticeDemoUsage,
): number {
  const billedRequestsPerHour = Math.max(
    0,
    usage.requestsPerHour - latticePrices.freeRequestsPerServiceHour,
  );
  const perService =
    hoursPerMonth * latticePrices.perServiceHour +
    usage.gbPerMonth * latticePrices.perGbProcessed +
    (billedRequestsPerHour * hoursPerMonth * latticePrices.perMillionRequests) / 1_000_000;
  return services * perService;
}
