import { describe, expect, it } from 'vitest';
import { median, medianOfRuns, ratio, round } from '../src/stats';

describe('median', () => {
  it('takes the middle of an odd count, unsorted input', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('fails when there are no values', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('medianOfRuns', () => {
  it('takes each field’s median independently', () => {
    const runs = [
      { rps: 100, p99: 9 },
      { rps: 300, p99: 1 },
      { rps: 200, p99: 5 },
    ];
    expect(medianOfRuns(runs)).toEqual({ rps: 200, p99: 5 });
  });

  it('fails when there are no runs', () => {
    expect(() => medianOfRuns([])).toThrow(/no runs/);
  });
});

describe('ratio and round', () => {
  it('rounds value / baseline to two digits', () => {
    expect(ratio(9_000, 10_000)).toBe(0.9);
    expect(ratio(1, 3)).toBe(0.33);
    expect(round(12.345, 1)).toBe(12.3);
  });

  it('fails when the baseline is zero, naming the value', () => {
    expect(() => ratio(5, 0)).toThrow(/zero baseline for value 5/);
  });
});
