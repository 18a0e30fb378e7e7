/** Pure helpers for turning repeated runs into the one figure we report. */

/** The middle value (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median() got no values: run the measure at least once');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** `value / baseline`, rounded; a zero baseline has no meaningful ratio. */
export function ratio(value: number, baseline: number, digits = 2): number {
  if (baseline === 0) throw new Error(`ratio() got a zero baseline for value ${value}`);
  return round(value / baseline, digits);
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Median of each numeric field across runs of the same shape. */
export function medianOfRuns<T extends { readonly [K in keyof T]: number }>(runs: readonly T[]): T {
  const first = runs[0];
  if (!first) throw new Error('medianOfRuns() got no runs: run the measure at least once');
  const out: Partial<Record<keyof T, number>> = {};
  for (const key of Object.keys(first) as (keyof T)[])
    out[key] = median(runs.map((run) => run[key]));
  return out as T;
}
