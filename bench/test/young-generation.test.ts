import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../src/harness/service-process';
import { measureYoungGeneration, semiSpaceSizesMb } from '../experiments/young-generation';

// Runs the service bundles: `npm run build` first.
describe('measureYoungGeneration, in a short run', () => {
  let backend: ServiceProcess;
  beforeAll(async () => {
    backend = await startService('backend', { env: { COLOR: 'red' } });
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('loads a gateway per semi-space size and compares each with V8 defaults', async () => {
    const result = await measureYoungGeneration(backend, {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 0.4,
      connections: 4,
    });
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('youngGeneration.default.rssMb')).toBeGreaterThan(5);
    for (const mb of semiSpaceSizesMb) {
      expect(value(`youngGeneration.semi${mb}.rssMb`)).toBeGreaterThan(5);
      expect(value(`youngGeneration.semi${mb}.cpuVsDefault`)).toBeGreaterThan(0);
      expect(value(`youngGeneration.semi${mb}.throughputVsDefault`)).toBeGreaterThan(0);
    }
    const rows = (result.details as { rows: { label: string }[] }).rows;
    expect(rows.map((row) => row.label)).toEqual([
      'V8 defaults',
      ...semiSpaceSizesMb.map((mb) => `--max-semi-space-size=${mb}`),
    ]);
  }, 60_000);
});
