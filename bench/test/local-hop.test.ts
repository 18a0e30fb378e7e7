import { validateTopology } from '@color-teller/topology';
import { describe, expect, it } from 'vitest';
import { planMesh } from '../../tools/local-mesh/src/plan';
import { localHopTopology } from '../src/measures/local-hop';

describe('the local hop measure’s topology', () => {
  it('is valid and puts a router in front of the one version, so the bench measures that hop', () => {
    const topology = validateTopology(localHopTopology(process.execPath));
    let port = 41_000;
    const planned = planMesh(topology, {
      repoRoot: '/repo',
      ingressPort: 8080,
      nextPort: () => port++,
    });
    expect(planned.map((p) => [p.version, p.role, p.port])).toEqual([
      ['red', 'service', 41_000],
      ['router', 'router', 8080],
    ]);
    expect(planned[0]!.command).toEqual([process.execPath, 'dist/server.js']);
  });
});
