import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../src/harness/service-process';
import { measureTracingCost } from '../src/measures/tracing-cost';

// Runs the service bundles: `npm run build` first.
describe('measureTracingCost, in a short run', () => {
  let backend: ServiceProcess;
  beforeAll(async () => {
    backend = await startService('backend', { env: { COLOR: 'red' } });
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('loads gateways with tracing off, unsampled and cloud-sampled, and reports CPU ratios', async () => {
    const result = await measureTracingCost(backend, {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 0.5,
      connections: 4,
    });
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('tracing.failures')).toBe(0);
    for (const variant of ['off', 'offAgain', 'unsampled', 'cloud']) {
      expect(value(`tracing.${variant}.cpuMsPer1000`)).toBeGreaterThan(0);
    }
    for (const id of ['tracing.unsampledVsOff', 'tracing.cloudVsOff', 'tracing.offAgainVsOff']) {
      expect(value(id)).toBeGreaterThan(0);
    }
    // The cloud-sampled gateway recorded and exported spans (the reservoir takes the first).
    expect((result.details as { exports: number }).exports).toBeGreaterThan(0);
  }, 90_000);
});
