// The bench as a registry: each measure says what it needs started and what it is held to.
// `npm run bench` runs them in this order; a system starts when the first measure needs it and
// stops after the last one that does. A new measure is one entry here (docs/architecture and
// bench/README.md say where its module goes).
import type { MeasureResult } from './report/figures';
import { STARTERS, type Need, type Systems } from './systems';

export interface Measure<N extends Need = Need> {
  /** Stable key of its result in latest.json, e.g. `peers`. */
  readonly id: string;
  /** The systems it runs against, started for it (and shared with the measures next to it). */
  readonly needs: readonly N[];
  /** What it is held to, in one line; its figures carry the bounds the table checks. */
  readonly target: string;
  run(systems: Pick<Systems, N>): Promise<MeasureResult>;
}

/** A measure with its needs checked against what `run` reads. */
export function measure<N extends Need>(definition: Measure<N>): Measure {
  return definition as unknown as Measure;
}

export interface MeasureRun {
  readonly measure: Measure;
  readonly result: MeasureResult;
}

/**
 * Runs every measure in order. A measure that throws yields no figures and a note saying so;
 * the run carries on. Every system started is stopped, whatever happens.
 */
export async function runMeasures(
  measures: readonly Measure[],
  log: (line: string) => void,
  starters: typeof STARTERS = STARTERS,
): Promise<MeasureRun[]> {
  const running = new Map<Need, unknown>();
  const stop = async (need: Need) => {
    const system = running.get(need);
    running.delete(need);
    await (starters[need].stop as (s: unknown) => Promise<void>)(system);
  };
  const runs: MeasureRun[] = [];
  try {
    for (const [index, entry] of measures.entries()) {
      for (const need of entry.needs) {
        if (running.has(need)) continue;
        log(`   starting ${need}`);
        running.set(need, await starters[need].start());
      }
      log(`${entry.id}: ${entry.target}`);
      const systems = Object.fromEntries(entry.needs.map((n) => [n, running.get(n)]));
      const result = await entry
        .run(systems as unknown as Systems)
        .catch((error: unknown): MeasureResult => ({
          figures: [],
          notes: [`${entry.id} failed: ${(error as Error).message}`],
        }));
      runs.push({ measure: entry, result });
      const later = new Set(measures.slice(index + 1).flatMap((m) => m.needs));
      for (const need of [...running.keys()]) if (!later.has(need)) await stop(need);
    }
  } finally {
    await Promise.all([...running.keys()].map(stop));
  }
  return runs;
}

/**
 * The measures `--only <id>,<id>` names, in the registry's order; an unknown id fails, naming
 * the accepted ones.
 */
export function chosenMeasures(measures: readonly Measure[], only: string): Measure[] {
  const ids = only.split(',').filter((id) => id !== '');
  const unknown = ids.filter((id) => !measures.some((m) => m.id === id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only ${only}: ${unknown.length > 0 ? `no measure ${unknown.map((id) => `"${id}"`).join(', ')}` : 'no measure named'}; use one or more of ${measures.map((m) => m.id).join(', ')}`,
    );
  }
  return measures.filter((m) => ids.includes(m.id));
}
