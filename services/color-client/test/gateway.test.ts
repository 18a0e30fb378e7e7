import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  openProxyAttempts,
  rawRequest,
  cleanupAfterEach,
  startRecordingServer,
  unusedPort,
} from '@color-teller/service-kit/testing';
import type { RecordingServer } from '@color-teller/service-kit/testing';
import { buildClientApp } from '../src/app';
import { securityHeaders } from '../src/security-headers';
import type { ClientAppOptions } from '../src/app';

const INDEX_HTML = '<!doctype html><title>Color Teller</title><div id="app"></div>';
// The page folder sits beside files it must never serve: one in its parent, one in a sibling
// folder whose name starts with the page folder's name.
const SECRET = 'secret outside the page folder';
let outsideDir: string;
let staticDir: string;
beforeAll(async () => {
  outsideDir = await mkdtemp(join(tmpdir(), 'color-client-'));
  staticDir = join(outsideDir, 'page');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await mkdir(join(outsideDir, 'page-sibling'));
  await writeFile(join(outsideDir, 'secret.txt'), SECRET);
  await writeFile(join(outsideDir, 'page-sibling', 'secret.txt'), SECRET);
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML);
  await writeFile(join(staticDir, 'assets', 'index-AbC123.js'), 'console.log(1);');
  await writeFile(join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});
afterAll(() => rm(outsideDir, { recursive: true, force: true }));

const { defer } = cleanupAfterEach();

async function backend(
  respond?: Parameters<typeof startRecordingServer>[0],
): Promise<RecordingServer> {
  const server = await startRecordingServer(
    respond ??
      ((request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(request.url === '/color' ? '{"color":"blue"}' : JSON.stringify(request));
      }),
  );
  defer(() => server.close());
  return server;
}

async function gateway(options: Partial<ClientAppOptions> & { colorBackend: URL }): Promise<{
  base: URL;
  logs: string[];
}> {
  const logs: string[] = [];
  const app: FastifyInstance = await buildClientApp({
    version: 'v9.9.9',
    staticDir,
    logStream: { write: (line) => void logs.push(line) },
    ...options,
  });
  defer(() => app.close());
  return { base: new URL(await app.listen({ host: '127.0.0.1', port: 0 })), logs };
}

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'none';object-src 'none'";

describe('color-client gateway API', () => {
  it('proxies /gateway/color/* to the backend with the prefix removed', async () => {
    const colors = await backend();
    const { base } = await gateway({ colorBackend: colors.url });
    const response = await fetch(new URL('/gateway/color/color', base));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ color: 'blue' });
    expect(colors.requests.map((request) => request.url)).toEqual(['/color']);
  });

  it('passes other methods, statuses and bodies through', async () => {
    const colors = await backend((request, response) => {
      response.statusCode = 405;
      response.end(`${request.method}:${request.body}`);
    });
    const { base } = await gateway({ colorBackend: colors.url });
    const response = await fetch(new URL('/gateway/color/color', base), {
      method: 'POST',
      body: 'hi',
    });
    expect(response.status).toBe(405);
    expect(await response.text()).toBe('POST:hi');
  });

  it('tells the version on GET /gateway/version', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const response = await fetch(new URL('/gateway/version', base));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ version: 'v9.9.9' });
  });

  it('says it is up on GET /health', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const response = await fetch(new URL('/health', base));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up' });
  });

  it('answers 404 JSON for unknown /gateway paths, and 405 for other methods on its own', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    for (const [method, path] of [
      ['GET', '/gateway'],
      ['GET', '/gateway/'],
      ['GET', '/gateway/nothing'],
      ['POST', '/gateway/nothing'],
      ['GET', '/gateway/colorx'],
    ] as const) {
      const response = await fetch(new URL(path, base), { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    }
    const wrongMethod = await fetch(new URL('/gateway/version', base), { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ method: 'DELETE', path: '/gateway/version' });
    expect((await fetch(new URL('/health', base), { method: 'POST' })).status).toBe(405);
  });

  it('answers 502 backend_unavailable when the backend is down', async () => {
    const { base } = await gateway({
      colorBackend: new URL(`http://127.0.0.1:${await unusedPort()}`),
    });
    const response = await fetch(new URL('/gateway/color/color', base));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'backend_unavailable' });
  });

  it('answers 504 backend_timeout when the backend is too slow', async () => {
    const slow = await backend(
      (_request, response) => void setTimeout(() => response.end('late'), 2_500),
    );
    const { base } = await gateway({ colorBackend: slow.url, responseTimeoutMs: 200 });
    const response = await fetch(new URL('/gateway/color/color', base));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: 'backend_timeout' });
  });

  it('never reaches a host other than COLOR_BACKEND: every attempt stays on it or gets 4xx', async () => {
    const sentinel = await backend();
    const colors = await backend();
    const { base } = await gateway({ colorBackend: colors.url });
    for (const attempt of openProxyAttempts('/gateway/color', sentinel.url)) {
      const before = colors.requests.length;
      const response = await rawRequest(base, attempt.request);
      expect(sentinel.requests, attempt.name).toHaveLength(0);
      if (colors.requests.length > before) {
        expect(colors.requests.at(-1)?.headers.host, attempt.name).toBe(colors.url.host);
      } else {
        expect(response.status, attempt.name).toBeGreaterThanOrEqual(400);
        expect(response.status, attempt.name).toBeLessThan(500);
      }
    }
  });
});

describe('color-client page', () => {
  it('serves index.html on / with no-cache', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX_HTML);
  });

  it('serves hashed assets cached immutably for a year', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const response = await fetch(new URL('/assets/index-AbC123.js', base));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves other files revalidated', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const response = await fetch(new URL('/favicon.svg', base));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client routes, but not for missing files or assets', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    const route = await fetch(new URL('/history/last?x=1', base));
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toBe(INDEX_HTML);
    for (const path of ['/assets/missing-123.js', '/missing.png']) {
      const response = await fetch(new URL(path, base));
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found' });
    }
    expect((await fetch(new URL('/history', base), { method: 'POST' })).status).toBe(404);
  });

  it('does not serve files outside the page folder, however the path is written', async () => {
    const { base } = await gateway({ colorBackend: new URL('http://127.0.0.1:1') });
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/../page-sibling/secret.txt',
      '/%2e%2e%2fpage-sibling%2fsecret.txt',
    ]) {
      const response = await rawRequest(
        base,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect([400, 403, 404], `${path} answered ${response.status}`).toContain(response.status);
      expect(response.body, path).not.toContain(SECRET);
    }
  });

  it('still serves the gateway API when the page is not built, and says so in the log', async () => {
    const colors = await backend();
    const { base, logs } = await gateway({
      colorBackend: colors.url,
      staticDir: join(staticDir, 'missing'),
    });
    expect((await fetch(new URL('/gateway/color/color', base))).status).toBe(200);
    expect((await fetch(new URL('/gateway/version', base))).status).toBe(200);
    expect((await fetch(base)).status).toBe(404);
    expect(logs.join('')).toContain('page not built');
  });
});

describe('color-client security headers', () => {
  it('sets CSP, nosniff, Referrer-Policy and no framing on every kind of response', async () => {
    const colors = await backend();
    const { base } = await gateway({ colorBackend: colors.url });
    for (const path of [
      '/',
      '/assets/index-AbC123.js',
      '/client/route',
      '/gateway/version',
      '/gateway/color/color',
      '/gateway/nothing',
      '/missing.png',
    ]) {
      const response = await fetch(new URL(path, base));
      expect(response.headers.get('content-security-policy'), path).toBe(CSP);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it("sets helmet's whole set on errors too: 405, 413 and 502", async () => {
    const { base } = await gateway({
      colorBackend: new URL(`http://127.0.0.1:${await unusedPort()}`),
    });
    const expected = securityHeaders();
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['content-security-policy', 'strict-transport-security']),
    );
    const answers = [
      await fetch(new URL('/gateway/version', base), { method: 'POST' }),
      await fetch(new URL('/gateway/color/color', base), {
        method: 'POST',
        body: 'x'.repeat(2 * 1024 * 1024),
      }),
      await fetch(new URL('/gateway/color/color', base)),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([405, 413, 502]);
    for (const answer of answers) {
      for (const [name, value] of Object.entries(expected)) {
        expect(answer.headers.get(name), `${answer.status} ${name}`).toBe(value);
      }
    }
  });
});
