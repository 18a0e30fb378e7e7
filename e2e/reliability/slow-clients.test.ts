import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { get } from '../../bench/src/harness/http-probe';
import { closedByServer, connect } from './support/raw-http';

// The services read their headers timeout from this env var so that a test can make it short.
const headersTimeoutMs = 1000;
const slowClients = 300;

const services = [
  { kind: 'client', env: { COLOR_BACKEND: 'http://127.0.0.1:9' } },
  { kind: 'backend', env: { COLOR: 'red' } },
] as const;

describe.each(services)('color-$kind under hundreds of slow clients', ({ kind, env }) => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService(kind, {
      env: { ...env, HEADERS_TIMEOUT_MS: String(headersTimeoutMs) },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('keeps answering /health within a second, and closes half-sent requests at the headers timeout', async () => {
    const sockets = await Promise.all(
      Array.from({ length: slowClients }, () => connect(service.port)),
    );
    const closed = sockets.map((socket) => closedByServer(socket));
    const openedAt = performance.now();
    for (const socket of sockets) socket.write('GET /health HTTP/1.1\r\nHost: client\r\nX-Slow: ');

    const health = await get(`${service.url}/health`, { timeoutMs: 1000 });
    expect(health.status).toBe(200);

    // Node checks the timeout once a second, so allow that on top of the timeout itself.
    const bound = new Promise<'timed out'>((resolve) =>
      setTimeout(() => resolve('timed out'), headersTimeoutMs + 2500),
    );
    const outcome = await Promise.race([Promise.all(closed), bound]);
    const stillOpen = sockets.filter((s) => !s.destroyed).length;
    for (const socket of sockets) socket.destroy();
    expect(
      outcome === 'timed out'
        ? `${stillOpen} of ${slowClients} half-sent requests still open after ${Math.round(performance.now() - openedAt)} ms: does the service apply HEADERS_TIMEOUT_MS=${headersTimeoutMs}?`
        : 'all closed',
    ).toBe('all closed');
    expect(service.isAlive()).toBe(true);
  });
});
