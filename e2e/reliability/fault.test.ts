import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
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

/** Whether a TCP connection to `port` completes within `withinMs`; the socket is left open. */
async function connectsWithin(port: number, withinMs: number, sockets: Socket[]): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), withinMs));
  const connected = once(socket, 'connect').then(
    () => true,
    () => false,
  );
  return Promise.race([connected, timer]);
}

/**
 * A loopback port whose listener accepts nothing: its process is stopped and its accept queue
 * filled, so the kernel leaves every new connection's SYN unanswered (on loopback a port with no
 * listener refuses at once, and a slow server still accepts).
 */
async function unacceptingPort(): Promise<{ port: number; sockets: Socket[]; close(): void }> {
  const listener = spawn(
    process.execPath,
    [
      '-e',
      "const s = require('node:net').createServer(); s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => console.log(s.address().port));",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(listener.stdout, 'data')) as [Buffer];
  const port = Number(line.toString('utf8').trim());
  listener.kill('SIGSTOP');
  const sockets: Socket[] = [];
  // Connections complete until the queue is full; the first that hangs shows it is.
  for (let filled = 0; filled < 20; filled += 1) {
    if (!(await connectsWithin(port, 300, sockets))) break;
  }
  const close = () => {
    for (const socket of sockets) socket.destroy();
    listener.kill('SIGKILL');
  };
  return { port, sockets, close };
}

describe('the gateway when its backend accepts no connection', () => {
  const connectTimeoutMs = 1000;
  let upstream: Awaited<ReturnType<typeof unacceptingPort>>;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    upstream = await unacceptingPort();
    gateway = await startService('client', {
      env: {
        COLOR_BACKEND: `http://127.0.0.1:${upstream.port}`,
        UPSTREAM_CONNECT_TIMEOUT_MS: String(connectTimeoutMs),
        UPSTREAM_RESPONSE_TIMEOUT_MS: '10000',
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    upstream?.close();
  });

  it('answers 502 once the connect timeout has passed: not before it, and not long after', async () => {
    // The set-up itself: a connection to the upstream really does hang.
    expect(await connectsWithin(upstream.port, 500, upstream.sockets)).toBe(false);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = performance.now();
      const response = await fetch(`${gateway.url}/gateway/color/color`);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ error: 'backend_unavailable' });
      expect(elapsed).toBeGreaterThanOrEqual(connectTimeoutMs - 50);
      expect(elapsed).toBeLessThan(connectTimeoutMs + 2000);
    }
  });
});
