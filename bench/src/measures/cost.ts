import path from 'node:path';
import { articleSizing } from '../cost/article-sizing';
import {
  firewallDemoUsage,
  firewallPrices,
  networkFirewallMonthlyCost,
} from '../cost/dns-firewall';
import { egressCosts } from '../cost/egress';
import { monthlyCost, type MonthlyCost } from '../cost/monthly';
import { demoUsage, priceTable } from '../cost/prices';
import { latticeDemoUsage, latticePrices } from '../cost/vpc-lattice';
import type { DeploymentShape } from '../cost/shape';
import { loadTemplates, shapeFromTemplates } from '../cost/template';
import { repoRoot } from '../harness/paths';
import type { Figure, MeasureResult } from '../report/figures';
import { round } from '../stats';

export const flavors = ['service-connect', 'vpc-lattice', 'appmesh'] as const;

function costFigures(
  key: string,
  label: string,
  cost: MonthlyCost | null,
  note?: string,
): Figure[] {
  return [
    {
      id: `cost.${key}.monthlyUsd`,
      label: `monthly cost: ${label}`,
      value: cost?.total ?? null,
      unit: 'USD',
      note: note ?? (cost ? breakdown(cost) : undefined),
    },
    {
      id: `cost.${key}.dailyUsd`,
      label: `daily cost: ${label}`,
      value: cost ? round(cost.total / 30.4, 2) : null,
      unit: 'USD',
      note,
    },
  ];
}

/**
 * The default deployment's bill under each egress choice (`-c natGateways`, endpoints), and what
 * AWS Network Firewall would add to stop what DNS filtering cannot (a literal IP address).
 */
function egressFigures(shape: DeploymentShape): Figure[] {
  const choices = egressCosts(shape).map((choice) => ({
    id: `cost.egress.${choice.key}.monthlyUsd`,
    label: `monthly cost, service-connect, egress ${choice.key}`,
    value: choice.monthlyUsd,
    unit: 'USD',
    note: choice.tradeOff,
  }));
  const zones = demoUsage.albZones;
  const networkFirewall = {
    id: 'cost.egress.networkFirewall.addedMonthlyUsd',
    label: 'monthly cost AWS Network Firewall would add (not built)',
    value: round(networkFirewallMonthlyCost(zones, priceTable.hoursPerMonth), 2),
    unit: 'USD',
    note: `an endpoint in each of ${zones} AZs and ${firewallDemoUsage.gbInspectedPerMonth} GB inspected; it filters by TLS SNI and IP, so a literal address is stopped too`,
  };
  return [...choices, networkFirewall];
}

function breakdown(cost: MonthlyCost): string {
  return `Fargate $${cost.fargate}, ALB $${cost.loadBalancer}, NAT $${cost.natGateways}, public IPv4 $${cost.publicIpv4}, logs $${cost.logs}, DNS $${cost.dns}, VPC Lattice $${cost.vpcLattice}, DNS Firewall $${cost.dnsFirewall}, registry $${cost.registry}, DNS query logs $${cost.dnsQueryLogs}, deploy-time lookups $${cost.deployTimeLookups}`;
}

/**
 * Measure 7: the monthly on-demand bill of each flavor's default deployment, read from its
 * synthesized templates, next to the article's sizing priced the same way.
 */
export async function measureCost(cdkOut = path.join(repoRoot, 'cdk.out')): Promise<MeasureResult> {
  const figures: Figure[] = [];
  const shapes: Record<string, DeploymentShape | string> = {};
  const costs: Record<string, MonthlyCost> = {};
  for (const flavor of flavors) {
    try {
      const shape = shapeFromTemplates(await loadTemplates(path.join(cdkOut, flavor)));
      shapes[flavor] = shape;
      costs[flavor] = monthlyCost(shape);
      figures.push(...costFigures(flavor, `${flavor} default deployment`, costs[flavor]));
    } catch (error) {
      shapes[flavor] = (error as Error).message;
      figures.push(
        ...costFigures(flavor, `${flavor} default deployment`, null, (error as Error).message),
      );
    }
  }
  const serviceConnect = shapes['service-connect'];
  if (typeof serviceConnect === 'object') figures.push(...egressFigures(serviceConnect));
  costs.article = monthlyCost(articleSizing);
  figures.push(
    ...costFigures(
      'article',
      "the article's sizing (1 GiB x86 tasks, 256 MiB X-Ray)",
      costs.article,
    ),
  );
  const article = costs.article.total;
  return {
    figures,
    details: {
      priceTable,
      demoUsage,
      latticePrices,
      latticeDemoUsage,
      firewallPrices,
      firewallDemoUsage,
      shapes: { ...shapes, article: articleSizing },
      costs,
    },
    notes: [
      `Prices: on-demand, ${priceTable.region}, as of ${priceTable.asOf}, ${priceTable.hoursPerMonth} h a month. ` +
        `VPC Lattice: ${latticePrices.region} prices as of ${latticePrices.asOf}. ` +
        `DNS Firewall and Network Firewall: ${firewallPrices.region} prices as of ${firewallPrices.asOf}, ${firewallDemoUsage.dnsQueriesPerMonth / 1e6} million queries a month. ` +
        `The article's "a few spare bucks": its system left running costs about $${round(article / 30.4, 2)} a day, $${article} a month; a one-hour try costs about $${round(article / priceTable.hoursPerMonth, 2)}.`,
      ...flavors
        .filter((flavor) => costs[flavor])
        .map(
          (flavor) =>
            `${flavor}: $${costs[flavor]?.total} a month, $${round((costs[flavor]?.total ?? 0) / priceTable.hoursPerMonth, 2)} an hour (${breakdown(costs[flavor] as MonthlyCost)}).`,
        ),
    ],
  };
}
