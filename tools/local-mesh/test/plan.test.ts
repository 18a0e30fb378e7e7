import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTopology } from '@color-teller/topology/load';
import type { Topology } from '@color-teller/topology';
import { planMesh, portsNeeded, ROUTER_CONFIG_ENV } from '../src/plan';
import type { RouterConfig } from '../src/plan';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function plan(topology: Topology) {
  let next = 40000;
  return planMesh(topology, { repoRoot, ingressPort: 8123, nextPort: () => ++next });
}

const row = (p: ReturnType<typeof plan>[number]) => [p.service, p.version, p.role, p.port];

describe('planMesh', () => {
  it('runs the default topology as two processes, the client itself on the ingress port', async () => {
    const topology = await loadTopology('color-teller.topology.ts', repoRoot);
    const processes = plan(topology);
    expect(processes.map(row)).toEqual([
      ['color', 'red', 'service', 40001],
      ['client', 'vanilla', 'service', 8123],
    ]);
    expect(portsNeeded(topology)).toBe(2);
    const [color, client] = processes;
    expect(color!.env).toEqual({ COLOR: 'red', HOST: '127.0.0.1', PORT: '40001' });
    expect(client!.env).toEqual({
      UPSTREAM_CONNECT_TIMEOUT_MS: '2000',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '5000',
      VERSION: 'vanilla',
      COLOR_BACKEND: 'http://127.0.0.1:40001',
      HOST: '127.0.0.1',
      PORT: '8123',
    });
    expect(client!.healthUrl).toBe('http://127.0.0.1:8123/health');
    expect(client!.entry).toBe(`${repoRoot}services/color-client/dist/server.js`);
  });

  it('puts a router in front of the canary backend and points the client at it', async () => {
    const topology = await loadTopology('examples/canary.topology.ts', repoRoot);
    const processes = plan(topology);
    expect(processes.map(row)).toEqual([
      ['color', 'red', 'service', 40001],
      ['color', 'blue', 'service', 40002],
      ['color', 'router', 'router', 40003],
      ['client', 'vanilla', 'service', 8123],
    ]);
    const router = processes[2]!;
    const config = JSON.parse(router.env[ROUTER_CONFIG_ENV]!) as RouterConfig;
    expect(config.upstreams).toEqual([
      { name: 'red', weight: 80, url: 'http://127.0.0.1:40001' },
      { name: 'blue', weight: 20, url: 'http://127.0.0.1:40002' },
    ]);
    expect(config.routes).toHaveLength(2);
    expect(router.entry).toBeUndefined();
    expect(processes[3]!.env.COLOR_BACKEND).toBe('http://127.0.0.1:40003');
    expect(processes[1]!.env.COLOR).toBe('blue');
  });

  it('gives the ingress port to the router when the ingress service has several versions', async () => {
    const base = await loadTopology('color-teller.topology.ts', repoRoot);
    const topology: Topology = {
      ...base,
      services: base.services.map((s) =>
        s.name === 'client'
          ? {
              ...s,
              versions: [
                { name: 'vanilla', weight: 1 },
                { name: 'choco', weight: 1, env: { VERSION: 'choco' } },
              ],
              timeouts: { connectMs: 500, perRequestMs: 1500 },
            }
          : s,
      ),
    };
    const processes = plan(topology);
    expect(processes.map(row)).toEqual([
      ['color', 'red', 'service', 40001],
      ['client', 'vanilla', 'service', 40002],
      ['client', 'choco', 'service', 40003],
      ['client', 'router', 'router', 8123],
    ]);
    expect(processes[3]!.env).toMatchObject({
      UPSTREAM_CONNECT_TIMEOUT_MS: '500',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '1500',
    });
    expect(portsNeeded(topology)).toBe(4);
  });
});
