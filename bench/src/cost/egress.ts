/**
 * How tasks reach registries and AWS APIs, and what each way costs a month: the NAT gateway and
 * the public IPv4 addresses are most of the default deployment's bill, not the tasks.
 */
import { round } from '../stats';
import { monthlyCost } from './monthly';
import { demoUsage, priceTable } from './prices';
import type { DeploymentShape } from './shape';

export interface EgressChoice {
  readonly key: string;
  /** `-c natGateways=<n>` */
  readonly natGateways: number;
  /** Interface endpoints per AZ (ECR API, ECR Docker, CloudWatch Logs, X-Ray); the S3 gateway endpoint is free. */
  readonly interfaceEndpoints: number;
  readonly tradeOff: string;
}

export const egressChoices: readonly EgressChoice[] = [
  {
    key: 'oneNat',
    natGateways: 1,
    interfaceEndpoints: 0,
    tradeOff:
      'the default: tasks stay private; an outage of the NAT gateway’s AZ cuts both AZs’ egress (image pulls, logs, traces)',
  },
  {
    key: 'twoNats',
    natGateways: 2,
    interfaceEndpoints: 0,
    tradeOff: 'tasks stay private and each AZ keeps its own egress through an AZ outage',
  },
  {
    key: 'noNat',
    natGateways: 0,
    interfaceEndpoints: 0,
    tradeOff:
      'each task gets a public IP (reachable only through its security group, which admits only the hop before it); no NAT in the path',
  },
  {
    key: 'oneNatWithEndpoints',
    natGateways: 1,
    interfaceEndpoints: 4,
    tradeOff:
      'registry, log and trace traffic stays on AWS’s network; pays off only above about 1.6 TB a month through the NAT gateway',
  },
];

/** The shape as it would be with `choice`'s egress (tasks' public IPs and NAT gateways' Elastic IPs follow). */
export function withEgress(shape: DeploymentShape, choice: EgressChoice): DeploymentShape {
  const tasksWithIps = (publicIp: boolean) =>
    shape.tasks.filter((t) => t.publicIp === publicIp).reduce((sum, t) => sum + t.count, 0);
  const albAddresses = shape.publicIpv4Addresses - shape.natGateways - tasksWithIps(true);
  const taskAddresses = choice.natGateways === 0 ? tasksWithIps(true) + tasksWithIps(false) : 0;
  return {
    ...shape,
    tasks: shape.tasks.map((t) => ({ ...t, publicIp: choice.natGateways === 0 })),
    natGateways: choice.natGateways,
    publicIpv4Addresses: albAddresses + choice.natGateways + taskAddresses,
  };
}

/** Interface endpoints bill by the hour in each AZ, plus their GB (the NAT's GB move to them). */
export function interfaceEndpointsMonthly(endpointsPerAz: number): number {
  if (endpointsPerAz === 0) return 0;
  const price = priceTable.interfaceEndpoint;
  const hourly = endpointsPerAz * demoUsage.albZones * priceTable.hoursPerMonth * price.perAzHour;
  const moved =
    demoUsage.natGbPerGateway * (price.perGbProcessed - priceTable.natGateway.perGbProcessed);
  return hourly + moved;
}

export interface EgressCost {
  readonly key: string;
  readonly monthlyUsd: number;
  readonly tradeOff: string;
}

/** Each egress choice's monthly bill for `shape`, with its trade-off. */
export function egressCosts(shape: DeploymentShape): EgressCost[] {
  return egressChoices.map((choice) => ({
    key: choice.key,
    monthlyUsd: round(
      monthlyCost(withEgress(shape, choice)).total +
        interfaceEndpointsMonthly(choice.interfaceEndpoints),
      2,
    ),
    tradeOff: choice.tradeOff,
  }));
}
