// What the page remembers about the colors it polled: the last one, when failures began, and
// the recent samples the chart draws. Pure functions, so the rules are testable without a DOM.

export const HISTORY_CAPACITY = 50;

export type ColorSample = { readonly seq: number; readonly color: string };

export type ColorHistory = {
  /** The last color received, kept (as stale) while the backend fails. */
  readonly current?: string;
  /** When the current run of failures began; absent while polls succeed. */
  readonly failingSince?: Date;
  /** Successful polls, oldest first, at most HISTORY_CAPACITY. */
  readonly samples: readonly ColorSample[];
  readonly nextSeq: number;
};

export type ColorCount = { readonly color: string; readonly count: number; readonly share: number };

export const EMPTY_HISTORY: ColorHistory = { samples: [], nextSeq: 0 };

export function colorReceived(history: ColorHistory, color: string): ColorHistory {
  const samples = [...history.samples, { seq: history.nextSeq, color }];
  return {
    current: color,
    samples: samples.slice(-HISTORY_CAPACITY),
    nextSeq: history.nextSeq + 1,
  };
}

export function colorFailed(history: ColorHistory, at: Date): ColorHistory {
  return history.failingSince ? history : { ...history, failingSince: at };
}

/** Count and share (0..1) per color, the most frequent first (ties: first seen first). */
export function countColors(samples: readonly ColorSample[]): ColorCount[] {
  const counts = new Map<string, number>();
  for (const { color } of samples) counts.set(color, (counts.get(color) ?? 0) + 1);
  return [...counts]
    .map(([color, count]) => ({ color, count, share: count / samples.length }))
    .sort((a, b) => b.count - a.count);
}
