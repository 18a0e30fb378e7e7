/**
 * What limiting egress costs: the Route 53 Resolver DNS Firewall the ECS native flavors put on
 * their VPC, and AWS Network Firewall, which would also stop literal IP addresses, for comparison.
 * On-demand list prices, us-east-1, in USD, as AWS's Route 53 and Network Firewall pricing pages
 * gave them in 2025 (not re-checked from this machine, which has no way out).
 */
export const firewallPrices = {
  region: 'us-east-1',
  asOf: '2025',
  dnsFirewall: { perDomainMonth: 0.0015, perMillionQueries: 0.6 },
  /** Per firewall endpoint, one per AZ served; NAT processing of the same bytes is waived. */
  networkFirewall: { perEndpointHour: 0.395, perGbProcessed: 0.065 },
} as const;

/** A demo's DNS and outbound traffic through the firewall, per VPC and month. */
export const firewallDemoUsage = {
  /**
   * Node caches no DNS answers: every new connection to logs, X-Ray, the registry or an external
   * asks again. About one query every 2–3 s from the whole system.
   */
  dnsQueriesPerMonth: 1_000_000,
  /** The NAT gateway's GB (image pulls on deploys, AWS API calls), now inspected as well. */
  gbInspectedPerMonth: 5,
} as const;

/** The DNS Firewall's monthly bill for `domains` listed names filtering `vpcs` VPCs (unrounded). */
export function dnsFirewallMonthlyCost(
  domains: number,
  vpcs: number,
  queriesPerVpcMonth: number = firewallDemoUsage.dnsQueriesPerMonth,
): number {
  const { perDomainMonth, perMillionQueries } = firewallPrices.dnsFirewall;
  return domains * perDomainMonth + (vpcs * queriesPerVpcMonth * perMillionQueries) / 1_000_000;
}

/** AWS Network Firewall with an endpoint in each of `zones` AZs, for a month (unrounded). */
export function networkFirewallMonthlyCost(
  zones: number,
  hoursPerMonth: number,
  gbPerMonth: number = firewallDemoUsage.gbInspectedPerMonth,
): number {
  const { perEndpointHour, perGbProcessed } = firewallPrices.networkFirewall;
  return zones * hoursPerMonth * perEndpointHour + gbPerMonth * perGbProcessed;
}
