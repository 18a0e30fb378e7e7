import type { Figure, MeasureResult } from '../src/report/figures';
import { runWrk, type WrkFigures } from './wrk';
import { runLoad } from '../src/load';
import { ratio } from '../src/stats';

/** How autocannon 9 treats closed connections, read from its lib/httpClient.js. */
export const autocannonOnClosedConnections =
  "autocannon times a request from when it is queued, so reconnect time counts as latency; when the server closes a connection it reconnects at once and re-sends, carrying the unanswered request's start time onto the new socket (longer latency, no error); refused or reset sockets count as errors and reconnect at once; no answer in 10 s counts as a timeout and an error.";

export const wrkPlan = { connections: 50, durationSec: 3, threads: 2 } as const;

/** Cross-checks one autocannon figure (the gateway path) with Debian's wrk. */
export async function crossCheckWithWrk(
  url: string,
  autocannonP99Ms: number,
): Promise<MeasureResult> {
  const wrk = await runWrk(url, wrkPlan);
  const base = [
    {
      id: 'generators.wrk.gateway.requestsPerSec',
      label: '(c) our gateway, wrk: requests/s',
      unit: 'req/s',
    },
    { id: 'generators.wrk.gateway.p50Ms', label: '(c) our gateway, wrk: p50 latency', unit: 'ms' },
    { id: 'generators.wrk.gateway.p99Ms', label: '(c) our gateway, wrk: p99 latency', unit: 'ms' },
    { id: 'generators.autocannonVsWrk.p99', label: '(c) p99: autocannon / wrk', unit: '×' },
  ] as const;
  if ('unavailable' in wrk) {
    return {
      figures: base.map((f) => ({ ...f, value: null, note: wrk.unavailable })),
      notes: [wrk.unavailable, autocannonOnClosedConnections],
    };
  }
  const values: Record<string, number> = {
    'generators.wrk.gateway.requestsPerSec': wrk.requestsPerSec,
    'generators.wrk.gateway.p50Ms': wrk.p50Ms,
    'generators.wrk.gateway.p99Ms': wrk.p99Ms,
    'generators.autocannonVsWrk.p99': ratio(autocannonP99Ms, Math.max(wrk.p99Ms, 0.01)),
  };
  const figures: Figure[] = base.map((f) => ({ ...f, value: values[f.id] ?? null }));
  return {
    figures,
    details: { wrk, plan: wrkPlan, socketErrorsAndNon2xx: wrk.socketErrors + wrk.non2xxOr3xx },
    notes: [autocannonOnClosedConnections],
  };
}

export type { WrkFigures };

/**
 * Both generators against a server that closes every connection after one answer: the case
 * where the article's gateway (a new upstream connection per request) made the two disagree.
 */
export async function compareOnClosingServer(url: string): Promise<MeasureResult> {
  const autocannon = await runLoad({
    url,
    connections: wrkPlan.connections,
    durationSec: wrkPlan.durationSec,
  });
  const wrk = await runWrk(url, wrkPlan);
  const wrkFigures = 'unavailable' in wrk ? null : wrk;
  const note = 'unavailable' in wrk ? wrk.unavailable : undefined;
  const figures: Figure[] = [
    {
      id: 'generators.closing.autocannon.p99Ms',
      label: 'closing server, autocannon: p99 latency',
      value: autocannon.p99Ms,
      unit: 'ms',
    },
    {
      id: 'generators.closing.autocannon.errors',
      label: 'closing server, autocannon: errors',
      value: autocannon.errors,
      unit: '',
    },
    {
      id: 'generators.closing.autocannon.requestsPerSec',
      label: 'closing server, autocannon: requests/s',
      value: autocannon.requestsPerSec,
      unit: 'req/s',
    },
    {
      id: 'generators.closing.wrk.p99Ms',
      label: 'closing server, wrk: p99 latency',
      value: wrkFigures?.p99Ms ?? null,
      unit: 'ms',
      note,
    },
    {
      id: 'generators.closing.wrk.socketErrors',
      label: 'closing server, wrk: socket errors',
      value: wrkFigures?.socketErrors ?? null,
      unit: '',
      note,
    },
    {
      id: 'generators.closing.wrk.requestsPerSec',
      label: 'closing server, wrk: requests/s',
      value: wrkFigures?.requestsPerSec ?? null,
      unit: 'req/s',
      note,
    },
  ];
  return { figures, details: { autocannon, wrk } };
}
