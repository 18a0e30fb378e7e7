import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withRetries } from '../src/otlp-retries';

/** A transport answering `responses` in turn (the last one again once they run out). */
function scripted(responses: ExportResponse[]) {
  const timeouts: number[] = [];
  const transport: IExporterTransport = {
    send: async (_data, timeoutMillis) => {
      timeouts.push(timeoutMillis);
      return responses[Math.min(timeouts.length - 1, responses.length - 1)]!;
    },
    shutdown: () => {},
  };
  return { transport, timeouts };
}

/** Pauses that take no time, only noted. */
function notedPauses() {
  const pauses: number[] = [];
  return { pauses, wait: async (ms: number) => void pauses.push(ms) };
}

const DATA = new Uint8Array([1]);
const busy: ExportResponse = { status: 'retryable' };

describe('withRetries', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sends once when the export succeeds or fails for good', async () => {
    for (const response of [
      { status: 'success' },
      { status: 'failure', error: new Error('400') },
    ] as ExportResponse[]) {
      const { transport, timeouts } = scripted([response]);
      const { pauses, wait } = notedPauses();
      expect(await withRetries(transport, wait).send(DATA, 10_000)).toBe(response);
      expect(timeouts).toHaveLength(1);
      expect(pauses).toEqual([]);
    }
  });

  it('tries again after growing pauses until the collector takes the export', async () => {
    const { transport, timeouts } = scripted([busy, busy, busy, { status: 'success' }]);
    const { pauses, wait } = notedPauses();
    expect(await withRetries(transport, wait).send(DATA, 60_000)).toEqual({ status: 'success' });
    expect(timeouts).toHaveLength(4);
    // 1 s, 1.5 s and 2.25 s, each ±20%.
    expect(pauses).toHaveLength(3);
    [1000, 1500, 2250].forEach((expected, i) => {
      expect(pauses[i]).toBeGreaterThanOrEqual(expected * 0.8);
      expect(pauses[i]).toBeLessThanOrEqual(expected * 1.2);
    });
  });

  it('spreads each pause 20% either way, and gives each try only the time left', async () => {
    for (const [random, first] of [
      [0, 800],
      [1, 1200],
    ] as const) {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const { transport, timeouts } = scripted([busy, { status: 'success' }]);
      const { pauses, wait } = notedPauses();
      await withRetries(transport, wait).send(DATA, 60_000);
      expect(pauses).toEqual([first]);
      // The pause took no time: the retry gets (almost) all of the export's 60 s.
      expect(timeouts[1]).toBeGreaterThan(59_000);
      expect(timeouts[1]).toBeLessThanOrEqual(60_000);
    }
  });

  it('pauses for real unless told how, and shuts its transport down', async () => {
    let shutdowns = 0;
    const { transport, timeouts } = scripted([
      { status: 'retryable', retryInMillis: 30 },
      { status: 'success' },
    ]);
    const retrying = withRetries({ ...transport, shutdown: () => void (shutdowns += 1) });
    const started = Date.now();
    expect(await retrying.send(DATA, 10_000)).toEqual({ status: 'success' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(timeouts).toHaveLength(2);
    retrying.shutdown();
    expect(shutdowns).toBe(1);
  });

  it("waits what the collector's Retry-After says, and gives up after 5 retries", async () => {
    const { transport, timeouts } = scripted([{ status: 'retryable', retryInMillis: 10 }]);
    const { pauses, wait } = notedPauses();
    const response = await withRetries(transport, wait).send(DATA, 60_000);
    expect(response.status).toBe('retryable');
    expect(timeouts).toHaveLength(6);
    expect(pauses).toEqual([10, 10, 10, 10, 10]);
  });

  it('never waits past the export timeout', async () => {
    const { transport, timeouts } = scripted([{ status: 'retryable', retryInMillis: 5_000 }]);
    const { pauses, wait } = notedPauses();
    expect((await withRetries(transport, wait).send(DATA, 3_000)).status).toBe('retryable');
    expect(timeouts).toEqual([3_000]);
    expect(pauses).toEqual([]);
  });
});
