import { cookieRouteRegex } from '@color-teller/topology';
import { describe, expect, it } from 'vitest';
import {
  appMeshOutlierPlan,
  appMeshRetryPlan,
  appMeshRoutes,
  appMeshWeightProblems,
} from '../../src/routing/app-mesh-routes';
import { colorService } from './service';

describe('appMeshRoutes', () => {
  it('gives a service without routes only the weighted route, at priority 0, with default timeouts', () => {
    const routes = appMeshRoutes(colorService());
    expect(routes).toEqual([
      {
        id: 'Weighted',
        priority: 0,
        pathPrefix: '/',
        targets: [{ version: 'red', weight: 1 }],
        perRequestTimeoutMs: 5000,
        idleTimeoutMs: 60_000,
      },
    ]);
    expect(routes[0]).not.toHaveProperty('header');
    expect(routes[0]).not.toHaveProperty('retry');
  });

  it('ties each weight to its version in the topology order, an absent weight counting 1', () => {
    const service = colorService({
      versions: [{ name: 'red', weight: 20 }, { name: 'blue', weight: 80 }, { name: 'green' }],
    });
    expect(appMeshRoutes(service)[0]!.targets).toEqual([
      { version: 'red', weight: 20 },
      { version: 'blue', weight: 80 },
      { version: 'green', weight: 1 },
    ]);
  });

  it('puts the routes first in their order, header names lower-cased, cookies as a regex on the cookie header', () => {
    const cookie = { name: 'color-version', equals: 'blue' };
    const service = colorService({
      versions: [
        { name: 'red', weight: 90 },
        { name: 'blue', weight: 10 },
      ],
      routes: [
        { version: 'blue', whenCookie: cookie },
        { version: 'red', whenHeader: { name: 'X-Color', equals: 'Red' } },
      ],
      timeouts: { perRequestMs: 1500, idleMs: 30_000 },
    });
    const timeouts = { pathPrefix: '/', perRequestTimeoutMs: 1500, idleTimeoutMs: 30_000 };
    expect(appMeshRoutes(service)).toEqual([
      {
        id: 'Match0',
        priority: 0,
        header: { name: 'cookie', regex: cookieRouteRegex(cookie) },
        targets: [{ version: 'blue', weight: 1 }],
        ...timeouts,
      },
      {
        id: 'Match1',
        priority: 1,
        header: { name: 'x-color', exact: 'Red' },
        targets: [{ version: 'red', weight: 1 }],
        ...timeouts,
      },
      {
        id: 'Weighted',
        priority: 2,
        targets: [
          { version: 'red', weight: 90 },
          { version: 'blue', weight: 10 },
        ],
        ...timeouts,
      },
    ]);
  });

  it('retries on every route exactly as the topology says, and nowhere when it says nothing', () => {
    const routes = appMeshRoutes(
      colorService({
        routes: [{ version: 'red', whenHeader: { name: 'x', equals: '1' } }],
        retries: { attempts: 3, perTryTimeoutMs: 800 },
      }),
    );
    const retry = {
      httpEvents: ['gateway-error'],
      tcpEvents: ['connection-error'],
      attempts: 3,
      perTryTimeoutMs: 800,
    };
    expect(routes.map((route) => route.retry)).toEqual([retry, retry]);
    expect(appMeshRetryPlan(colorService())).toBeUndefined();
  });
});

describe('appMeshRetryPlan', () => {
  it('maps 5xx to server-error, resets and refused connections to the one TCP event', () => {
    expect(
      appMeshRetryPlan(
        colorService({
          timeouts: { perRequestMs: 2500 },
          retries: { attempts: 1, on: ['5xx', 'gateway-error', 'reset', 'connect-failure'] },
        }),
      ),
    ).toEqual({
      httpEvents: ['server-error', 'gateway-error'],
      tcpEvents: ['connection-error'],
      attempts: 1,
      // Without perTryTimeoutMs a try may use the whole deadline.
      perTryTimeoutMs: 2500,
    });
    expect(appMeshRetryPlan(colorService({ retries: { attempts: 2, on: ['reset'] } }))).toEqual({
      httpEvents: [],
      tcpEvents: ['connection-error'],
      attempts: 2,
      perTryTimeoutMs: 5000,
    });
  });
});

describe('appMeshOutlierPlan', () => {
  it('maps outlier detection to the listener’s, with Envoy’s 10 s sweep and the default 50%', () => {
    expect(
      appMeshOutlierPlan(
        colorService({ outlierDetection: { consecutive5xx: 4, ejectMs: 30_000 } }),
      ),
    ).toEqual({
      maxServerErrors: 4,
      baseEjectionMs: 30_000,
      intervalMs: 10_000,
      maxEjectionPercent: 50,
    });
    expect(appMeshOutlierPlan(colorService())).toBeUndefined();
  });
});

describe('appMeshWeightProblems', () => {
  const withWeights = (...weights: (number | undefined)[]) =>
    colorService({ versions: weights.map((weight, i) => ({ name: `v${i}`, weight })) });

  it('accepts weights up to 100 and an absent weight', () => {
    expect(appMeshWeightProblems(withWeights(100, 0, undefined))).toEqual([]);
  });

  it('names each version above 100, with its weight', () => {
    expect(appMeshWeightProblems(withWeights(101, 50, 250))).toEqual([
      'service "color": version "v0" has weight 101; App Mesh takes weights from 0 to 100, scale the weights down (e.g. to percentages)',
      'service "color": version "v2" has weight 250; App Mesh takes weights from 0 to 100, scale the weights down (e.g. to percentages)',
    ]);
  });
});
