import { describe, expect, it } from 'vitest';
import { MEASURES } from '../src/measures';
import { chosenMeasures, measure, runMeasures, type Measure } from '../src/registry';
import type { STARTERS } from '../src/systems';

/** Starters that record what starts and stops, in order, and start nothing real. */
function recordingStarters() {
  const events: string[] = [];
  const starter = (name: string) => ({
    start: () => {
      events.push(`start ${name}`);
      return Promise.resolve({ name });
    },
    stop: () => {
      events.push(`stop ${name}`);
      return Promise.resolve();
    },
  });
  const starters = {
    dataPath: starter('dataPath'),
    canary: starter('canary'),
    canaryWithView: starter('canaryWithView'),
    localHop: starter('localHop'),
  } as unknown as typeof STARTERS;
  return { events, starters };
}

function recorded(id: string, needs: Measure['needs'], events: string[], fail = false): Measure {
  return measure({
    id,
    needs,
    target: `${id}'s target`,
    run: (systems) => {
      events.push(`run ${id} with ${Object.keys(systems).join('+') || 'nothing'}`);
      if (fail) return Promise.reject(new Error('no answer'));
      return Promise.resolve({ figures: [{ id, label: id, value: 1, unit: '' }] });
    },
  });
}

describe('runMeasures', () => {
  it('starts each system once for the measures that need it and stops it after the last of them', async () => {
    const { events, starters } = recordingStarters();
    const runs = await runMeasures(
      [
        recorded('a', ['dataPath'], events),
        recorded('b', ['dataPath'], events),
        recorded('c', ['canary'], events),
        recorded('d', ['canary', 'canaryWithView'], events),
        recorded('e', [], events),
      ],
      () => {},
      starters,
    );
    expect(events).toEqual([
      'start dataPath',
      'run a with dataPath',
      'run b with dataPath',
      'stop dataPath',
      'start canary',
      'run c with canary',
      'start canaryWithView',
      'run d with canary+canaryWithView',
      'stop canary',
      'stop canaryWithView',
      'run e with nothing',
    ]);
    expect(runs.map((r) => r.result.figures.map((f) => f.id))).toEqual([
      ['a'],
      ['b'],
      ['c'],
      ['d'],
      ['e'],
    ]);
  });

  it('keeps going when a measure fails, says so in a note, and stops every system at the end', async () => {
    const { events, starters } = recordingStarters();
    const runs = await runMeasures(
      [recorded('a', ['dataPath'], events, true), recorded('b', ['dataPath'], events)],
      () => {},
      starters,
    );
    expect(runs[0]!.result).toEqual({ figures: [], notes: ['a failed: no answer'] });
    expect(runs[1]!.result.figures).toHaveLength(1);
    expect(events.at(-1)).toBe('stop dataPath');
  });
});

describe('the registry', () => {
  it('names each measure once, each with a target', () => {
    const ids = MEASURES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of MEASURES) expect(m.target.length, m.id).toBeGreaterThan(10);
  });

  it('keeps the measures that need the same system next to each other, so it starts once', () => {
    const needs = MEASURES.flatMap((m) => m.needs);
    for (const need of new Set(needs)) {
      const users = MEASURES.flatMap((m, i) => (m.needs.includes(need) ? [i] : []));
      expect(users.at(-1)! - users[0]! + 1, need).toBe(users.length);
    }
  });
});

describe('chosenMeasures (npm run bench -- --only <id>,<id>)', () => {
  const events: string[] = [];
  const measures = [
    recorded('a', [], events),
    recorded('b', [], events),
    recorded('c', [], events),
  ];

  it('keeps the named measures in the registry order', () => {
    expect(chosenMeasures(measures, 'c,a').map((m) => m.id)).toEqual(['a', 'c']);
  });

  it('fails on an unknown or missing id, naming the accepted ones', () => {
    expect(() => chosenMeasures(measures, 'a,x')).toThrow(
      '--only a,x: no measure "x"; use one or more of a, b, c',
    );
    expect(() => chosenMeasures(measures, '')).toThrow(
      '--only : no measure named; use one or more of a, b, c',
    );
  });

  it('knows the synthesis measure by its id', () => {
    expect(chosenMeasures(MEASURES, 'synth').map((m) => m.id)).toEqual(['synth']);
  });
});
