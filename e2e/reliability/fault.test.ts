import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { waitFor200 } from '../../bench/src/harness/http-probe';
import { startTraffic, sleep, type Outcome } from './support/traffic';

// The gateway's default connect timeout; the response timeout shortened to keep the test short.
const connectTimeoutMs = 2000;
const responseTimeoutMs = 3000;

describe('the gateway when its backend dies under load', () => {
  let backend: ServiceProcess;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    backend = await startService('backend', { env: { COLOR: 'red' } });
    gateway = await startService('client', {
      env: {
        COLOR_BACKEND: backend.url,
        UPSTREAM_CONNECT_TIMEOUT_MS: String(connectTimeoutMs),
        UPSTREAM_RESPONSE_TIMEOUT_MS: String(responseTimeoutMs),
      },
    });
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), backend?.stop()]);
  });

  it('answers 502/503/504 within the connect timeout, never hangs, and is 200 again within a second of the backend being healthy', async () => {
    const traffic = startTraffic(`${gateway.url}/gateway/color/color`, {
      concurrency: 10,
      // Anything slower than the gateway's own timeouts is a hung request.
      clientTimeoutMs: responseTimeoutMs + 1000,
    });
    await sleep(500);
    const killAt = performance.now();
    await backend.stop('SIGKILL');
    const deadAt = performance.now();
    await sleep(1500);
    const restartAt = performance.now();
    backend = await startService('backend', { port: backend.port, env: { COLOR: 'red' } });
    // The backend's own health path answers: from here the gateway has a second.
    await waitFor200(`${backend.url}/health`);
    const healthyAt = performance.now();
    await sleep(1500);
    await traffic.stop();

    const all = traffic.outcomes;
    const between = (from: number, to: number) =>
      all.filter((o) => o.startedAt >= from && o.endedAt <= to);
    const describeOutcome = (o: Outcome) =>
      `${o.status ?? o.error} after ${Math.round(o.endedAt - o.startedAt)} ms`;

    expect(all.filter((o) => o.error).map(describeOutcome)).toEqual([]);
    expect(all.filter((o) => o.status === 500).map(describeOutcome)).toEqual([]);
    expect(new Set(between(0, killAt).map((o) => o.status))).toEqual(new Set([200]));

    const whileDown = between(deadAt, restartAt);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(
      whileDown.filter((o) => ![502, 503, 504].includes(o.status ?? 0)).map(describeOutcome),
    ).toEqual([]);
    expect(
      whileDown.filter((o) => o.endedAt - o.startedAt > connectTimeoutMs).map(describeOutcome),
    ).toEqual([]);

    const afterRecovery = all.filter((o) => o.startedAt >= healthyAt + 1000);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.filter((o) => o.status !== 200).map(describeOutcome)).toEqual([]);
  });
});
