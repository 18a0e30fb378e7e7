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
    view.onMeasured({
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

  it('tells router messages from anything else a child may send', () => {
    expect(isRouterMessage({ type: 'plan-applied', service: 'color', revision: 2 })).toBe(true);
    expect(isRouterMessage({ type: 'plan-applied', service: 'color' })).toBe(false);
    expect(isRouterMessage({ type: 'requests', service: 'color', requests: [] })).toBe(true);
    expect(isRouterMessage({ type: 'requests', service: 'color' })).toBe(false);
    expect(isRouterMessage({ type: 'plan-applied' })).toBe(false);
    expect(isRouterMessage('plan-applied')).toBe(false);
    expect(isRouterMessage(null)).toBe(false);
  });
});
