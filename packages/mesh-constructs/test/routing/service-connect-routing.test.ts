import { describe, expect, it } from 'vitest';
import {
  serviceConnectRoutingProblems,
  wholeSecondTimeoutProblems,
} from '../../src/routing/service-connect-routing';
import { colorService } from './service';

const limit = 'Service Connect takes 0 (off) or whole seconds of at least 1000 ms';

describe('wholeSecondTimeoutProblems', () => {
  const problemsAt = (perRequestMs: number) =>
    wholeSecondTimeoutProblems(colorService({ timeouts: { perRequestMs } }));

  it('accepts 0 (off), the defaults and whole seconds from 1000 ms', () => {
    expect(wholeSecondTimeoutProblems(colorService())).toEqual([]);
    for (const ms of [0, 1000, 2000, 60_000]) expect(problemsAt(ms), `${ms}`).toEqual([]);
  });

  it('rejects values below a second or between seconds, naming the nearest ones', () => {
    expect(problemsAt(999)).toEqual([
      `service "color": timeouts.perRequestMs is 999; ${limit}: use 1000`,
    ]);
    expect(problemsAt(1)).toEqual([
      `service "color": timeouts.perRequestMs is 1; ${limit}: use 1000`,
    ]);
    expect(problemsAt(1500)).toEqual([
      `service "color": timeouts.perRequestMs is 1500; ${limit}: use 1000 or 2000`,
    ]);
    expect(problemsAt(2001)).toEqual([
      `service "color": timeouts.perRequestMs is 2001; ${limit}: use 2000 or 3000`,
    ]);
  });

  it('checks the idle timeout too, after the per-request one', () => {
    const service = colorService({ timeouts: { perRequestMs: 500, idleMs: 1999 } });
    expect(wholeSecondTimeoutProblems(service)).toEqual([
      `service "color": timeouts.perRequestMs is 500; ${limit}: use 1000`,
      `service "color": timeouts.idleMs is 1999; ${limit}: use 1000 or 2000`,
    ]);
  });
});

describe('serviceConnectRoutingProblems', () => {
  it('accepts one version without routes, with or without a weight', () => {
    expect(serviceConnectRoutingProblems(colorService())).toEqual([]);
    expect(
      serviceConnectRoutingProblems(colorService({ versions: [{ name: 'red', weight: 3 }] })),
    ).toEqual([]);
  });

  it('rejects several versions, listing each weight (an absent one as 1), then routes, then timeouts', () => {
    const service = colorService({
      versions: [{ name: 'red', weight: 80 }, { name: 'blue' }],
      routes: [{ version: 'blue', whenHeader: { name: 'x', equals: '1' } }],
      timeouts: { idleMs: 500 },
    });
    expect(serviceConnectRoutingProblems(service)).toEqual([
      `service "color" has 2 versions with steady weights (red 80, blue 1): Service Connect cannot split traffic between versions; use MeshFlavor.vpcLattice(), or keep one version and roll a new one out with deployment: { strategy: 'canary' }`,
      'service "color" has header or cookie routes: Service Connect cannot route by request content; use MeshFlavor.vpcLattice()',
      `service "color": timeouts.idleMs is 500; ${limit}: use 1000`,
    ]);
  });

  it('rejects a single route on one version', () => {
    const service = colorService({
      routes: [{ version: 'red', whenCookie: { name: 'c', equals: '1' } }],
    });
    expect(serviceConnectRoutingProblems(service)).toEqual([
      'service "color" has header or cookie routes: Service Connect cannot route by request content; use MeshFlavor.vpcLattice()',
    ]);
  });
});
