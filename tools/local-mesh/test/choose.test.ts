import { describe, expect, it } from 'vitest';
import type { VersionRoute } from '@color-teller/topology';
import { createVersionChooser, routeMatches } from '../src/router/choose';

/** A small seeded generator (mulberry32) so that the weighted draws are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const canaryRoutes: VersionRoute[] = [
  { version: 'blue', whenHeader: { name: 'X-Color-Version', equals: 'blue' } },
  { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
];

function shares(choose: (h: Record<string, string>) => string, draws: number) {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const version = choose({});
    counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([name, n]) => [name, (n * 100) / draws]));
}

describe('createVersionChooser', () => {
  it.each([
    [[80, 20], 1],
    [[50, 50], 2],
    [[1, 2, 7], 3],
  ])('splits 10,000 draws by weights %j within 2 points (seed %i)', (weights, seed) => {
    const versions = weights.map((weight, i) => ({ name: `v${i}`, weight }));
    const total = weights.reduce((a, b) => a + b, 0);
    const got = shares(createVersionChooser(versions, [], seeded(seed)), 10_000);
    versions.forEach(({ name, weight }) => {
      expect(Math.abs((got[name] ?? 0) - (weight * 100) / total)).toBeLessThanOrEqual(2);
    });
  });

  it('splits 10,000 draws 80/20 within 2 points with Math.random', () => {
    const got = shares(
      createVersionChooser([
        { name: 'red', weight: 80 },
        { name: 'blue', weight: 20 },
      ]),
      10_000,
    );
    expect(Math.abs((got.red ?? 0) - 80)).toBeLessThanOrEqual(2);
    expect(Math.abs((got.blue ?? 0) - 20)).toBeLessThanOrEqual(2);
  });

  it('always picks the only version', () => {
    const choose = createVersionChooser([{ name: 'red', weight: 1 }]);
    expect(new Set(Array.from({ length: 100 }, () => choose({})))).toEqual(new Set(['red']));
  });

  it('sends a matching header to its version before weights apply, ignoring header-name case', () => {
    // A random source that would always draw red.
    const choose = createVersionChooser(
      [
        { name: 'red', weight: 80 },
        { name: 'blue', weight: 20 },
      ],
      canaryRoutes,
      () => 0,
    );
    expect(choose({})).toBe('red');
    for (let i = 0; i < 100; i++) expect(choose({ 'x-color-version': 'blue' })).toBe('blue');
    expect(choose({ 'x-color-version': 'Blue' })).toBe('red');
  });

  it('sends a matching cookie pair to its version before weights apply', () => {
    const choose = createVersionChooser(
      [
        { name: 'red', weight: 99 },
        { name: 'blue', weight: 1 },
      ],
      canaryRoutes,
      () => 0,
    );
    expect(choose({ cookie: 'theme=dark; color-version=blue; other=1' })).toBe('blue');
    expect(choose({ cookie: 'color-version=blue' })).toBe('blue');
    expect(choose({ cookie: 'color-version=bluey' })).toBe('red');
    expect(choose({ cookie: 'not-color-version=blue' })).toBe('red');
  });

  it('applies the first matching route when several match', () => {
    const choose = createVersionChooser(
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ],
      [
        { version: 'a', whenHeader: { name: 'x-pick', equals: '1' } },
        { version: 'b', whenCookie: { name: 'pick', equals: '1' } },
      ],
      () => 0.99,
    );
    expect(choose({ 'x-pick': '1', cookie: 'pick=1' })).toBe('a');
  });
});

describe('createVersionChooser at its edges', () => {
  const evenly = [
    { name: 'a', weight: 1 },
    { name: 'b', weight: 1 },
  ];

  it('fails when there is no version', () => {
    expect(() => createVersionChooser([])).toThrow('a router needs at least one version');
  });

  it('gives each version the draws below its cumulative weight, the boundary to the next', () => {
    const pick = (draw: number) => createVersionChooser(evenly, [], () => draw)({});
    expect([0, 0.4999, 0.5, 0.9999].map(pick)).toEqual(['a', 'a', 'b', 'b']);
  });

  it('falls back to the last version when the draw reaches the total', () => {
    expect(createVersionChooser(evenly, [], () => 1)({})).toBe('b');
  });

  it('matches a header sent several times, and ignores a route with no condition', () => {
    const choose = createVersionChooser(
      evenly,
      [{ version: 'b' }, { version: 'b', whenHeader: { name: 'x-v', equals: 'b' } }],
      () => 0,
    );
    expect(choose({})).toBe('a');
    expect(choose({ 'x-v': ['a', 'b'] })).toBe('b');
    expect(choose({ 'x-v': ['a'] })).toBe('a');
  });

  it('matches a cookie in any of several Cookie headers', () => {
    const choose = createVersionChooser(
      evenly,
      [{ version: 'b', whenCookie: { name: 'v', equals: 'b' } }],
      () => 0,
    );
    expect(choose({ cookie: ['x=1', 'v=b'] } as Record<string, string[]>)).toBe('b');
  });

  it('matches nothing with a route of no condition, whatever the headers', () => {
    const bare = { version: 'b' } as VersionRoute;
    expect(routeMatches(bare, { cookie: 'v=b', 'x-v': 'b' })).toBe(false);
  });
});

describe('createVersionChooser with ejected versions', () => {
  const versions = [
    { name: 'red', weight: 80 },
    { name: 'blue', weight: 20 },
    { name: 'green', weight: 20 },
  ];

  it('draws among the versions not ejected, by their weights; a route still reaches its version', () => {
    const choose = createVersionChooser(versions, canaryRoutes, seeded(7));
    const blueOut = (version: string) => version === 'blue';
    const drawn = new Set(Array.from({ length: 2000 }, () => choose({}, blueOut)));
    expect([...drawn].sort()).toEqual(['green', 'red']);
    expect(choose({ 'x-color-version': 'blue' }, blueOut)).toBe('blue');
  });

  it('draws among all versions when every one is out', () => {
    const choose = createVersionChooser(versions, [], seeded(3));
    const drawn = new Set(Array.from({ length: 2000 }, () => choose({}, () => true)));
    expect(drawn.size).toBe(3);
  });
});
