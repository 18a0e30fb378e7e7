import { measureInterleaved, runLoad } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { round } from '../stats';

export const routerPlan = {
  rounds: 3,
  warmupSec: 1,
  durationSec: 3,
  connections: 50,
  shareRequests: 10_000,
  /** Allowed distance of a version's measured share from its weight, in points. */
  sharePoints: 2,
} as const;

export interface CanaryVersion {
  readonly name: string;
  /** Percent of unrouted traffic the topology gives it. */
  readonly weightPercent: number;
  /** What the backend answers as `color`, which tells the versions apart. */
  readonly color: string;
}

/** Counts answers by the `color` field of the backend's JSON; anything else counts as `other`. */
export function countColors(): {
  record(status: number, body: string): void;
  counts: Map<string, number>;
} {
  const counts = new Map<string, number>();
  return {
    counts,
    record(status, body) {
      let key = `status ${status}`;
      if (status === 200) {
        try {
          key = String((JSON.parse(body) as { color?: unknown }).color);
        } catch {
          key = 'unparseable body';
        }
      }
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
  };
}

/** Measure 2: the canary topology's path, and each version's share over 10,000 requests. */
export async function measureRouter(
  url: string,
  versions: readonly CanaryVersion[],
): Promise<MeasureResult> {
  const measured = await measureInterleaved([{ id: 'canary', url }], routerPlan);
  const path = measured.canary?.median;
  const tally = countColors();
  await runLoad({
    url,
    connections: routerPlan.connections,
    amount: routerPlan.shareRequests,
    onResponse: (status, body) => tally.record(status, body),
  });
  const answered = [...tally.counts.values()].reduce((a, b) => a + b, 0);
  const figures: Figure[] = [
    {
      id: 'router.canary.requestsPerSec',
      label: 'canary path (router): requests/s',
      value: path?.requestsPerSec ?? null,
      unit: 'req/s',
    },
    {
      id: 'router.canary.p50Ms',
      label: 'canary path (router): p50 latency',
      value: path?.p50Ms ?? null,
      unit: 'ms',
    },
    {
      id: 'router.canary.p99Ms',
      label: 'canary path (router): p99 latency',
      value: path?.p99Ms ?? null,
      unit: 'ms',
    },
  ];
  for (const version of versions) {
    const share = answered === 0 ? 0 : ((tally.counts.get(version.color) ?? 0) * 100) / answered;
    figures.push({
      id: `router.share.${version.name}.deviationPoints`,
      label: `canary share of ${version.name}: |measured − weight| (${round(share, 1)}% vs ${round(version.weightPercent, 1)}%)`,
      value: round(Math.abs(share - version.weightPercent), 2),
      unit: 'points',
      target: { op: '<=', value: routerPlan.sharePoints },
    });
  }
  return {
    figures,
    details: { plan: routerPlan, measured, shares: Object.fromEntries(tally.counts), answered },
  };
}
