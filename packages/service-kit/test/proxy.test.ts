import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '../src/http-app';
import { registerProxy } from '../src/proxy';
import { TrustedPeers } from '../src/trusted-peers';
import type { ProxyOptions } from '../src/proxy';
import { cleanupAfterEach, openProxyAttempts, rawRequest, unusedPort } from '../testing';
import type { RecordedRequest, RecordingServer } from '../testing';

const { defer, recording } = cleanupAfterEach();

async function proxyTo(
  upstream: URL | ((request: Parameters<ProxyOptions['upstream']>[0]) => URL),
  options: Partial<ProxyOptions> = {},
): Promise<URL> {
  const app: FastifyInstance = createServiceApp({
    name: 'proxy-test',
    logLevel: 'silent',
    bodyLimitBytes: 4096,
  });
  app.get('/own', async () => ({ own: true }));
  await registerProxy(app, {
    prefix: '/gateway/color',
    upstream: typeof upstream === 'function' ? upstream : () => upstream,
    ...options,
  });
  defer(() => app.close());
  return new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
}

/** Starts `server` on a free loopback port, closed after the test; resolves with its port. */
async function listening(server: ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as AddressInfo).port;
}

async function until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const deadline = performance.now() + deadlineMs;
  while (!condition() && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

const only = (server: RecordingServer): RecordedRequest => {
  expect(server.requests).toHaveLength(1);
  return server.requests[0] as RecordedRequest;
};

describe('registerProxy: forwarding', () => {
  it('passes every method, the path without the prefix, the query, the status and the body', async () => {
    const upstream = await recording((request, response) => {
      response.statusCode = request.method === 'POST' ? 201 : 299;
      response.setHeader('content-type', 'text/plain');
      response.end(`${request.method} ${request.url} ${request.body}`);
    });
    const proxy = await proxyTo(upstream.url);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const withBody = method !== 'GET';
      const response = await fetch(new URL('/gateway/color/color?a=1&b=%20', proxy), {
        method,
        ...(withBody
          ? { body: 'payload', headers: { 'content-type': 'application/x-thing' } }
          : {}),
      });
      expect(response.status).toBe(method === 'POST' ? 201 : 299);
      expect(await response.text()).toBe(`${method} /color?a=1&b=%20 ${withBody ? 'payload' : ''}`);
    }
    expect(upstream.requests.map((request) => request.headers['content-type'])).toContain(
      'application/x-thing',
    );
  });

  it('passes a JSON body byte for byte', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const body = '{ "b": 1,   "a": [2] }';
    await fetch(new URL('/gateway/color/x', proxy), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(only(upstream).body).toBe(body);
  });

  it('maps the bare prefix to the upstream root, and leaves other paths alone', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await fetch(new URL('/gateway/color', proxy));
    expect(only(upstream).url).toBe('/');
    expect(await (await fetch(new URL('/own', proxy))).json()).toEqual({ own: true });
    expect((await fetch(new URL('/gateway/colors', proxy))).status).toBe(404);
    expect(upstream.requests).toHaveLength(1);
  });

  it("keeps the upstream's base path", async () => {
    const upstream = await recording();
    const proxy = await proxyTo(new URL('/base/', upstream.url));
    await fetch(new URL('/gateway/color/color', proxy));
    expect(only(upstream).url).toBe('/base/color');
  });

  it('picks the upstream per request', async () => {
    const blue = await recording((_request, response) => response.end('blue'));
    const red = await recording((_request, response) => response.end('red'));
    const proxy = await proxyTo((request) =>
      request.headers['x-canary'] === 'yes' ? red.url : blue.url,
    );
    expect(await (await fetch(new URL('/gateway/color/c', proxy))).text()).toBe('blue');
    expect(
      await (
        await fetch(new URL('/gateway/color/c', proxy), { headers: { 'x-canary': 'yes' } })
      ).text(),
    ).toBe('red');
  });

  it("forwards every path when the prefix is ''", async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url, { prefix: '' });
    await fetch(new URL('/', proxy));
    await fetch(new URL('/any/path?q=1', proxy), { method: 'DELETE' });
    expect(upstream.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /',
      'DELETE /any/path?q=1',
    ]);
  });

  it('fails when the prefix has no leading slash or holds a wildcard, naming it', async () => {
    for (const prefix of ['api', '/api/*']) {
      const app = createServiceApp({ name: 'proxy-test', logLevel: 'silent' });
      defer(() => app.close());
      await expect(
        registerProxy(app, { prefix, upstream: () => new URL('http://x') }),
      ).rejects.toThrow(`Proxy prefix ${JSON.stringify(prefix)} is invalid`);
    }
  });

  it('sends a body without a content type as application/octet-stream, with its length', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const response = await rawRequest(
      proxy,
      'POST /gateway/color/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
    );
    expect(response.status).toBe(200);
    const { body, headers } = only(upstream);
    expect([body, headers['content-type'], headers['content-length']]).toEqual([
      'abc',
      'application/octet-stream',
      '3',
    ]);
  });

  it('sends a chunked request body on with a length, not its Transfer-Encoding', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const response = await rawRequest(
      proxy,
      'POST /gateway/color/a HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    expect(response.status).toBe(200);
    const { body, headers } = only(upstream);
    expect(body).toBe('abcde');
    expect(headers['content-length']).toBe('5');
    expect(headers).not.toHaveProperty('transfer-encoding');
  });

  it('answers HEAD with the upstream length and no body', async () => {
    const upstream = await recording((_request, response) => {
      response.setHeader('content-type', 'text/plain');
      response.setHeader('content-length', '12');
      response.end();
    });
    const proxy = await proxyTo(upstream.url);
    const response = await rawRequest(
      proxy,
      'HEAD /gateway/color/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe('12');
    expect(response.body).toBe('');
  });

  it('fails when the prefix ends with a slash', async () => {
    const app = createServiceApp({ name: 'proxy-test', logLevel: 'silent' });
    defer(() => app.close());
    await expect(
      registerProxy(app, { prefix: '/api/', upstream: () => new URL('http://x') }),
    ).rejects.toThrow(/Proxy prefix "\/api\/" is invalid/);
  });
});

describe('registerProxy: headers', () => {
  it('removes hop-by-hop request headers, those named in Connection included', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await rawRequest(
      proxy,
      [
        'GET /gateway/color/color HTTP/1.1',
        'Host: gateway.test',
        'Connection: close, X-Secret-Hop',
        'X-Secret-Hop: 1',
        'Keep-Alive: timeout=5',
        'Proxy-Authorization: Basic abc',
        'TE: trailers',
        'Upgrade: websocket',
        'X-Kept: yes',
        '',
        '',
      ].join('\r\n'),
    );
    const { headers } = only(upstream);
    for (const name of ['x-secret-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) {
      expect(headers).not.toHaveProperty(name);
    }
    expect(headers['x-kept']).toBe('yes');
    expect(headers.host).toBe(upstream.url.host);
  });

  it('removes hop-by-hop response headers, those named in Connection included', async () => {
    const upstream = await recording((_request, response) => {
      response.setHeader('connection', 'keep-alive, x-upstream-hop');
      response.setHeader('x-upstream-hop', 'secret');
      response.setHeader('proxy-authenticate', 'Basic');
      response.setHeader('x-kept', 'yes');
      response.end('ok');
    });
    const proxy = await proxyTo(upstream.url);
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.headers.get('x-upstream-hop')).toBeNull();
    expect(response.headers.get('proxy-authenticate')).toBeNull();
    expect(response.headers.get('x-kept')).toBe('yes');
  });

  it('removes Proxy-Connection, Trailer and the Connection list from requests', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await rawRequest(
      proxy,
      'GET /gateway/color/a HTTP/1.1\r\nHost: x\r\nProxy-Connection: keep-alive\r\nTrailer: X-Checksum\r\nConnection: close, x-hop\r\n\r\n',
    );
    const { headers } = only(upstream);
    expect(headers).not.toHaveProperty('proxy-connection');
    expect(headers).not.toHaveProperty('trailer');
    expect(headers.connection ?? 'keep-alive').toBe('keep-alive');
  });

  it('forwards a request that has no Connection and no Host header, without X-Forwarded-Host', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const response = await rawRequest(
      proxy,
      'GET /gateway/color/a HTTP/1.0\r\nX-Forwarded-Host: evil.example\r\n\r\n',
    );
    expect(response.status).toBe(200);
    const { headers } = only(upstream);
    expect(headers).not.toHaveProperty('x-forwarded-host');
    expect(headers.host).toBe(upstream.url.host);
  });

  it("sets X-Forwarded-For/Proto/Host, appending to a trusted peer's X-Forwarded-For, dropping Forwarded", async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url, {
      trustForwardedFrom: TrustedPeers.parse(['127.0.0.1']),
    });
    await rawRequest(
      proxy,
      'GET /gateway/color/a HTTP/1.1\r\nHost: app.example\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Host: evil.example\r\nForwarded: host=evil.example\r\nConnection: close\r\n\r\n',
    );
    const { headers } = only(upstream);
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('app.example');
    expect(headers).not.toHaveProperty('forwarded');
  });

  it('passes traceparent, tracestate and X-Amzn-Trace-Id on, and the request id', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const response = await fetch(new URL('/gateway/color/a', proxy), {
      headers: { traceparent, tracestate: 'v=1', 'x-amzn-trace-id': 'Root=1-abc-def' },
    });
    const { headers } = only(upstream);
    expect(headers.traceparent).toBe(traceparent);
    expect(headers.tracestate).toBe('v=1');
    expect(headers['x-amzn-trace-id']).toBe('Root=1-abc-def');
    expect(headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  });

  it('starts a traceparent when the request has none or an invalid one', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await fetch(new URL('/gateway/color/a', proxy));
    await fetch(new URL('/gateway/color/a', proxy), {
      headers: { traceparent: 'garbage', tracestate: 'v=1' },
    });
    const [first, second] = upstream.requests.map((request) => request.headers);
    expect(first?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(second?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(second?.traceparent).not.toBe(first?.traceparent);
    expect(second).not.toHaveProperty('tracestate');
  });
});

describe('registerProxy: failures', () => {
  it('answers 502 backend_unavailable when nothing listens upstream', async () => {
    const proxy = await proxyTo(new URL(`http://127.0.0.1:${await unusedPort()}`));
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'backend_unavailable' });
  });

  it('answers 502 backend_unavailable when no connection is made within the connect timeout', async () => {
    // Loopback only: a TCP server that accepts and stays silent stalls the TLS handshake, which
    // is part of connecting; the connect timeout must end the wait.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    defer(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const { port } = silent.address() as AddressInfo;
    silent.on('connection', (socket) => defer(async () => void socket.destroy()));
    const proxy = await proxyTo(new URL(`https://127.0.0.1:${port}`), { connectTimeoutMs: 300 });
    const started = performance.now();
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'backend_unavailable' });
    // Both sides: not before the configured 300 ms, and well before the 2 s default.
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('answers 504 backend_timeout when the upstream is too slow, and keeps serving', async () => {
    const upstream = await recording((request, response) => {
      if (request.url === '/slow') setTimeout(() => response.end('late'), 2_500);
      else response.end('fast');
    });
    const proxy = await proxyTo(upstream.url, { responseTimeoutMs: 200 });
    const response = await fetch(new URL('/gateway/color/slow', proxy));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: 'backend_timeout' });
    expect(await (await fetch(new URL('/gateway/color/fast', proxy))).text()).toBe('fast');
  });

  it('answers 504 when a small answer stalls mid-body, without the upstream length', async () => {
    const upstream = await recording((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
      response.write('12345');
    });
    const proxy = await proxyTo(upstream.url, { responseTimeoutMs: 200 });
    const response = await fetch(new URL('/gateway/color/stall', proxy));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: 'backend_timeout' });
  });

  it('streams a large answer through intact', async () => {
    const large = 'abcdefghij'.repeat(50_000);
    const upstream = await recording((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(large);
    });
    const proxy = await proxyTo(upstream.url);
    const response = await fetch(new URL('/gateway/color/large', proxy));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(large);
  });

  it('passes an upstream 503 on without retrying it', async () => {
    const upstream = await recording((_request, response) => {
      response.statusCode = 503;
      response.end('busy');
    });
    const proxy = await proxyTo(upstream.url);
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.status).toBe(503);
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers 413 for a body over the limit without calling upstream, and keeps serving', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const response = await fetch(new URL('/gateway/color/color', proxy), {
      method: 'POST',
      body: 'x'.repeat(8192),
    });
    expect(response.status).toBe(413);
    expect(upstream.requests).toHaveLength(0);
    expect((await fetch(new URL('/gateway/color/color', proxy))).status).toBe(200);
  });

  it('closes the connection after a 413, without reading the rest of the body', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    // 10 MB declared, 100 bytes sent, and no Connection: close: only the server can end this.
    const answer = await rawRequest(
      proxy,
      `POST /gateway/color/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n${'x'.repeat(100)}`,
    );
    expect(answer.status).toBe(413);
    expect(answer.headers['connection']).toBe('close');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 431 for headers over the limit without calling upstream', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const response = await rawRequest(
      proxy,
      `GET /gateway/color/color HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('registerProxy: never an open proxy', () => {
  for (const prefix of ['/gateway/color', '']) {
    it(`keeps every attempt on the upstream or answers 4xx (prefix '${prefix}')`, async () => {
      const sentinel = await recording();
      const upstream = await recording();
      const proxy = await proxyTo(upstream.url, { prefix });
      for (const attempt of openProxyAttempts(prefix, sentinel.url)) {
        const before = upstream.requests.length;
        const response = await rawRequest(proxy, attempt.request);
        const reachedUpstream = upstream.requests.length > before;
        expect({ attempt: attempt.name, sentinel: sentinel.requests.length }).toEqual({
          attempt: attempt.name,
          sentinel: 0,
        });
        if (reachedUpstream) {
          expect(upstream.requests.at(-1)?.headers.host, attempt.name).toBe(upstream.url.host);
          expect(response.status, attempt.name).toBe(200);
        } else {
          expect(response.status, attempt.name).toBeGreaterThanOrEqual(400);
          expect(response.status, attempt.name).toBeLessThan(500);
        }
      }
    });
  }
});

/** A proxy whose warnings and errors are collected; `logged()` parses them. */
async function loggedProxy(options: Partial<ProxyOptions> & Pick<ProxyOptions, 'upstream'>) {
  const lines: string[] = [];
  const app = createServiceApp({
    name: 'proxy-test',
    logLevel: 'warn',
    logStream: { write: (line) => void lines.push(line) },
  });
  defer(() => app.close());
  await registerProxy(app, { prefix: '/gateway/color', ...options });
  const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
  const logged = () =>
    lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map(
        (line) => JSON.parse(line) as { msg: string; err?: { message?: string; code?: string } },
      );
  return { base, logged };
}

describe('registerProxy: upstream connections and callers', () => {
  it('logs why it answered 502 or 504', async () => {
    const slow = await recording((_request, response) => {
      setTimeout(() => response.end('late'), 2_500);
    });
    const down = new URL(`http://127.0.0.1:${await unusedPort()}`);
    const { base, logged } = await loggedProxy({
      upstream: (request) => (request.url!.endsWith('/slow') ? slow.url : down),
      responseTimeoutMs: 200,
    });
    expect((await fetch(new URL('/gateway/color/down', base))).status).toBe(502);
    expect((await fetch(new URL('/gateway/color/slow', base))).status).toBe(504);
    const warnings = logged();
    expect(warnings.filter((w) => w.msg.startsWith('upstream'))).toEqual([
      expect.objectContaining({ msg: 'upstream unavailable', err: expect.objectContaining({}) }),
      expect.objectContaining({
        msg: 'upstream too slow',
        err: expect.objectContaining({ code: 'UPSTREAM_DEADLINE' }),
      }),
    ]);
  });

  it('refuses an HTTPS upstream whose certificate is not trusted: 502, and nothing is sent to it', async () => {
    const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));
    const received: string[] = [];
    const untrusted = createHttpsServer(
      { key: fixture('untrusted-test-only.key'), cert: fixture('untrusted-test-only.crt') },
      (request, response) => {
        received.push(request.url ?? '');
        response.end('should not be reached');
      },
    );
    const port = await listening(untrusted);
    const proxy = await proxyTo(new URL(`https://127.0.0.1:${port}`));
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'backend_unavailable' });
    expect(received).toEqual([]);
  });

  it('closes its pooled upstream connections when the app closes', async () => {
    const open = new Set<Socket>();
    const upstream = createHttpServer((_request, response) => response.end('ok'));
    upstream.keepAliveTimeout = 60_000;
    upstream.on('connection', (socket: Socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    const port = await listening(upstream);
    const app = createServiceApp({ name: 'proxy-test', logLevel: 'silent' });
    await registerProxy(app, {
      prefix: '/gateway/color',
      upstream: () => new URL(`http://127.0.0.1:${port}`),
    });
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    expect(await (await fetch(new URL('/gateway/color/a', base))).text()).toBe('ok');
    expect(open.size).toBe(1);
    await app.close();
    expect(await until(() => open.size === 0, 1_000)).toBe(true);
  });

  it('drops the body of a GET and a HEAD, and their Content-Length', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    for (const method of ['GET', 'HEAD']) {
      await rawRequest(
        proxy,
        `${method} /gateway/color/a HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
      );
    }
    expect(upstream.requests.map((r) => [r.method, r.body, r.headers['content-length']])).toEqual([
      ['GET', '', undefined],
      ['HEAD', '', undefined],
    ]);
  });

  it('stops reading the answer when the caller disconnects mid-request, and keeps serving', async () => {
    let answered: Promise<boolean> = Promise.resolve(false);
    let callerGone: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => (callerGone = resolve));
    const upstream = await recording((request, response) => {
      if (request.url !== '/slow') return void response.end('fast');
      // Once the caller has left, an answer far bigger than any socket buffer starts to stream.
      answered = gone.then(async () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(64 * 1024);
        for (let sent = 0; sent < 400 && !response.destroyed; sent += 1) {
          if (!response.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (!response.destroyed) response.end();
        return response.destroyed;
      });
    });
    const app = createServiceApp({ name: 'proxy-test', logLevel: 'silent' });
    defer(() => app.close());
    await registerProxy(app, { prefix: '/gateway/color', upstream: () => upstream.url });
    const callers = new Set<Socket>();
    app.server.on('connection', (socket: Socket) => {
      callers.add(socket);
      socket.on('close', () => callers.delete(socket));
    });
    const proxy = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    const caller = new AbortController();
    const call = fetch(new URL('/gateway/color/slow', proxy), { signal: caller.signal });
    expect(await until(() => upstream.requests.length === 1, 5_000)).toBe(true);
    caller.abort();
    await expect(call).rejects.toThrow();
    // The proxy has seen the caller leave before the upstream answers.
    expect(await until(() => callers.size === 0, 5_000)).toBe(true);
    callerGone();
    // The upstream's answer was cut off, not read to its end into a closed socket.
    expect(await answered).toBe(true);
    expect(await (await fetch(new URL('/gateway/color/fast', proxy))).text()).toBe('fast');
  });

  it("names its own connection's scheme in X-Forwarded-Proto when the caller sends none or nonsense", async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await fetch(new URL('/gateway/color/a', proxy));
    await fetch(new URL('/gateway/color/a', proxy), {
      headers: { 'x-forwarded-proto': 'javascript' },
    });
    expect(upstream.requests.map((r) => r.headers['x-forwarded-proto'])).toEqual(['http', 'http']);
  });
});

describe('registerProxy: admission and upstream headers', () => {
  it('answers 503 overloaded with Retry-After past the connections and queue, and counts calls out', async () => {
    const held: (() => void)[] = [];
    const upstream = await recording((_request, response) => {
      held.push(() => response.end('ok'));
    });
    const proxy = await proxyTo(upstream.url, { maxConnectionsPerUpstream: 1, maxQueuedCalls: 1 });
    const url = new URL('/gateway/color/color', proxy);
    const first = fetch(url);
    expect(await until(() => held.length === 1, 10_000)).toBe(true);
    const second = fetch(url);
    // The second waits in the queue, so the third finds no room.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = await fetch(url);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toEqual({ error: 'overloaded' });
    held.shift()?.();
    expect(await until(() => held.length === 1, 10_000)).toBe(true);
    held.shift()?.();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // Both calls were counted out: two more fit again.
    const again = [fetch(url), fetch(url)];
    for (let left = again.length; left > 0; left -= 1) {
      expect(await until(() => held.length === 1, 10_000)).toBe(true);
      held.shift()?.();
    }
    expect((await Promise.all(again)).map((response) => response.status)).toEqual([200, 200]);
    expect(upstream.requests).toHaveLength(4);
  });

  it('adds the headers made for each call, from its method and full upstream URL', async () => {
    const upstream = await recording();
    const seen: string[] = [];
    const proxy = await proxyTo(new URL(`${upstream.url.origin}/base`), {
      upstreamHeaders: async ({ method, url }) => {
        seen.push(`${method} ${url.href}`);
        return { 'x-signed': 'yes' };
      },
    });
    const response = await fetch(new URL('/gateway/color/color?a=1', proxy), { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(seen).toEqual([`DELETE ${upstream.url.origin}/base/color?a=1`]);
    expect(only(upstream).headers['x-signed']).toBe('yes');
  });

  it('answers 502 upstream_signing_failed and sends nothing when the headers cannot be made', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url, {
      upstreamHeaders: () => Promise.reject(new Error('no credentials')),
    });
    const response = await fetch(new URL('/gateway/color/color', proxy));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'upstream_signing_failed' });
    expect(upstream.requests).toHaveLength(0);
  });
});

/**
 * An upstream that answers every request with `head` (status line and headers, as sent), then
 * `body` and nothing more: it never ends a body shorter than its declared length.
 */
async function rawUpstream(head: string, body = ''): Promise<URL> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.write(`${head}\r\n\r\n${body}`));
    defer(async () => void socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** The status a caller sees and how its body ends: read to its end, or cut off. */
async function outcome(url: URL, init?: RequestInit): Promise<[number, string]> {
  const response = await fetch(url, init);
  try {
    return [response.status, await response.text()];
  } catch {
    return [response.status, 'cut'];
  }
}

describe('registerProxy: what it passes back', () => {
  it('answers 502 for a status outside 200–599 and passes 599 on', async () => {
    for (const status of [600, 999]) {
      const proxy = await proxyTo(await rawUpstream(`HTTP/1.1 ${status} Odd\r\nContent-Length: 0`));
      expect(await outcome(new URL('/gateway/color/a', proxy))).toEqual([
        502,
        '{"error":"backend_unavailable"}',
      ]);
    }
    const edge = await proxyTo(await rawUpstream('HTTP/1.1 599 Edge\r\nContent-Length: 2', 'ok'));
    expect(await outcome(new URL('/gateway/color/a', edge))).toEqual([599, 'ok']);
  });

  it('passes 204 and 304 on without reading a body their Content-Length promises', async () => {
    for (const status of [204, 304]) {
      const upstream = await rawUpstream(
        `HTTP/1.1 ${status} No Body\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nETag: "v1"`,
      );
      const proxy = await proxyTo(upstream, { responseTimeoutMs: 300 });
      const [answered, body] = await outcome(new URL('/gateway/color/a', proxy));
      expect([answered, body]).toEqual([status, '']);
    }
  });

  it('reads an answer of up to 16 KiB whole: one that stalls gets 504', async () => {
    const upstream = await rawUpstream(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16384',
      'x'.repeat(100),
    );
    const proxy = await proxyTo(upstream, { responseTimeoutMs: 300 });
    expect(await outcome(new URL('/gateway/color/a', proxy))).toEqual([
      504,
      '{"error":"backend_timeout"}',
    ]);
  });

  it('streams a bigger answer, and one of unknown type: a stall cuts it after its 200', async () => {
    for (const head of [
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16385',
      'HTTP/1.1 200 OK\r\nContent-Length: 10',
    ]) {
      const proxy = await proxyTo(await rawUpstream(head, 'x'.repeat(5)), {
        responseTimeoutMs: 300,
      });
      expect(await outcome(new URL('/gateway/color/a', proxy))).toEqual([200, 'cut']);
    }
  });

  it('adds no Content-Type to a request without a body', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await fetch(new URL('/gateway/color/a', proxy), { method: 'DELETE' });
    const { headers } = only(upstream);
    expect(Object.keys(headers)).not.toContain('content-type');
    expect(Object.keys(headers)).not.toContain('content-length');
  });

  it('sends a body of known length with its Content-Length, not chunked', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    await fetch(new URL('/gateway/color/a', proxy), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'twelve bytes',
    });
    const { headers, body } = only(upstream);
    expect([body, headers['content-length'], headers['transfer-encoding']]).toEqual([
      'twelve bytes',
      '12',
      undefined,
    ]);
  });

  it('answers 413 with a message for a body over the limit, declared or chunked', async () => {
    const upstream = await recording();
    const proxy = await proxyTo(upstream.url);
    const declared = await fetch(new URL('/gateway/color/a', proxy), {
      method: 'POST',
      body: 'x'.repeat(8192),
    });
    expect([declared.status, await declared.json()]).toEqual([
      413,
      { error: 'payload_too_large', message: 'the request body is over 4096 bytes' },
    ]);
    const chunk = 'y'.repeat(3000);
    const chunked = await rawRequest(
      proxy,
      `POST /gateway/color/a HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(3000).toString(16)}\r\n${chunk}\r\n${(3000).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual({
      error: 'payload_too_large',
      message: expect.stringMatching(/4096/),
    });
  });
});

describe('registerProxy: what it logs', () => {
  it('logs why a call was not sent when its headers cannot be made', async () => {
    const upstream = await recording();
    const { base, logged } = await loggedProxy({
      upstream: () => upstream.url,
      upstreamHeaders: () => Promise.reject(new Error('no credentials')),
    });
    expect((await fetch(new URL('/gateway/color/a', base))).status).toBe(502);
    expect(await until(() => logged().length > 0, 2_000)).toBe(true);
    expect(logged()).toEqual([
      expect.objectContaining({
        msg: 'upstream request not sent: could not add its headers',
        err: expect.objectContaining({ message: 'no credentials' }),
      }),
    ]);
  });

  it('logs no upstream failure when the caller is the one who left', async () => {
    let reached = false;
    const upstream = await recording(() => {
      reached = true;
    });
    const { base, logged } = await loggedProxy({ upstream: () => upstream.url });
    const caller = new AbortController();
    const call = fetch(new URL('/gateway/color/a', base), { signal: caller.signal });
    expect(await until(() => reached, 5_000)).toBe(true);
    caller.abort();
    await expect(call).rejects.toThrow();
    // Long enough for the proxy to see the close and to have logged, had it meant to.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logged()).toEqual([]);
  });
});
