import { get } from '../harness/http-probe';
import { readCpuMs, readRssMb, type ServiceProcess } from '../harness/service-process';
import { failuresOf, measureInterleaved, responsesOf } from '../load';
import { buildPeers, candidatesOnThisMachine, type Candidate } from '../peers/candidates';
import type { Figure, MeasureResult } from '../report/figures';
import { median, ratio, round } from '../stats';

export interface PeersPlan {
  readonly rounds: number;
  readonly warmupSec: number;
  readonly durationSec: number;
  readonly connections: number;
  /** Spawns per candidate for the cold start; the last one stays up for the load. */
  readonly spawns: number;
}

export const peersPlan: PeersPlan = {
  rounds: 3,
  warmupSec: 1,
  durationSec: 3,
  connections: 50,
  spawns: 5,
};

/** The targets for our gateway, against the floor and @fastify/http-proxy. */
export const gatewayTargets = {
  cpuVsFloor: 1.1,
  cpuVsFastify: 1,
  throughputVsFloor: 0.9,
  throughputVsFastify: 1,
  p99VsFloor: 1.3,
  /** Spawn → first proxied 200, against the floor's in the same run. */
  coldStartVsFloor: 2,
  rssMb: 80,
} as const;

interface Measured {
  readonly candidate: Candidate;
  readonly process: ServiceProcess;
  readonly coldStartMs: readonly number[];
}

interface PeerFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly cpuMsPer1000: number;
  readonly rssMb: number;
  readonly coldStartMs: number;
}

/** Spawns a candidate `spawns` times, timing spawn → first proxied 200; keeps the last one up. */
async function coldStarts(candidate: Candidate, backendUrl: string, spawns: number) {
  const times: number[] = [];
  for (let i = 1; ; i++) {
    const started = await candidate.start(backendUrl);
    times.push(started.spawnToHealthyMs);
    if (i >= spawns) return { process: started, times };
    await started.stop('SIGKILL');
  }
}

/**
 * Refuses to time a proxy that answers differently from the first (the floor): a faster wrong
 * answer proves nothing.
 */
export async function checkSameAnswer(
  targets: readonly { readonly id: string; readonly url: string }[],
): Promise<void> {
  const answers = await Promise.all(
    targets.map(async ({ id, url }) => ({ id, answer: await get(url) })),
  );
  const [first, ...others] = answers;
  for (const { id, answer } of others) {
    if (!first || answer.status !== first.answer.status || answer.body !== first.answer.body) {
      throw new Error(
        `${id} answered ${answer.status} ${answer.body.slice(0, 80)} where ${first?.id} answered ${first?.answer.status} ${first?.answer.body.slice(0, 80)}: not timing a proxy that changes the answer`,
      );
    }
  }
}

const columns: readonly [keyof PeerFigures, string][] = [
  ['requestsPerSec', 'req/s'],
  ['p50Ms', 'p50 ms'],
  ['p99Ms', 'p99 ms'],
  ['failures', 'errors + non-2xx'],
  ['cpuMsPer1000', 'CPU-ms / 1,000 req'],
  ['rssMb', 'RSS after load, MB'],
  ['coldStartMs', 'spawn → first proxied 200, ms'],
];

/** The side-by-side table: one row per candidate, one column per figure. */
export function renderPeersTable(
  rows: readonly { readonly label: string; readonly figures: PeerFigures }[],
): string {
  return [
    `| Candidate | ${columns.map(([, title]) => title).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    ...rows.map(
      ({ label, figures }) =>
        `| ${label} | ${columns.map(([key]) => figures[key].toLocaleString('en-US')).join(' | ')} |`,
    ),
  ].join('\n');
}

function failureFigure(id: string, label: string, failures: number): Figure {
  return {
    id: `peers.${id}.failures`,
    label: `${label}: errors + non-2xx (all runs)`,
    value: failures,
    unit: '',
    target: { op: '<=', value: 0 },
  };
}

/** Our gateway against the floor and @fastify/http-proxy, each figure next to the target. */
export function gatewayVerdictFigures(rows: Readonly<Record<string, PeerFigures>>): Figure[] {
  const { gateway, floor } = rows;
  const fastify = rows['fastify-http-proxy'];
  if (!gateway || !floor || !fastify)
    throw new Error('the gateway, the floor and fastify must all be measured');
  const t = gatewayTargets;
  const versus = (
    id: string,
    label: string,
    value: number,
    op: '<=' | '>=',
    target: number,
  ): Figure => ({
    id: `peers.gateway.${id}`,
    label: `our gateway: ${label}`,
    value,
    unit: '×',
    target: { op, value: target },
  });
  return [
    versus(
      'cpuVsFloor',
      'CPU per request ÷ the floor',
      ratio(gateway.cpuMsPer1000, floor.cpuMsPer1000),
      '<=',
      t.cpuVsFloor,
    ),
    versus(
      'cpuVsFastify',
      'CPU per request ÷ @fastify/http-proxy',
      ratio(gateway.cpuMsPer1000, fastify.cpuMsPer1000),
      '<=',
      t.cpuVsFastify,
    ),
    versus(
      'throughputVsFloor',
      'throughput ÷ the floor',
      ratio(gateway.requestsPerSec, floor.requestsPerSec),
      '>=',
      t.throughputVsFloor,
    ),
    versus(
      'throughputVsFastify',
      'throughput ÷ @fastify/http-proxy',
      ratio(gateway.requestsPerSec, fastify.requestsPerSec),
      '>=',
      t.throughputVsFastify,
    ),
    versus(
      'p99VsFloor',
      'p99 ÷ the floor',
      ratio(gateway.p99Ms, Math.max(floor.p99Ms, 1)),
      '<=',
      t.p99VsFloor,
    ),
    versus(
      'coldStartVsFloor',
      'spawn → first proxied 200 ÷ the floor',
      ratio(gateway.coldStartMs, Math.max(floor.coldStartMs, 1)),
      '<=',
      t.coldStartVsFloor,
    ),
    {
      id: 'peers.gateway.rssTarget',
      label: 'our gateway: RSS after load',
      value: gateway.rssMb,
      unit: 'MB',
      target: { op: '<=', value: t.rssMb },
    },
  ];
}

/**
 * Issue 11's side-by-side run: every Node proxy in front of the same backend process, loaded in
 * rotated order in the same rounds, with CPU from /proc counted over the measured rounds only.
 */
export async function measurePeers(
  backend: ServiceProcess,
  plan: PeersPlan = peersPlan,
): Promise<MeasureResult> {
  await buildPeers();
  const { candidates, notes } = candidatesOnThisMachine();
  const measured: Measured[] = [];
  try {
    for (const candidate of candidates) {
      const { process, times } = await coldStarts(candidate, backend.url, plan.spawns);
      measured.push({ candidate, process, coldStartMs: times });
    }
    const targets = measured.map(({ candidate, process }) => ({
      id: candidate.id,
      url: `${process.url}${candidate.proxiedPath}`,
    }));
    await checkSameAnswer(targets);
    const cpuAtStart = new Map<string, number>();
    const load = await measureInterleaved(
      targets,
      plan,
      async () => {
        for (const m of measured) cpuAtStart.set(m.candidate.id, await readCpuMs(m.process.pid));
      },
      true,
    );
    const rows: Record<string, PeerFigures> = {};
    for (const { candidate, process, coldStartMs } of measured) {
      const target = load[candidate.id]!;
      const cpuMs = (await readCpuMs(process.pid)) - (cpuAtStart.get(candidate.id) ?? 0);
      rows[candidate.id] = {
        requestsPerSec: target.median.requestsPerSec,
        p50Ms: target.median.p50Ms,
        p99Ms: target.median.p99Ms,
        failures: failuresOf(target),
        cpuMsPer1000: round((cpuMs * 1000) / Math.max(responsesOf(target), 1), 1),
        rssMb: round(await readRssMb(process.pid), 1),
        coldStartMs: round(median(coldStartMs), 0),
      };
    }
    const figures = [
      ...gatewayVerdictFigures(rows),
      ...measured.map(({ candidate }) =>
        failureFigure(candidate.id, candidate.label, rows[candidate.id]!.failures),
      ),
    ];
    return {
      figures,
      notes,
      markdown: renderPeersTable(
        measured.map(({ candidate }) => ({
          label: candidate.label,
          figures: rows[candidate.id]!,
        })),
      ),
      details: {
        plan,
        rows,
        coldStartRunsMs: Object.fromEntries(measured.map((m) => [m.candidate.id, m.coldStartMs])),
        load,
      },
    };
  } finally {
    await Promise.all(measured.map(({ process }) => process.stop()));
  }
}
