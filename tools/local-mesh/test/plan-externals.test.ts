import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Topology } from '@color-teller/topology';
import { planMesh } from '../src/plan';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const topology: Topology = {
  name: 'demo',
  namespace: 'demo.local',
  externals: [{ name: 'colornames', baseUrl: 'https://api.color.pizza/v1' }],
  services: [
    {
      name: 'color',
      codePath: 'services/color-backend',
      port: 3000,
      healthPath: '/health',
      backends: [{ service: 'colornames' }],
      versions: [{ name: 'red' }],
    },
  ],
  ingress: { service: 'color' },
};

describe('planMesh with externals', () => {
  it('gives the caller the external base URL in its backend env var, and no mesh timeouts for it', () => {
    let next = 41000;
    const [color] = planMesh(topology, { repoRoot, ingressPort: 8124, nextPort: () => ++next });
    expect(color!.env).toEqual({
      COLORNAMES_BACKEND: 'https://api.color.pizza/v1',
      HOST: '127.0.0.1',
      PORT: '8124',
    });
  });
});
