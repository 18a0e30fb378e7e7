import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProxyAttempts } from '@color-teller/service-kit/testing';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { get } from '../../bench/src/harness/http-probe';
import { rawRequest } from './support/raw-http';

// A fixed seed makes a failure repeatable; FUZZ_SEED=<n> explores another part of the space.
const seed = Number(process.env.FUZZ_SEED ?? 20261128);

type Case = [method: string, target: string, headers: [string, string][]];

/** The known open-proxy shapes as fuzz cases, so that every run tries each of them first. */
function knownAttacks(sentinel: URL): Case[] {
  return openProxyAttempts('/gateway/color', sentinel).map(({ request }) => {
    const [requestLine = '', ...headerLines] = request.split('\r\n');
    const [method = '', target = ''] = requestLine.split(' ');
    const headers = headerLines
      .filter((line) => line !== '' && !/^connection:/i.test(line))
      .map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
    return [method, target, headers];
  });
}

describe('the gateway against fuzzed paths, methods and headers', () => {
  let backend: ServiceProcess;
  let gateway: ServiceProcess;
  let sentinel: http.Server;
  let sentinelPort: number;
  const sentinelHits: string[] = [];

  beforeAll(async () => {
    // Any request that reaches this server escaped the backend: the gateway is an open proxy.
    sentinel = http.createServer((req, res) => {
      sentinelHits.push(`${req.method} ${req.url} host=${req.headers.host}`);
      res.end('sentinel');
    });
    await new Promise<void>((resolve) => sentinel.listen(0, '127.0.0.1', resolve));
    sentinelPort = (sentinel.address() as AddressInfo).port;
    backend = await startService('backend', { env: { COLOR: 'red' } });
    gateway = await startService('client', { env: { COLOR_BACKEND: backend.url } });
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), backend?.stop()]);
    sentinel?.closeAllConnections();
    await new Promise((resolve) => sentinel?.close(resolve));
  });

  it('never answers 500, never reaches another host, and stays alive', async () => {
    const elsewhere = () => [
      `127.0.0.1:${sentinelPort}`,
      `localhost:${sentinelPort}`,
      `http://127.0.0.1:${sentinelPort}`,
      `//127.0.0.1:${sentinelPort}`,
    ];
    const pathPiece = fc.oneof(
      fc.constantFrom(
        '/gateway/color/',
        '/gateway/',
        '/gateway/color',
        '/',
        '//',
        '..',
        '%2e%2e',
        '%2F',
        '%252F',
        '%2f..%2f',
        '@',
        '\\',
        '?',
        '#',
        ';',
        '%00',
        '%0d%0a',
        'color',
        'health',
        'version',
        '.',
        ...elsewhere(),
        `@127.0.0.1:${sentinelPort}`,
        `:${sentinelPort}`,
      ),
      fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,12}$/),
    );
    const target = fc.oneof(
      // The real route, so that header fuzzing also goes through the proxy.
      fc.constant('/gateway/color/color'),
      fc
        .array(pathPiece, { minLength: 1, maxLength: 6 })
        .map((parts) => `/${parts.join('')}`.replace(/^\/+(?=http)/, '/')),
      fc.array(pathPiece, { maxLength: 4 }).map((parts) => `/gateway/color/${parts.join('')}`),
      // Absolute-form request targets naming another host.
      fc
        .constantFrom(...elsewhere())
        .map((host) => `${host.startsWith('http') ? host : `http://${host}`}/gateway/color/color`),
      fc.constantFrom(`127.0.0.1:${sentinelPort}`, '*'),
    );
    const method = fc.constantFrom(
      'GET',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
      'HEAD',
      'OPTIONS',
      'TRACE',
      'CONNECT',
      'PROPFIND',
      'PURGE',
    );
    const headerValue = fc.oneof(
      fc.constantFrom(...elsewhere(), 'evil.example', '127.0.0.1', ''),
      fc.stringMatching(/^[\x21-\x7e]{0,20}$/),
    );
    const header = fc.tuple(
      fc.constantFrom(
        'Host',
        'X-Forwarded-Host',
        'X-Forwarded-For',
        'X-Forwarded-Proto',
        'Forwarded',
        'X-Original-URL',
        'X-Rewrite-URL',
        'X-Forwarded-Prefix',
        'Connection',
        'Upgrade',
        'Transfer-Encoding',
        'Max-Forwards',
        'Via',
        'traceparent',
      ),
      headerValue,
    );
    const headers = fc.array(header, { maxLength: 4 });
    const statuses = new Map<number, number>();

    const examples = knownAttacks(new URL(`http://127.0.0.1:${sentinelPort}`));
    const details = await fc.check(
      fc.asyncProperty(method, target, headers, async (verb, path, extra) => {
        // Each case starts clean: a hit belongs to the case that caused it.
        sentinelHits.length = 0;
        const lines = [`${verb} ${path} HTTP/1.1`];
        if (!extra.some(([name]) => name === 'Host')) lines.push(`Host: 127.0.0.1:${gateway.port}`);
        for (const [name, value] of extra) lines.push(`${name}: ${value}`);
        lines.push('Content-Length: 0', 'Connection: close', '', '');
        const status = await rawRequest(gateway.port, lines.join('\r\n'));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, `${verb} ${path} ${JSON.stringify(extra)}`).not.toBe(500);
        expect(sentinelHits, `${verb} ${path} ${JSON.stringify(extra)}`).toEqual([]);
        expect(gateway.isAlive()).toBe(true);
        expect((await get(`${gateway.url}/health`)).status).toBe(200);
      }),
      { numRuns: 300, seed, examples },
    );
    if (details.failed) {
      throw new Error(
        `fuzzing failed with FUZZ_SEED=${seed} (rerun with it to repeat): ${fc.defaultReportMessage(details)}`,
      );
    }
    // The cases reached the backend through the proxy as well as being refused: both sides tested.
    const seen = [...statuses.keys()];
    expect(seen, JSON.stringify(Object.fromEntries(statuses))).toContain(200);
    expect(
      seen.some((s) => s >= 400 && s < 500),
      JSON.stringify(Object.fromEntries(statuses)),
    ).toBe(true);
  });
});
