import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMeshProcess, type MeshProcess } from '../src/harness/mesh-process';
import { readTreeCpu } from '../src/harness/process-tree';
import { measureViewCost } from '../src/measures/view-cost';

/** The commands of a mesh's services (not its runner or routers) told where to send spans. */
async function tracedServices(mesh: MeshProcess): Promise<{ traced: number; services: number }> {
  let traced = 0;
  let services = 0;
  for (const [pid, { command }] of await readTreeCpu(mesh.pid)) {
    if (!/color-(backend|client)/.test(command)) continue;
    services += 1;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
    if (environ.split('\0').some((entry) => entry.startsWith('OTEL_EXPORTER_OTLP_ENDPOINT=')))
      traced += 1;
  }
  return { traced, services };
}

// Runs the service bundles: `npm run build` first.
describe('measureViewCost, in a short run', () => {
  let withoutView: MeshProcess;
  let withView: MeshProcess;
  let withViewNoTraces: MeshProcess;
  beforeAll(async () => {
    const start = (liveView: boolean, viewTraces?: number) =>
      startMeshProcess('examples/canary.topology.ts', {
        liveView,
        readyPath: '/gateway/color/color',
        ...(viewTraces === undefined ? {} : { viewTraces }),
      });
    [withoutView, withView, withViewNoTraces] = await Promise.all([
      start(false),
      start(true),
      start(true, 0),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([withoutView?.stop(), withView?.stop(), withViewNoTraces?.stop()]);
  });

  it('traces every service for the view, and none with the view told to take no traces', async () => {
    // The canary example: the gateway and two backend versions.
    expect(await tracedServices(withView)).toEqual({ traced: 3, services: 3 });
    expect(await tracedServices(withViewNoTraces)).toEqual({ traced: 0, services: 3 });
    expect(await tracedServices(withoutView)).toEqual({ traced: 0, services: 3 });
  });

  it('loads the canary path without the view, with it and with its traces off, without failures, and states the cost', async () => {
    const result = await measureViewCost(
      { withoutView, withView, withViewNoTraces },
      '/gateway/color/color',
      { rounds: 3, warmupSec: 0.2, durationSec: 1.5, connections: 4 },
    );
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('view.failures')).toBe(0);
    expect(value('view.without.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.with.requestsPerSec')).toBeGreaterThan(0);
    expect(value('view.throughputCostPercent')).toBeTypeOf('number');
    expect(value('view.noTraces.throughputCostPercent')).toBeTypeOf('number');
    // CPU of the whole tree: the runner and its services, routers and ingress.
    expect(value('view.without.cpuMsPer1000')).toBeGreaterThan(0);
    expect(value('view.noTraces.cpuMsPer1000')).toBeGreaterThan(0);
    expect(value('view.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    expect(value('view.noTraces.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    expect(value('view.fixedRate.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    expect(value('view.fixedRate.noTraces.cpuPerRequestVsWithout')).toBeGreaterThan(0);
    const byProcess = (result.details as { cpuMsPer1000ByProcess: Record<string, object> })
      .cpuMsPer1000ByProcess;
    expect(Object.keys(byProcess)).toEqual(['withoutView', 'withView', 'withViewNoTraces']);
    for (const tree of Object.values(byProcess)) {
      const commands = Object.keys(tree).join(' ');
      for (const part of ['mesh-main.ts', 'router/main.ts', 'color-backend', 'color-client']) {
        expect(commands).toContain(part);
      }
    }
    // The page followed the view's events while the rounds ran.
    expect(value('view.eventsDuringMeasure')).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
