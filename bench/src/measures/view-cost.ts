import type { MeshProcess } from '../harness/mesh-process';
import { cpuSpent, readTreeCpu, type TreeCpu } from '../harness/process-tree';
import { measureInterleaved, responsesOf, runLoad, type TargetFigures } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio, round } from '../stats';

export const viewCostPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 } as const;

/**
 * Runs of one topology, side by side: without the live view, with it (and its tracing), and
 * with it and its traces off, which splits what the view costs into its traces and the rest.
 */
export interface ViewCostSystems {
  readonly withoutView: MeshProcess;
  readonly withView: MeshProcess;
  readonly withViewNoTraces: MeshProcess;
}

type SystemId = keyof ViewCostSystems;
const SYSTEM_IDS: readonly SystemId[] = ['withoutView', 'withView', 'withViewNoTraces'];

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
  const spentMs = new Map<SystemId, number>(SYSTEM_IDS.map((id) => [id, 0]));
  const answered = new Map<SystemId, number>(SYSTEM_IDS.map((id) => [id, 0]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const id of SYSTEM_IDS) {
      const mesh = systems[id];
      const before = await readTreeCpu(mesh.pid);
      const run = await runLoad({
        url: `${mesh.url}${path}`,
        connections: plan.connections,
        durationSec: plan.durationSec,
        overallRate: requestsPerSec,
      });
      spentMs.set(id, spentMs.get(id)! + cpuSpent(before, await readTreeCpu(mesh.pid)).totalMs);
      answered.set(id, answered.get(id)! + run.responses);
    }
  }
  const per1000 = (id: SystemId) =>
    answered.get(id)! > 0 ? round((spentMs.get(id)! * 1000) / answered.get(id)!, 1) : null;
  return {
    requestsPerSec,
    without: per1000('withoutView'),
    with: per1000('withView'),
    noTraces: per1000('withViewNoTraces'),
    answered: Object.fromEntries(answered),
  };
}

/** CPU-ms of the whole mesh (runner and every process under it) per 1,000 answered requests. */
function perThousand(cpuMs: number, target: TargetFigures | undefined): number | null {
  const responses = target ? responsesOf(target) : 0;
  return responses > 0 ? round((cpuMs * 1000) / responses, 1) : null;
}

/**
 * What the live view costs the local system: the same path's throughput, and the CPU per
 * request of every process of each mesh (runner included, from /proc over the measured rounds
 * only), without the view, with it, and with it and its traces off, interleaved in the same
 * run: as many requests as each answers, then the same fixed rate for all. A page follows each
 * view's events meanwhile, as a user would.
 */
export async function measureViewCost(
  systems: ViewCostSystems,
  path: string,
  plan: Plan = viewCostPlan,
): Promise<MeasureResult> {
  const { withView, withViewNoTraces } = systems;
  if (!withView.viewUrl || !withViewNoTraces.viewUrl)
    throw new Error('a mesh "with the view" runs no live view');
  const pages = [followEvents(withView.viewUrl), followEvents(withViewNoTraces.viewUrl)];
  const cpuAtStart = new Map<SystemId, TreeCpu>();
  let eventsAtStart = 0;
  let measured: Record<string, TargetFigures>;
  const cpu = new Map<SystemId, ReturnType<typeof cpuSpent>>();
  let eventsMeasured: number;
  let fixedRate: Awaited<ReturnType<typeof cpuAtFixedRate>> | undefined;
  try {
    measured = await measureInterleaved(
      SYSTEM_IDS.map((id) => ({ id, url: `${systems[id].url}${path}` })),
      plan,
      async () => {
        for (const id of SYSTEM_IDS) cpuAtStart.set(id, await readTreeCpu(systems[id].pid));
        eventsAtStart = pages[0]!.events();
      },
    );
    for (const id of SYSTEM_IDS)
      cpu.set(id, cpuSpent(cpuAtStart.get(id)!, await readTreeCpu(systems[id].pid)));
    eventsMeasured = pages[0]!.events() - eventsAtStart;
    const lower = Math.min(...SYSTEM_IDS.map((id) => measured[id]?.median.requestsPerSec ?? 0));
    fixedRate =
      lower > 0
        ? await cpuAtFixedRate(systems, path, plan, Math.round(lower * FIXED_RATE_SHARE))
        : undefined;
  } finally {
    await Promise.all(pages.map((page) => page.stop()));
  }
  const rateOf = (id: SystemId) => measured[id]?.median.requestsPerSec ?? null;
  const cpuOf = (id: SystemId) => perThousand(cpu.get(id)!.totalMs, measured[id]);
  /** Throughput `id` loses against the system without the view, in percent. */
  const throughputCost = (id: SystemId) => {
    const without = rateOf('withoutView');
    const rate = rateOf(id);
    return without && rate !== null ? round((1 - rate / without) * 100, 1) : null;
  };
  const cpuRatio = (over: number | null, under: number | null) =>
    over && under ? ratio(over, under) : null;
  const failures = Object.values(measured)
    .flatMap((m) => m.runs)
    .reduce((sum, run) => sum + run.errors + run.timeouts + run.non2xx, 0);
  const fixed = `at a fixed ${fixedRate?.requestsPerSec ?? '?'} req/s`;
  const figures: Figure[] = [
    {
      id: 'view.without.requestsPerSec',
      label: 'canary path without the live view: requests/s',
      value: rateOf('withoutView'),
      unit: 'req/s',
    },
    {
      id: 'view.with.requestsPerSec',
      label: 'canary path with the live view (and a page following it): requests/s',
      value: rateOf('withView'),
      unit: 'req/s',
    },
    {
      id: 'view.throughputCostPercent',
      label: 'throughput the live view costs the data path',
      value: throughputCost('withView'),
      unit: '%',
      target: { op: '<=', value: 5 },
    },
    {
      id: 'view.noTraces.throughputCostPercent',
      label: 'throughput the live view costs with its traces off (--view-traces 0)',
      value: throughputCost('withViewNoTraces'),
      unit: '%',
    },
    {
      id: 'view.without.cpuMsPer1000',
      label: 'whole local system (runner included) without the view: CPU per 1,000 requests',
      value: cpuOf('withoutView'),
      unit: 'CPU-ms',
    },
    {
      id: 'view.with.cpuMsPer1000',
      label: 'whole local system (runner included) with the view: CPU per 1,000 requests',
      value: cpuOf('withView'),
      unit: 'CPU-ms',
    },
    {
      id: 'view.noTraces.cpuMsPer1000',
      label: 'whole local system with the view, its traces off: CPU per 1,000 requests',
      value: cpuOf('withViewNoTraces'),
      unit: 'CPU-ms',
    },
    {
      id: 'view.cpuPerRequestVsWithout',
      label: 'CPU per request with the live view / without it (every process of the system)',
      value: cpuRatio(cpuOf('withView'), cpuOf('withoutView')),
      unit: '×',
      target: { op: '<=', value: 1.1 },
    },
    {
      id: 'view.noTraces.cpuPerRequestVsWithout',
      label: 'CPU per request with the live view, its traces off / without it',
      value: cpuRatio(cpuOf('withViewNoTraces'), cpuOf('withoutView')),
      unit: '×',
    },
    {
      id: 'view.fixedRate.without.cpuMsPer1000',
      label: `whole local system without the view ${fixed}: CPU per 1,000 requests`,
      value: fixedRate?.without ?? null,
      unit: 'CPU-ms',
    },
    {
      id: 'view.fixedRate.with.cpuMsPer1000',
      label: `whole local system with the view ${fixed}: CPU per 1,000 requests`,
      value: fixedRate?.with ?? null,
      unit: 'CPU-ms',
    },
    {
      id: 'view.fixedRate.noTraces.cpuMsPer1000',
      label: `whole local system with the view, its traces off, ${fixed}: CPU per 1,000 requests`,
      value: fixedRate?.noTraces ?? null,
      unit: 'CPU-ms',
    },
    {
      id: 'view.fixedRate.cpuPerRequestVsWithout',
      label: 'CPU per request with the live view / without it, both at the same fixed rate',
      value: cpuRatio(fixedRate?.with ?? null, fixedRate?.without ?? null),
      unit: '×',
      target: { op: '<=', value: 1.1 },
    },
    {
      id: 'view.fixedRate.noTraces.cpuPerRequestVsWithout',
      label:
        'CPU per request with the live view, its traces off / without it, at the same fixed rate',
      value: cpuRatio(fixedRate?.noTraces ?? null, fixedRate?.without ?? null),
      unit: '×',
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
  const per1000 = (id: SystemId) =>
    Object.fromEntries(
      Object.entries(cpu.get(id)!.byProcess).map(([process, ms]) => [
        process,
        perThousand(ms, measured[id]),
      ]),
    );
  return {
    figures,
    details: {
      plan,
      measured,
      fixedRate,
      cpuMsPer1000ByProcess: Object.fromEntries(SYSTEM_IDS.map((id) => [id, per1000(id)])),
    },
  };
}
