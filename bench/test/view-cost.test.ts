import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMesh } from '@color-teller/local-mesh';
import { measureViewCost } from '../src/measures/view-cost';
import { startMesh } from '../src/system-under-test';

// Runs the service bundles: `npm run build` first.
describe('measureViewCost, in a short run', () => {
  let withoutView: LocalMesh;
  let withView: LocalMesh;
  beforeAll(async () => {
    const started = await Promise.all([
      startMesh('examples/canary.topology.ts'),
      startMesh('examples/canary.topology.ts', { viewPort: 0 }),
    ]);
    for (const mesh of started) if (!('url' in mesh)) throw new Error(mesh.unavailable);
    [withoutView, withView] = started as [LocalMesh, LocalMesh];
  }, 60_000);
  afterAll(async () => {
    await Promise.all([withoutView?.stop(), withView?.stop()]);
  });

  it('loads the canary path with and without the view, without failures, and states the cost', async () => {
    const result = await measureViewCost({ withoutView, withView }, '/gateway/color/color', {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 0.5,
      connections: 4,
    });
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('view.failures')).toBe(0);
    expect(value('view.without.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.with.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.throughputCostPercent')).toBeTypeOf('number');
  }, 60_000);
});
