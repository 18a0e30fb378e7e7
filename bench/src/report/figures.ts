/** A target is a bound a figure should stay within; figures are measured, never asserted. */
export interface Target {
  readonly op: '>=' | '<=';
  readonly value: number;
}

export interface Figure {
  /** Stable key in latest.json, e.g. `dataPath.gateway.requestsPerSec`. */
  readonly id: string;
  /** What a reader sees in the table. */
  readonly label: string;
  /** `null` when the measure could not run; `note` then says why. */
  readonly value: number | null;
  readonly unit: string;
  readonly target?: Target;
  readonly note?: string;
}

/** What each measure module hands back: its figures plus raw details for latest.json. */
export interface MeasureResult {
  readonly figures: readonly Figure[];
  readonly details?: unknown;
  readonly notes?: readonly string[];
  /** A table of its own, shown after the main one (e.g. the side-by-side peers). */
  readonly markdown?: string;
}

export type Verdict = 'met' | 'missed' | 'no target' | 'not measured';

export function verdict(figure: Figure): Verdict {
  if (figure.value === null) return 'not measured';
  if (!figure.target) return 'no target';
  const { op, value } = figure.target;
  const met = op === '>=' ? figure.value >= value : figure.value <= value;
  return met ? 'met' : 'missed';
}

/** A measure that could not run still yields its figures, empty, with the reason. */
export function notMeasured(
  figures: readonly Omit<Figure, 'value' | 'note'>[],
  reason: string,
): MeasureResult {
  return { figures: figures.map((f) => ({ ...f, value: null, note: reason })), notes: [reason] };
}
