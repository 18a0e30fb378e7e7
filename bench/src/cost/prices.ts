/**
 * On-demand list prices, region us-east-1 (N. Virginia), in USD, as AWS's public pricing pages
 * for Fargate, Elastic Load Balancing, VPC (NAT gateway, public IPv4), CloudWatch and Route 53
 * gave them in 2025-06 (the last date these were read; this machine cannot re-check them).
 * eu-west-1, the article's region, is about 10% dearer for Fargate.
 */
export const priceTable = {
  region: 'us-east-1',
  asOf: '2025-06',
  hoursPerMonth: 730,
  fargate: {
    X86_64: { perVcpuHour: 0.04048, perGbHour: 0.004445 },
    ARM64: { perVcpuHour: 0.03238, perGbHour: 0.00356 },
  },
  alb: { perHour: 0.0225, perLcuHour: 0.008 },
  natGateway: { perHour: 0.045, perGbProcessed: 0.045 },
  /** An interface VPC endpoint, per AZ it serves (gateway endpoints for S3 are free). */
  interfaceEndpoint: { perAzHour: 0.01, perGbProcessed: 0.01 },
  /** Every public IPv4 address (ALB nodes, NAT gateways' Elastic IPs, tasks with public IPs). */
  publicIpv4: { perHour: 0.005 },
  cloudWatchLogs: { perGbIngested: 0.5, perGbMonthStored: 0.03 },
  route53: { perHostedZoneMonth: 0.5 },
} as const;

/**
 * A demo's traffic, stated so that the rough parts of the bill are visible assumptions:
 * one browser polling twice every 5 s and a little more.
 */
export const demoUsage = {
  /** Average ALB capacity units used; an LCU is 25 new connections/s or 1 GB/h, far above a demo. */
  albLcu: 0.1,
  /** GB through each NAT gateway per month: image pulls on deploys and AWS API calls. */
  natGbPerGateway: 5,
  /** GB of logs per log group per month: a JSON line per request at a poll every 2.5 s. */
  logGbPerGroup: 0.1,
  /** Internet-facing load balancers have a node, and so a public IPv4 address, per zone. */
  albZones: 2,
} as const;

export type CpuArchitecture = keyof typeof priceTable.fargate;
