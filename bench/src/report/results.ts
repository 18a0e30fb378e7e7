import type { Figure } from './figures';
import { renderMachine, renderTable, renderTargetTable, type Machine } from './table';

/** One run of the bench as bench/results/latest.json keeps it. */
export interface BenchResults {
  readonly machine: Machine;
  readonly durationSec: number;
  readonly figures: readonly Figure[];
  readonly notes: readonly string[];
  /** Tables of their own (e.g. the side-by-side peers); absent in runs before the registry. */
  readonly markdown?: readonly string[];
  readonly details: Record<string, unknown>;
}

/**
 * The run as text: `targets` (the machine, then every figure held to a target, in one table)
 * for bench/results/targets.md, and `block`, that table followed by every figure, for the
 * generated part of bench/README.md.
 */
export function renderResults(results: BenchResults): { targets: string; block: string } {
  const machine = `${renderMachine(results.machine)} The whole run took ${results.durationSec} s.`;
  const targets = [machine, '', renderTargetTable(results.figures)].join('\n');
  const block = [
    '### Targets',
    '',
    targets,
    '',
    '### Every figure',
    '',
    renderTable(results.figures),
    '',
    ...(results.markdown ?? []).flatMap((table) => [table, '']),
    ...results.notes.map((note) => `- ${note}`),
  ].join('\n');
  return { targets, block };
}
