import type { MeshProcess } from '../harness/mesh-process';
import { cpuSpent, readTreeCpu, type TreeCpu } from '../harness/process-tree';
import { measureInterleaved, responsesOf, runLoad, type TargetFigures } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio, round } from '../stats';

export const viewCostPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 } as const;

/** Two runs of one topology, side by side: one with the live view (and its tracing), one without. */
export interface ViewCostSystems {
  readonly withoutView: MeshProcess;
  readonly withView: MeshProcess;
}

type Plan = { rounds: number; warmupSec: number; durationSec: number; connections: number };

/** A page following the view's server-sent events, as a user's browser tab would. */
function followEvents(viewUrl: string) {
  const watcher = new AbortController();
  let events = 0;
  const counting = new WritableStream<Uint8Array>({
    write(chunk) {
      // Each event ends with a blank line; a chunk holds whole events or parts of one.
      for (const byte of chunk) if (byte === 10) events += 0.5;
    },
  });
  const following = fetch(`${viewUrl}/events`, { signal: watcher.signal }).then((events) =>
    events.body!.pipeTo(counting),
  );
  return {
    /** Events received so far. */
    events: () => Math.floor(events),
    stop: async () => {
      watcher.abort();
      await following.catch(() => {});
    },
  };
}

/** Share of the lower saturated throughput the fixed-rate rounds ask for. */
const FIXED_RATE_SHARE = 0.5;

/**
 * CPU per 1,000 requests of each mesh at one fixed request rate, the two loaded in turn for
 * `plan.rounds` rounds. Both then do the same work at the same pace, so the ratio holds steadier
 * than at saturation on a machine others load: there, a mesh that gets less of the CPU answers
 * fewer requests per wake-up and pays more per request.
 */
async function cpuAtFixedRate(
  systems: ViewCostSystems,
  path: string,
  plan: Plan,
  requestsPerSec: number,
) {
  const meshes = [systems.withoutView, systems.withView] as const;
  const spentMs = [0, 0];
  const answered = [0, 0];
  for (let round = 0; round < plan.rounds; round++) {
    for (const [i, mesh] of meshes.entries()) {
      const before = await readTreeCpu(mesh.pid);
      const run = await runLoad({
        url: `${mesh.url}${path}`,
        connections: plan.connections,
        durationSec: plan.durationSec,
        overallRate: requestsPerSec,
      });
      spentMs[i]! += cpuSpent(before, await readTreeCpu(mesh.pid)).totalMs;
      answered[i]! += run.responses;
    }
  }
  const per1000 = (i: number) =>
    answered[i]! > 0 ? round((spentMs[i]! * 1000) / answered[i]!, 1) : null;
  return { requestsPerSec, without: per1000(0), with: per1000(1), answered };
}

/** CPU-ms of the whole mesh (runner and every process under it) per 1,000 answered requests. */
function perThousand(cpuMs: number, target: TargetFigures | undefined): number | null {
  const responses = target ? responsesOf(target) : 0;
  return responses > 0 ? round((cpuMs * 1000) / responses, 1) : null;
}

/**
 * What the live view costs the local system: the same path's throughput, and the CPU per
 * request of every process of each mesh (runner included, from /proc over the measured rounds
 * only), with and without the view, interleaved in the same run: as many requests as each
 * answers, then the same fixed rate for both. A page follows the view's events meanwhile, as a
 * user would.
 */
export async function measureViewCost(
  systems: ViewCostSystems,
  path: string,
  plan: Plan = viewCostPlan,
): Promise<MeasureResult> {
  if (!systems.withView.viewUrl) throw new Error('the mesh "with the view" runs no live view');
  const page = followEvents(systems.withView.viewUrl);
  const atStart: { withoutView?: TreeCpu; withView?: TreeCpu; events?: number } = {};
  let measured: Record<string, TargetFigures>;
  let cpu: { withoutView: ReturnType<typeof cpuSpent>; withView: ReturnType<typeof cpuSpent> };
  let eventsMeasured: number;
  let fixedRate: Awaited<ReturnType<typeof cpuAtFixedRate>> | undefined;
  try {
    measured = await measureInterleaved(
      [
        { id: 'withoutView', url: `${systems.withoutView.url}${path}` },
        { id: 'withView', url: `${systems.withView.url}${path}` },
      ],
      plan,
      async () => {
        atStart.withoutView = await readTreeCpu(systems.withoutView.pid);
        atStart.withView = await readTreeCpu(systems.withView.pid);
        atStart.events = page.events();
      },
    );
    cpu = {
      withoutView: cpuSpent(atStart.withoutView!, await readTreeCpu(systems.withoutView.pid)),
      withView: cpuSpent(atStart.withView!, await readTreeCpu(systems.withView.pid)),
    };
    eventsMeasured = page.events() - atStart.events!;
    const lower = Math.min(
      measured.withoutView?.median.requestsPerSec ?? 0,
      measured.withView?.median.requestsPerSec ?? 0,
    );
    fixedRate =
      lower > 0
        ? await cpuAtFixedRate(systems, path, plan, Math.round(lower * FIXED_RATE_SHARE))
        : undefined;
  } finally {
    await page.stop();
  }
  const without = measured.withoutView;
  const withView = measured.withView;
  const withoutCpu = perThousand(cpu.withoutView.totalMs, without);
  const withCpu = perThousand(cpu.withView.totalMs, withView);
  const failures = Object.values(measured)
    .flatMap((m) => m.runs)
    .reduce((sum, run) => sum + run.errors + run.timeouts + run.non2xx, 0);
  const figures: Figure[] = [
    {
      id: 'view.without.requestsPerSec',
      label: 'canary path without the live view: requests/s',
      value: without?.median.requestsPerSec ?? null,
      unit: 'req/s',
    },
    {
      id: 'view.with.requestsPerSec',
      label: 'canary path with the live view (and a page following it): requests/s',
      value: withView?.median.requestsPerSec ?? null,
      unit: 'req/s',
    },
    {
      id: 'view.throughputCostPercent',
      label: 'throughput the live view costs the data path',
      value:
        without && withView && without.median.requestsPerSec > 0
          ? round((1 - withView.median.requestsPerSec / without.median.requestsPerSec) * 100, 1)
          : null,
      unit: '%',
      target: { op: '<=', value: 5 },
    },
    {
      id: 'view.without.cpuMsPer1000',
      label: 'whole local system (runner included) without the view: CPU per 1,000 requests',
      value: withoutCpu,
      unit: 'CPU-ms',
    },
    {
      id: 'view.with.cpuMsPer1000',
      label: 'whole local system (runner included) with the view: CPU per 1,000 requests',
      value: withCpu,
      unit: 'CPU-ms',
    },
    {
      id: 'view.cpuPerRequestVsWithout',
      label: 'CPU per request with the live view / without it (every process of the system)',
      value: withoutCpu && withCpu ? ratio(withCpu, withoutCpu) : null,
      unit: '×',
      target: { op: '<=', value: 1.1 },
    },
    {
      id: 'view.fixedRate.without.cpuMsPer1000',
      label: `whole local system without the view at a fixed ${fixedRate?.requestsPerSec ?? '?'} req/s: CPU per 1,000 requests`,
      value: fixedRate?.without ?? null,
      unit: 'CPU-ms',
    },
    {
      id: 'view.fixedRate.with.cpuMsPer1000',
      label: `whole local system with the view at a fixed ${fixedRate?.requestsPerSec ?? '?'} req/s: CPU per 1,000 requests`,
      value: fixedRate?.with ?? null,
      unit: 'CPU-ms',
    },
    {
      id: 'view.fixedRate.cpuPerRequestVsWithout',
      label: 'CPU per request with the live view / without it, both at the same fixed rate',
      value: fixedRate?.without && fixedRate.with ? ratio(fixedRate.with, fixedRate.without) : null,
      unit: '×',
      target: { op: '<=', value: 1.1 },
    },
    {
      id: 'view.eventsDuringMeasure',
      label: 'view snapshots the following page received during the measured rounds',
      value: eventsMeasured,
      unit: 'events',
      // A snapshot a second: at least one per round of each system.
      target: { op: '>=', value: plan.rounds },
    },
    {
      id: 'view.failures',
      label: 'failed requests during the view measure',
      value: failures,
      unit: 'requests',
      target: { op: '<=', value: 0 },
    },
  ];
  const per1000 = (spent: ReturnType<typeof cpuSpent>, target: TargetFigures | undefined) =>
    Object.fromEntries(
      Object.entries(spent.byProcess).map(([process, ms]) => [process, perThousand(ms, target)]),
    );
  return {
    figures,
    details: {
      plan,
      measured,
      fixedRate,
      cpuMsPer1000ByProcess: {
        withoutView: per1000(cpu.withoutView, without),
        withView: per1000(cpu.withView, withView),
      },
    },
  };
}
