import { describe, expect, it } from 'vitest';
import { notMeasured, verdict, type Figure } from '../src/report/figures';
import { renderMachine, renderTable, replaceResultsBlock } from '../src/report/table';

const met: Figure = {
  id: 'a',
  label: 'gateway/(b) throughput',
  value: 0.95,
  unit: '×',
  target: { op: '>=', value: 0.9 },
};
const missed: Figure = {
  id: 'b',
  label: 'cold start',
  value: 250,
  unit: 'ms',
  target: { op: '<=', value: 200 },
};
const plain: Figure = { id: 'c', label: 'monthly cost', value: 1234.5, unit: 'USD' };

describe('verdict', () => {
  it('compares a figure with its target in the target’s direction', () => {
    expect(verdict(met)).toBe('met');
    expect(verdict(missed)).toBe('missed');
    expect(verdict(plain)).toBe('no target');
    expect(verdict({ ...met, value: null })).toBe('not measured');
  });

  it('keeps every figure of a measure that could not run, with the reason', () => {
    const result = notMeasured([{ id: 'x', label: 'synth', unit: 's' }], 'npm run synth failed');
    expect(result.figures).toEqual([
      { id: 'x', label: 'synth', unit: 's', value: null, note: 'npm run synth failed' },
    ]);
  });
});

describe('renderTable', () => {
  const table = renderTable([
    met,
    missed,
    plain,
    { ...missed, id: 'd', value: null, note: 'no | bundle' },
  ]);
  const lines = table.split('\n');

  it('puts every figure next to its target and marks misses', () => {
    expect(lines[0]).toBe('| Measure | Figure | Target | Status | Note |');
    expect(lines[2]).toBe('| gateway/(b) throughput | 0.95× | ≥ 0.9× | ✅ met |  |');
    expect(lines[3]).toBe('| cold start | 250 ms | ≤ 200 ms | ❌ **MISSED** |  |');
    expect(lines[4]).toBe('| monthly cost | $1,234.5 |  |  |  |');
  });

  it('shows a figure that was not measured with its reason, escaping pipes', () => {
    expect(lines[5]).toBe('| cold start | — | ≤ 200 ms | ⚠️ not measured | no \\| bundle |');
  });
});

describe('README block', () => {
  it('names the machine: cores, Node version and date', () => {
    const text = renderMachine({
      cores: 2,
      cpuModel: 'Some CPU',
      node: 'v20.20.2',
      platform: 'Linux',
      date: '2026-11-25T19:00:00.000Z',
    });
    expect(text).toContain('2 cores');
    expect(text).toContain('Node v20.20.2');
    expect(text).toContain('2026-11-25');
  });

  it('replaces only the generated block and keeps the prose around it', () => {
    const readme = 'intro\n<!-- bench:results:begin -->\nold\n<!-- bench:results:end -->\noutro\n';
    expect(replaceResultsBlock(readme, 'new')).toBe(
      'intro\n<!-- bench:results:begin -->\nnew\n<!-- bench:results:end -->\noutro\n',
    );
  });

  it('replaces the block of the name it is given, and no other', () => {
    const readme =
      '<!-- bench:results:begin -->\nkept\n<!-- bench:results:end -->\n<!-- bench:targets:begin -->\nold\n<!-- bench:targets:end -->\n';
    expect(replaceResultsBlock(readme, 'new', 'targets')).toBe(
      '<!-- bench:results:begin -->\nkept\n<!-- bench:results:end -->\n<!-- bench:targets:begin -->\nnew\n<!-- bench:targets:end -->\n',
    );
  });

  it('appends the block when the README has no markers yet', () => {
    expect(replaceResultsBlock('# Bench\n', 'new')).toBe(
      '# Bench\n\n<!-- bench:results:begin -->\nnew\n<!-- bench:results:end -->\n',
    );
  });
});
