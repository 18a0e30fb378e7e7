import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

export const wrkPath = '/usr/bin/wrk';

export interface WrkFigures {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** connect + read + write + timeout socket errors. */
  readonly socketErrors: number;
  readonly non2xxOr3xx: number;
}

const unitToMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read wrk duration "${text}"`);
  return Number(match[1]) * (unitToMs[match[2] as string] as number);
}

/** Reads the figures out of `wrk --latency` output. */
export function parseWrkOutput(output: string): WrkFigures {
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(output);
    if (!match) throw new Error(`wrk output has no ${p}% latency line: was --latency passed?`);
    return durationMs(match[1] as string);
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  if (!rps) throw new Error('wrk output has no Requests/sec line');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requestsPerSec: Math.round(Number(rps[1])),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    socketErrors: socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xxOr3xx: non2xx ? Number(non2xx[1]) : 0,
  };
}

/** Runs Debian's wrk, or returns why it could not (the bench says so and carries on). */
export async function runWrk(
  url: string,
  plan: { connections: number; durationSec: number; threads: number },
): Promise<WrkFigures | { unavailable: string }> {
  if (!existsSync(wrkPath)) {
    return {
      unavailable: `${wrkPath} is missing (apt-get install wrk): no second-generator check`,
    };
  }
  const { stdout } = await promisify(execFile)(wrkPath, [
    `-t${plan.threads}`,
    `-c${plan.connections}`,
    `-d${plan.durationSec}s`,
    '--latency',
    url,
  ]);
  return parseWrkOutput(stdout);
}
