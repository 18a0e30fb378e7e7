import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServiceApp, KEEP_ALIVE_TIMEOUT_MS } from '../src/http-app';
import { rawRequest } from '../testing';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(headersTimeoutMs?: number): Promise<{ base: URL; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  app = createServiceApp({
    name: 'test-service',
    bodyLimitBytes: 1024,
    headersTimeoutMs,
    logStream: { write: (line) => void lines.push(JSON.parse(line) as LogLine) },
  });
  app.get('/thing', async () => ({ ok: true }));
  app.post('/thing', async (request) => ({ received: request.body }));
  app.get('/items/:id', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('secret detail at /srv/app.js:12');
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { base: new URL(address), lines };
}

const requestLines = (lines: readonly LogLine[]) => lines.filter((line) => line.msg === 'request');

describe('createServiceApp', () => {
  it('writes exactly one JSON log line per request, with method, path, status, duration and ids', async () => {
    const { base, lines } = await start();
    const response = await fetch(new URL('/thing?token=secret', base), {
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-request-id': 'req-123',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    await app?.close();
    expect(requestLines(lines)).toEqual([
      expect.objectContaining({
        service: 'test-service',
        requestId: 'req-123',
        method: 'GET',
        path: '/thing',
        status: 200,
        durationMs: expect.any(Number),
        traceId: '0af7651916cd43dd8448eb211c80319c',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('takes the trace id from X-Amzn-Trace-Id when there is no traceparent', async () => {
    const { base, lines } = await start();
    await fetch(new URL('/thing', base), {
      headers: { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' },
    });
    await app?.close();
    expect(requestLines(lines)[0]?.traceId).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('makes up a request id when the caller sends none or an unsafe one', async () => {
    const { base } = await start();
    const response = await fetch(new URL('/thing', base), {
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 JSON for an unknown path', async () => {
    const { base } = await start();
    const response = await fetch(new URL('/nothing?x=1', base));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'not_found',
      message: 'No route for GET /nothing',
      method: 'GET',
      path: '/nothing',
    });
  });

  it('answers 405 JSON naming method and path, with Allow, for a known path and another method', async () => {
    const { base } = await start();
    const response = await fetch(new URL('/thing', base), { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await response.json()).toMatchObject({
      error: 'method_not_allowed',
      method: 'DELETE',
      path: '/thing',
    });
    const parametric = await fetch(new URL('/items/42', base), { method: 'PUT' });
    expect(parametric.status).toBe(405);
  });

  it('answers 500 JSON without the error message or stack when a handler throws', async () => {
    const { base, lines } = await start();
    const response = await fetch(new URL('/boom', base));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      error: 'internal_server_error',
      message: 'Internal error; see the service log',
    });
    expect(body).not.toContain('secret');
    await app?.close();
    expect(
      lines.some((line) => line.level === 50 && JSON.stringify(line).includes('secret detail')),
    ).toBe(true);
  });

  it('answers 400 JSON for a malformed JSON body', async () => {
    const { base } = await start();
    const response = await fetch(new URL('/thing', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'bad_request' });
  });

  it('answers 413 when the body is over the limit, and keeps serving', async () => {
    const { base } = await start();
    const response = await fetch(new URL('/thing', base), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(2048),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await fetch(new URL('/thing', base))).status).toBe(200);
  });

  it('answers 431 when the headers are too large, and keeps serving', async () => {
    const { base } = await start();
    const response = await rawRequest(
      base,
      `GET /thing HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect((await fetch(new URL('/thing', base))).status).toBe(200);
  });

  it('keeps idle connections open longer than the ALB idle timeout (60 s)', async () => {
    await start();
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(app?.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(app?.server.headersTimeout).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
    expect(app?.server.requestTimeout).toBeGreaterThan(0);
  });

  it('applies the headers and request timeouts it is given', async () => {
    app = createServiceApp({
      name: 'timeouts',
      logLevel: 'silent',
      headersTimeoutMs: 1500,
      requestTimeoutMs: 4000,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    expect(app.server.headersTimeout).toBe(1500);
    expect(app.server.requestTimeout).toBe(4000);
  });

  it('fails when the headers timeout is above the request timeout, naming both settings', () => {
    expect(() =>
      createServiceApp({ name: 'timeouts', headersTimeoutMs: 20_000, requestTimeoutMs: 5_000 }),
    ).toThrow(
      'HEADERS_TIMEOUT_MS=20000 is above REQUEST_TIMEOUT_MS=5000: raise REQUEST_TIMEOUT_MS or lower HEADERS_TIMEOUT_MS',
    );
  });

  it('cuts a client that sends its headers too slowly, and keeps serving others', async () => {
    const { base } = await start(200);
    const slow = connect(Number(base.port), base.hostname);
    const received: Buffer[] = [];
    slow.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    slow.write('GET /thing HTTP/1.1\r\nHost: x\r\n');
    await closed;
    expect(Buffer.concat(received).toString('utf8')).toMatch(/^HTTP\/1\.1 408 /);
    expect((await fetch(new URL('/thing', base))).status).toBe(200);
  });
});
