import { round } from '../stats';
import {
  deployTimeLookupsMonthlyCost,
  dnsQueryLogsMonthlyCost,
  pullThroughCacheMonthlyCost,
} from './deploy-extras';
import { dnsFirewallMonthlyCost, firewallDemoUsage } from './dns-firewall';
import { demoUsage, priceTable } from './prices';
import type { DeploymentShape } from './shape';
import { latticeMonthlyCost } from './vpc-lattice';

export interface MonthlyCost {
  readonly fargate: number;
  readonly loadBalancer: number;
  readonly natGateways: number;
  readonly publicIpv4: number;
  readonly logs: number;
  readonly dns: number;
  readonly vpcLattice: number;
  readonly dnsFirewall: number;
  /** ECR storage of the images pulled through the cache. */
  readonly registry: number;
  readonly dnsQueryLogs: number;
  /** The Lambda functions that look things up at deployment (the Lattice prefix list). */
  readonly deployTimeLookups: number;
  readonly total: number;
}

/** The monthly on-demand bill of a deployment shape, in USD, rounded to cents. */
export function monthlyCost(shape: DeploymentShape): MonthlyCost {
  const hours = priceTable.hoursPerMonth;
  const fargate = shape.tasks.reduce((sum, task) => {
    const price = priceTable.fargate[task.architecture];
    const perHour = task.vcpu * price.perVcpuHour + (task.memoryMiB / 1024) * price.perGbHour;
    return sum + perHour * hours * task.count;
  }, 0);
  const loadBalancer =
    shape.applicationLoadBalancers *
    hours *
    (priceTable.alb.perHour + demoUsage.albLcu * priceTable.alb.perLcuHour);
  const natGateways =
    shape.natGateways *
    (hours * priceTable.natGateway.perHour +
      demoUsage.natGbPerGateway * priceTable.natGateway.perGbProcessed);
  const publicIpv4 = shape.publicIpv4Addresses * hours * priceTable.publicIpv4.perHour;
  const logs =
    shape.logGroups *
    demoUsage.logGbPerGroup *
    (priceTable.cloudWatchLogs.perGbIngested + priceTable.cloudWatchLogs.perGbMonthStored);
  const dns = shape.privateDnsNamespaces * priceTable.route53.perHostedZoneMonth;
  const vpcLattice = latticeMonthlyCost(shape.latticeServices ?? 0, hours);
  const dnsFirewall = dnsFirewallMonthlyCost(
    shape.dnsFirewallDomains ?? 0,
    shape.dnsFirewallVpcs ?? 0,
  );
  const registry = pullThroughCacheMonthlyCost(shape.pullThroughCacheRules ?? 0);
  const dnsQueryLogs = dnsQueryLogsMonthlyCost(
    shape.dnsQueryLogVpcs ?? 0,
    firewallDemoUsage.dnsQueriesPerMonth,
  );
  const deployTimeLookups = deployTimeLookupsMonthlyCost(shape.deployTimeLookups ?? 0);
  const parts = {
    fargate,
    loadBalancer,
    natGateways,
    publicIpv4,
    logs,
    dns,
    vpcLattice,
    dnsFirewall,
    registry,
    dnsQueryLogs,
    deployTimeLookups,
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return {
    fargate: round(fargate, 2),
    loadBalancer: round(loadBalancer, 2),
    natGateways: round(natGateways, 2),
    publicIpv4: round(publicIpv4, 2),
    logs: round(logs, 2),
    dns: round(dns, 2),
    vpcLattice: round(vpcLattice, 2),
    dnsFirewall: round(dnsFirewall, 2),
    registry: round(registry, 2),
    dnsQueryLogs: round(dnsQueryLogs, 2),
    deployTimeLookups: round(deployTimeLookups, 2),
    total: round(total, 2),
  };
}
