import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/http-app';
import { registerProxy } from '../src/proxy';
import { ServiceServer } from '../src/service-server';
import { cleanupAfterEach } from '../testing';

const { defer, recording } = cleanupAfterEach();

/** A server proxying /api to an upstream that answers `upstream`, listening on loopback. */
async function listeningServer() {
  const upstream = await recording((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"from":"upstream"}');
  });
  const server = new ServiceServer({ name: 'early', logLevel: 'silent' });
  await registerProxy(server, { prefix: '/api', upstream: () => upstream.url });
  const url = await server.listen('127.0.0.1', 0);
  defer(() => server.close());
  return { server, url };
}

describe('ServiceServer', () => {
  it('proxies before any app exists; a request for the app waits, then the ready app answers it', async () => {
    const { server, url } = await listeningServer();
    const proxied = await fetch(`${url}/api/anything`);
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toEqual({ from: 'upstream' });

    let answered = false;
    const waiting = fetch(`${url}/version`).then(async (response) => {
      answered = true;
      return { status: response.status, body: await response.json() };
    });
    // The proxy keeps answering while the app's request waits.
    expect((await fetch(`${url}/api/again`)).status).toBe(200);
    expect(answered).toBe(false);

    const app = createServiceApp({ name: 'early', server });
    app.get('/version', async () => ({ version: 'v1' }));
    await app.ready();
    expect(await waiting).toEqual({ status: 200, body: { version: 'v1' } });
  });

  it('builds the app on the first request that needs it, not before', async () => {
    const { server, url } = await listeningServer();
    let builds = 0;
    server.buildAppWhenNeeded(async () => {
      builds += 1;
      const app = createServiceApp({ name: 'early', server });
      app.get('/health', async () => ({ status: 'up' }));
      await app.ready();
    }, 60_000);
    await fetch(`${url}/api/x`);
    expect(builds).toBe(0);
    const [first, second] = await Promise.all([fetch(`${url}/health`), fetch(`${url}/health`)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(builds).toBe(1);
  });

  it('builds the app when its time comes, with no request asking', async () => {
    const { server } = await listeningServer();
    let built!: () => void;
    const builtOnTime = new Promise<void>((resolve) => (built = resolve));
    server.buildAppWhenNeeded(async () => built(), 50);
    await builtOnTime;
  });

  it('runs its close hooks once it has drained, with or without an app', async () => {
    const { server } = await listeningServer();
    const order: string[] = [];
    server.onClose(async () => {
      order.push(`hook, listening=${server.http.listening}`);
    });
    await server.close();
    await server.close();
    expect(order).toEqual(['hook, listening=false']);
  });

  it("gives every connection's socket one shape, whether a request read its peer's address or not", () => {
    // V8's own view of the two sockets, from a process allowed to ask it (see the fixture).
    const fixture = fileURLToPath(new URL('./fixtures/socket-shapes.ts', import.meta.url));
    const child = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', fixture],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ sockets: 2, sameShape: true });
  });
});
