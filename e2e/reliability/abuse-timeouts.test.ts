import { afterEach, describe, expect, it } from 'vitest';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import { withServiceChanged } from '@color-teller/topology';
import { loadTopology } from '@color-teller/topology/load';
import { get } from '../../bench/src/harness/http-probe';
import { REPO_ROOT } from '../support/mesh';

let mesh: LocalMesh | undefined;
afterEach(async () => {
  await mesh?.stop();
  mesh = undefined;
});

describe('the topology’s timeouts', () => {
  it('reach the gateway: a stalled backend with perRequestMs 1500 gets its 504 at 1.5 s, not 5 s (finding 8)', async () => {
    const perRequestMs = 1500;
    const base = await loadTopology('color-teller.topology.ts', REPO_ROOT);
    const topology = withServiceChanged(base, 'color', (s) => ({
      ...s,
      timeouts: { perRequestMs },
    }));
    mesh = await startLocalMesh({ topology, ingressPort: 0, build: false });
    mesh.kill('color', 'red', 'SIGSTOP');
    try {
      const startedAt = performance.now();
      const answer = await get(`${mesh.url}/gateway/color/color`, { timeoutMs: 4500 });
      const elapsedMs = performance.now() - startedAt;
      expect(answer.status).toBe(504);
      expect(elapsedMs).toBeGreaterThanOrEqual(perRequestMs - 100);
      expect(elapsedMs, `504 after ${Math.round(elapsedMs)} ms`).toBeLessThan(perRequestMs + 1500);
    } finally {
      mesh.kill('color', 'red', 'SIGCONT');
    }
  });
});
