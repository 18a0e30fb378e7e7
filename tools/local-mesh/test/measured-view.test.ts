import { describe, expect, it } from 'vitest';
import type { Topology } from '@color-teller/topology';
import { isRouterMessage } from '../src/router/channel';
import { MeshView } from '../src/view/mesh-view';

// A Python service with one version (it gets a router of its own) behind a Node gateway.
const topology: Topology = {
  name: 'mixed',
  namespace: 'mixed.local',
  services: [
    {
      name: 'shade',
      codePath: 'examples/polyglot/shade',
      command: ['python3', 'server.py'],
      port: 3000,
      healthPath: '/health',
      versions: [{ name: 'light' }],
    },
    {
      name: 'client',
      codePath: 'services/color-client',
      port: 3000,
      healthPath: '/health',
      backends: [{ service: 'shade' }],
      versions: [{ name: 'vanilla' }],
    },
  ],
  ingress: { service: 'client' },
};

const requestLine = (label: string) =>
  `[${label}] {"msg":"request","path":"/x","status":200,"durationMs":3}`;

describe('the view fed by the routers’ measured requests', () => {
  it('counts a version behind a router from its router, and a lone Node version from its lines', () => {
    const view = new MeshView(topology, () => []);
    view.onRouterMessage({
      type: 'requests',
      service: 'shade',
      requests: [
        ['light', 200, 4],
        ['light', 503, 8],
      ],
    });
    // What the version logs itself is not counted twice.
    view.onLine(requestLine('shade light'));
    view.onLine(requestLine('client vanilla'));

    const { figures, graph } = view.snapshot();
    expect(figures['shade light']).toMatchObject({ total: 2, errorRate: 0.5, p50Ms: 4, p99Ms: 8 });
    expect(figures['shade light']!.sharePercent).toBe(100);
    expect(figures['client vanilla']).toMatchObject({ total: 1 });
    expect(graph.nodes.map((n) => n.id)).toContain('router:shade');
  });

  it('counts every request exactly, by process and status, and lists the last ones newest first', () => {
    const view = new MeshView(topology, () => []);
    const statuses = [200, 200, 503, 404, 500];
    const sent = 1000;
    for (let i = 0; i < sent; i++) {
      view.onLine(
        `[client vanilla] {"level":30,"path":"/p${i}","status":${statuses[i % 5]},"durationMs":1,"traceId":"t${i}","msg":"request"}`,
      );
    }
    view.onRouterMessage({
      type: 'requests',
      service: 'shade',
      requests: Array.from({ length: sent }, (_, i) => ['light', statuses[i % 5]!, 1] as const),
    });
    const { figures, recent } = view.snapshot();
    for (const label of ['client vanilla', 'shade light']) {
      // 2 of every 5 answered 5xx: the rate is exact, not estimated from a sample.
      expect(figures[label]).toMatchObject({ total: sent, inWindow: sent, errorRate: 0.4 });
    }
    expect(recent).toHaveLength(30);
    expect(recent[0]).toEqual({
      label: 'client vanilla',
      path: '/p999',
      status: 500,
      durationMs: 1,
      traceId: 't999',
    });
    expect(recent[29]!.path).toBe('/p970');
  });

  it('shows a router’s ejections and retries, sent over its channel', () => {
    const view = new MeshView(topology, () => []);
    view.onRouterMessage({
      type: 'ejection',
      service: 'shade',
      event: { kind: 'ejected', version: 'light', forMs: 60_000 },
    });
    view.onRouterMessage({ type: 'retries', service: 'shade', calls: 10, retries: 2 });
    expect(view.snapshot().policy.find((p) => p.service === 'shade')).toMatchObject({
      ejected: ['light'],
      retriesPerSecond: 2,
      callsPerSecond: 10,
    });
    view.onRouterMessage({
      type: 'ejection',
      service: 'shade',
      event: { kind: 'returned', version: 'light' },
    });
    expect(view.snapshot().policy.find((p) => p.service === 'shade')!.ejected).toEqual([]);
  });

  it('tells router messages from anything else a child may send', () => {
    expect(isRouterMessage({ type: 'plan-applied', service: 'color', revision: 2 })).toBe(true);
    expect(isRouterMessage({ type: 'plan-applied', service: 'color' })).toBe(false);
    expect(isRouterMessage({ type: 'requests', service: 'color', requests: [] })).toBe(true);
    expect(isRouterMessage({ type: 'requests', service: 'color' })).toBe(false);
    expect(isRouterMessage({ type: 'plan-applied' })).toBe(false);
    expect(isRouterMessage({ type: 'retries', service: 'color', calls: 9, retries: 1 })).toBe(true);
    expect(isRouterMessage({ type: 'retries', service: 'color', calls: 9 })).toBe(false);
    const ejection = (event: object) => ({ type: 'ejection', service: 'color', event });
    expect(isRouterMessage(ejection({ kind: 'ejected', version: 'red', forMs: 5 }))).toBe(true);
    expect(isRouterMessage(ejection({ kind: 'returned', version: 'red' }))).toBe(true);
    expect(isRouterMessage(ejection({ kind: 'ejected', version: 'red' }))).toBe(false);
    expect(isRouterMessage(ejection({ kind: 'gone', version: 'red' }))).toBe(false);
    expect(isRouterMessage('plan-applied')).toBe(false);
    expect(isRouterMessage(null)).toBe(false);
  });
});
