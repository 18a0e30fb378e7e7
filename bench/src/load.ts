import autocannon from 'autocannon';
import { medianOfRuns, round } from './stats';

/** What one load run yields; every figure we compare is one of these. */
export interface LoadFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors and timeouts as autocannon counts them (its reconnects are not errors). */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly responses: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections?: number;
  readonly durationSec?: number;
  /** Stop after this many responses instead of after a duration. */
  readonly amount?: number;
  /** Requests a second across all connections, instead of as many as the target answers. */
  readonly overallRate?: number;
  readonly headers?: Record<string, string>;
  /** Sees every response body, e.g. to count which version answered. */
  readonly onResponse?: (status: number, body: string) => void;
}

/** One autocannon run, programmatically, summarised into the figures we report. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationSec ?? 3,
    amount: options.amount,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    headers: options.headers,
    timeout: 10,
    requests: options.onResponse
      ? [
          {
            method: 'GET',
            onResponse: (status: number, body: string) => options.onResponse?.(status, body),
          },
        ]
      : undefined,
  });
  return {
    requestsPerSec: round(result.requests.total / Math.max(result.duration, 0.001), 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    responses: result.requests.total,
  };
}

export interface LoadTarget {
  readonly id: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
}

export interface TargetFigures {
  readonly median: LoadFigures;
  readonly runs: readonly LoadFigures[];
}

/**
 * Warms every target up, then runs the targets in turn, round after round, so that each
 * target's median comes from the same stretch of time as the others' and ratios between
 * them are fair on a machine whose speed drifts.
 */
export async function measureInterleaved(
  targets: readonly LoadTarget[],
  plan: { rounds: number; warmupSec: number; durationSec: number; connections: number },
  /** Called once every target is warm, before the measured rounds (to start CPU counters). */
  afterWarmup?: () => Promise<void>,
  /** Start each round one target later, so no target always runs first or last. */
  rotate = false,
): Promise<Record<string, TargetFigures>> {
  if (plan.rounds < 3)
    throw new Error(`rounds is ${plan.rounds}: each figure needs at least 3 runs`);
  for (const target of targets) {
    await runLoad({ ...target, durationSec: plan.warmupSec, connections: plan.connections });
  }
  await afterWarmup?.();
  const runs: Record<string, LoadFigures[]> = Object.fromEntries(targets.map((t) => [t.id, []]));
  for (let round = 0; round < plan.rounds; round++) {
    const shift = rotate ? round % targets.length : 0;
    for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const figures = await runLoad({
        ...target,
        durationSec: plan.durationSec,
        connections: plan.connections,
      });
      runs[target.id]?.push(figures);
    }
  }
  return Object.fromEntries(
    targets.map((t) => {
      const targetRuns = runs[t.id] ?? [];
      return [t.id, { median: medianOfRuns(targetRuns), runs: targetRuns }];
    }),
  );
}

/** Errors, timeouts' errors and non-2xx answers summed over every run: one is one too many. */
export function failuresOf(target: TargetFigures): number {
  return target.runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0);
}

/** Answers counted over every run, e.g. to divide a CPU time by. */
export function responsesOf(target: TargetFigures): number {
  return target.runs.reduce((sum, run) => sum + run.responses, 0);
}
