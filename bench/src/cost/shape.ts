import type { CpuArchitecture } from './prices';

/** One kind of Fargate task and how many run. Sidecars live inside the task's size. */
export interface TaskShape {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly architecture: CpuArchitecture;
  readonly count: number;
  /** Containers in the task (app and sidecars), for the reader. */
  readonly containers: readonly string[];
  readonly publicIp: boolean;
}

/** The billable parts of one deployment, whether read from a template or written by hand. */
export interface DeploymentShape {
  readonly tasks: readonly TaskShape[];
  readonly applicationLoadBalancers: number;
  readonly natGateways: number;
  readonly logGroups: number;
  readonly privateDnsNamespaces: number;
  /** ALB nodes in internet-facing zones, NAT gateways' Elastic IPs, tasks with public IPs. */
  readonly publicIpv4Addresses: number;
  /** `AWS::VpcLattice::Service` resources. @default 0 */
  readonly latticeServices?: number;
  /** Names in DNS Firewall domain lists, the catch-all `*` included. @default 0 */
  readonly dnsFirewallDomains?: number;
  /** VPCs a DNS Firewall rule group filters. @default 0 */
  readonly dnsFirewallVpcs?: number;
  /** `AWS::ECR::PullThroughCacheRule` resources (each stores its cached images). @default 0 */
  readonly pullThroughCacheRules?: number;
  /** VPCs whose DNS queries are logged (Resolver query logging). @default 0 */
  readonly dnsQueryLogVpcs?: number;
  /** Deploy-time SDK lookups (`Custom::AWS`), a Lambda run each deployment. @default 0 */
  readonly deployTimeLookups?: number;
}
