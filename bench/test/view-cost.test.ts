import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMeshProcess, type MeshProcess } from '../src/harness/mesh-process';
import { measureViewCost } from '../src/measures/view-cost';

// Runs the service bundles: `npm run build` first.
describe('measureViewCost, in a short run', () => {
  let withoutView: MeshProcess;
  let withView: MeshProcess;
  beforeAll(async () => {
    const start = (liveView: boolean) =>
      startMeshProcess('examples/canary.topology.ts', {
        liveView,
        readyPath: '/gateway/color/color',
      });
    [withoutView, withView] = await Promise.all([start(false), start(true)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([withoutView?.stop(), withView?.stop()]);
  });

  it('loads the canary path with and without the view, without failures, and states the cost', async () => {
    const result = await measureViewCost({ withoutView, withView }, '/gateway/color/color', {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 1.5,
      connections: 4,
    });
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('view.failures')).toBe(0);
    expect(value('view.without.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.with.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.throughputCostPercent')).toBeTypeOf('number');
    // CPU of the whole tree: the runner and its services, routers and ingress.
    expect(value('view.without.cpuMsPer1000')).toBeGreaterThan(0);
    expect(value('view.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    expect(value('view.fixedRate.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    const byProcess = (result.details as { cpuMsPer1000ByProcess: Record<string, object> })
      .cpuMsPer1000ByProcess;
    for (const tree of Object.values(byProcess)) {
      const commands = Object.keys(tree).join(' ');
      for (const part of ['mesh-main.ts', 'router/main.ts', 'color-backend', 'color-client']) {
        expect(commands).toContain(part);
      }
    }
    // The page followed the view's events while the rounds ran.
    expect(value('view.eventsDuringMeasure')).toBeGreaterThanOrEqual(3);
  }, 90_000);
});
