/**
 * The small parts of the bill the egress and Lattice hardening added: the ECR pull-through cache
 * that stores the collector image in the account's registry, Route 53 Resolver query logs when
 * `-c dnsQueryLogs=true`, and the deploy-time lookup of the Lattice prefix list (a Lambda function
 * run once per deployment). HTTPS on Lattice listeners adds nothing: Lattice bills per service,
 * GB and request whatever the protocol, and its certificate is Lattice's own.
 * On-demand list prices, us-east-1, in USD, as AWS's ECR, CloudWatch and Lambda pricing pages gave
 * them in 2025 (not re-checked from this machine, which has no way out).
 */
export const extrasPrices = {
  region: 'us-east-1',
  asOf: '2025',
  /** ECR private registry storage; a pull-through cache bills only what it stores. */
  ecrPerGbMonth: 0.1,
  /** Vended logs (Resolver query logs) delivered to CloudWatch Logs, first tier, plus storage. */
  vendedLogsPerGbIngested: 0.5,
  logsPerGbMonthStored: 0.03,
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecond: 0.0000166667,
} as const;

export const extrasDemoUsage = {
  /** The collector image's arm64 layers as cached (compressed), GB. */
  cachedCollectorGb: 0.1,
  /** A resolver query log line is about 0.5 KB (JSON with the query, answer and firewall action). */
  bytesPerQueryLogLine: 500,
  /** Deployments a month, each running the prefix-list lookup once. */
  deploymentsPerMonth: 30,
  /** The lookup: one EC2 call from a 128 MB function, about two seconds with its cold start. */
  lookupGbSeconds: 0.128 * 2,
} as const;

/** Storage of the images `rules` pull-through cache rules hold (unrounded). */
export function pullThroughCacheMonthlyCost(rules: number): number {
  return rules * extrasDemoUsage.cachedCollectorGb * extrasPrices.ecrPerGbMonth;
}

/** Query logs of `configs` logged VPCs, each asking `queriesPerMonth` names (unrounded). */
export function dnsQueryLogsMonthlyCost(configs: number, queriesPerMonth: number): number {
  const gb = (queriesPerMonth * extrasDemoUsage.bytesPerQueryLogLine) / 1e9;
  return configs * gb * (extrasPrices.vendedLogsPerGbIngested + extrasPrices.logsPerGbMonthStored);
}

/** `lookups` deploy-time lookup functions, each run once a deployment (unrounded). */
export function deployTimeLookupsMonthlyCost(lookups: number): number {
  const runs = lookups * extrasDemoUsage.deploymentsPerMonth;
  return (
    (runs * extrasPrices.lambdaPerMillionRequests) / 1e6 +
    runs * extrasDemoUsage.lookupGbSeconds * extrasPrices.lambdaPerGbSecond
  );
}
