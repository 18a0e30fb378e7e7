import { describe, expect, it } from 'vitest';
import { OutlierTracker, type EjectionEvent } from '../src/router/outliers';

function tracker(maxEjectionPercent = 50, versions = ['red', 'blue', 'green']) {
  let now = 0;
  const events: EjectionEvent[] = [];
  const outliers = new OutlierTracker(
    { consecutive5xx: 3, ejectMs: 1000, maxEjectionPercent },
    versions,
    (event) => events.push(event),
    () => now,
  );
  return { outliers, events, advance: (ms: number) => (now += ms) };
}

describe('OutlierTracker', () => {
  it('ejects a version at its third failure in a row, for ejectMs, then takes it back', () => {
    const { outliers, events, advance } = tracker();
    outliers.record('blue', false);
    outliers.record('blue', false);
    expect(outliers.isEjected('blue')).toBe(false);
    outliers.record('blue', false);
    expect(outliers.ejected()).toEqual(['blue']);
    advance(999);
    expect(outliers.isEjected('blue')).toBe(true);
    advance(1);
    expect(outliers.isEjected('blue')).toBe(false);
    expect(events).toEqual([
      { kind: 'ejected', version: 'blue', forMs: 1000 },
      { kind: 'returned', version: 'blue' },
    ]);
  });

  it('starts counting again after a success', () => {
    const { outliers } = tracker();
    outliers.record('blue', false);
    outliers.record('blue', false);
    outliers.record('blue', true);
    outliers.record('blue', false);
    outliers.record('blue', false);
    expect(outliers.isEjected('blue')).toBe(false);
  });

  it('keeps to maxEjectionPercent: 50% of three versions is one', () => {
    const { outliers } = tracker(50);
    for (const version of ['red', 'blue']) {
      for (let i = 0; i < 3; i++) outliers.record(version, false);
    }
    expect(outliers.ejected()).toEqual(['red']);
  });

  it('ejects nothing without a policy, and releases every ejection when the policy goes', () => {
    const { outliers, events } = tracker(100);
    for (let i = 0; i < 3; i++) outliers.record('red', false);
    outliers.reconfigure(undefined, ['red', 'blue', 'green']);
    expect(outliers.ejected()).toEqual([]);
    for (let i = 0; i < 5; i++) outliers.record('blue', false);
    expect(outliers.ejected()).toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['ejected', 'returned']);
  });
});
