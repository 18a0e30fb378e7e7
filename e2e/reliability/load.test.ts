import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMesh } from '@color-teller/local-mesh';
import { runLoad } from '../../bench/src/load';
import { startMesh } from '../../bench/src/system-under-test';

describe('load through the full local path', () => {
  let mesh: LocalMesh;

  beforeAll(async () => {
    const started = await startMesh('color-teller.topology.ts');
    if ('unavailable' in started) throw new Error(started.unavailable);
    mesh = started;
  });

  afterAll(async () => {
    await mesh?.stop();
  });

  it('answers 5 s at 50 connections through ingress, gateway and backend with zero errors and zero non-2xx', async () => {
    const result = await runLoad({
      url: `${mesh.url}/gateway/color/color`,
      connections: 50,
      durationSec: 5,
    });
    expect(result.responses).toBeGreaterThan(0);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
    });
  });
});
