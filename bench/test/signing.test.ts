import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../src/harness/service-process';
import { measureSigningCost } from '../src/measures/signing';

// Runs the service bundles: `npm run build` first.
describe('measureSigningCost, in a short run', () => {
  let backend: ServiceProcess;
  beforeAll(async () => {
    backend = await startService('backend', { env: { COLOR: 'red' } });
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('loads a signed and an unsigned gateway without failures and reports CPU per 1,000 requests', async () => {
    const result = await measureSigningCost(backend, {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 0.5,
      connections: 4,
    });
    const value = (id: string) => result.figures.find((figure) => figure.id === id)?.value;
    expect(value('signing.failures')).toBe(0);
    for (const id of ['signing.unsigned.cpuMsPer1000', 'signing.signed.cpuMsPer1000']) {
      expect(value(id)).toBeGreaterThan(0);
    }
    expect(value('signing.throughputVsUnsigned')).toBeGreaterThan(0);
    expect(value('signing.signed.requestsPerSec')).toBeGreaterThan(0);
  }, 60_000);
});
