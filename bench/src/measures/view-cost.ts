import type { LocalMesh } from '@color-teller/local-mesh';
import { measureInterleaved } from '../load';
import type { MeasureResult } from '../report/figures';
import { round } from '../stats';

export const viewCostPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 } as const;

/** Two runs of one topology, side by side: one with the live view (and its tracing), one without. */
export interface ViewCostSystems {
  readonly withoutView: LocalMesh;
  readonly withView: LocalMesh;
}

/**
 * What the live view costs the data path: the same path's throughput with and without the view,
 * interleaved in the same run. A page follows the view's events meanwhile, as a user would.
 */
export async function measureViewCost(
  systems: ViewCostSystems,
  path: string,
  plan:
    | typeof viewCostPlan
    | {
        rounds: number;
        warmupSec: number;
        durationSec: number;
        connections: number;
      } = viewCostPlan,
): Promise<MeasureResult> {
  const watcher = new AbortController();
  const events = await fetch(`${systems.withView.viewUrl}/events`, { signal: watcher.signal });
  const drained = events.body!.pipeTo(new WritableStream()).catch(() => {});
  let measured;
  try {
    measured = await measureInterleaved(
      [
        { id: 'withoutView', url: `${systems.withoutView.url}${path}` },
        { id: 'withView', url: `${systems.withView.url}${path}` },
      ],
      plan,
    );
  } finally {
    watcher.abort();
    await drained;
  }
  const without = measured.withoutView?.median;
  const withView = measured.withView?.median;
  const failures = Object.values(measured)
    .flatMap((m) => m.runs)
    .reduce((sum, run) => sum + run.errors + run.timeouts + run.non2xx, 0);
  return {
    figures: [
      {
        id: 'view.without.requestsPerSec',
        label: 'canary path without the live view: requests/s',
        value: without?.requestsPerSec ?? null,
        unit: 'req/s',
      },
      {
        id: 'view.with.requestsPerSec',
        label: 'canary path with the live view (and a page following it): requests/s',
        value: withView?.requestsPerSec ?? null,
        unit: 'req/s',
      },
      {
        id: 'view.throughputCostPercent',
        label: 'throughput the live view costs the data path',
        value:
          without && withView && without.requestsPerSec > 0
            ? round((1 - withView.requestsPerSec / without.requestsPerSec) * 100, 1)
            : null,
        unit: '%',
      },
      {
        id: 'view.failures',
        label: 'failed requests during the view measure',
        value: failures,
        unit: 'requests',
      },
    ],
    details: { plan, measured },
  };
}
