import { verdict, type Figure } from './figures';

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === 'USD') return `$${formatNumber(value)}`;
  if (unit === '×' || unit === '') return `${formatNumber(value)}${unit}`;
  return `${formatNumber(value)} ${unit}`;
}

const verdictMark = {
  met: '✅ met',
  missed: '❌ **MISSED**',
  'no target': '',
  'not measured': '⚠️ not measured',
} as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function formatTarget(f: Figure): string {
  return f.target
    ? `${f.target.op === '>=' ? '≥' : '≤'} ${formatValue(f.target.value, f.unit)}`
    : '';
}

function row(f: Figure): string {
  return `| ${cell(f.label)} | ${formatValue(f.value, f.unit)} | ${formatTarget(f)} | ${verdictMark[verdict(f)]} | ${cell(f.note ?? '')} |`;
}

/** The targets table: only the figures held to a target, each with its status. */
export function renderTargetTable(figures: readonly Figure[]): string {
  return renderTable(figures.filter((f) => f.target !== undefined));
}

/** The performance table: every figure next to its target, misses marked. */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map(row);
  return [
    '| Measure | Figure | Target | Status | Note |',
    '| --- | ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}

export function renderMachine(machine: Machine): string {
  return `Machine: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; run ${machine.date}.`;
}

/**
 * Replaces a generated block of a README (between `<!-- bench:<name>:begin -->` and its end
 * marker), keeping the prose around it; appends the block where the markers are missing.
 */
export function replaceResultsBlock(readme: string, block: string, name = 'results'): string {
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  const generated = `${begin}\n${block.trim()}\n${end}`;
  if (start === -1 || stop === -1 || stop < start) return `${readme.trimEnd()}\n\n${generated}\n`;
  return readme.slice(0, start) + generated + readme.slice(stop + end.length);
}
