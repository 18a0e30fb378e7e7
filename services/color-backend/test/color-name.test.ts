import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startRecordingServer, unusedPort } from '@color-teller/service-kit/testing';
import type { RecordingServer } from '@color-teller/service-kit/testing';
import type { ServerResponse } from 'node:http';
import { buildBackendApp } from '../src/app';
import { createColorNameClient } from '../src/color-name';

let app: FastifyInstance | undefined;
let external: RecordingServer | undefined;
afterEach(async () => {
  await app?.close();
  await external?.close();
  app = external = undefined;
});

const json = (status: number, body: string) => (_: unknown, response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
};

/** The backend (color red) with its Color Name API at `baseUrl`; returns its URL. */
async function backendCalling(baseUrl: URL, responseTimeoutMs = 5000): Promise<URL> {
  const client = createColorNameClient({ baseUrl, connectTimeoutMs: 1000, responseTimeoutMs });
  app = buildBackendApp({
    color: 'red',
    logLevel: 'silent',
    colorNames: { client, hex: 'ff0000' },
  });
  return new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
}

async function nameAnswer(base: URL): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/name', base));
  return { status: response.status, body: await response.json() };
}

describe('GET /name', () => {
  it('asks the external for the name of its hex and answers the color with its name', async () => {
    external = await startRecordingServer(
      json(200, JSON.stringify({ colors: [{ name: 'Red Alert', hex: '#ff0000' }] })),
    );
    const base = await backendCalling(new URL('/colornames', external.url));
    expect(await nameAnswer(base)).toEqual({
      status: 200,
      body: { color: 'red', name: 'Red Alert' },
    });
    expect(external.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /colornames/?values=ff0000',
    ]);
  });

  it('answers 404 not_configured without an external', async () => {
    app = buildBackendApp({ color: 'red', logLevel: 'silent' });
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    expect(await nameAnswer(base)).toEqual({ status: 404, body: { error: 'not_configured' } });
  });

  it.each([
    ['an error status', json(500, '{"error":"boom"}'), 'colornames_unavailable'],
    ['a body that is not JSON', json(200, 'not json'), 'colornames_bad_answer'],
    ['JSON without colors[0].name', json(200, '{"colors":[]}'), 'colornames_bad_answer'],
  ])('answers 502 when the external answers %s', async (_what, respond, error) => {
    external = await startRecordingServer(respond);
    const base = await backendCalling(external.url);
    expect(await nameAnswer(base)).toEqual({ status: 502, body: { error } });
  });

  it('answers 502 when nothing listens at the external URL', async () => {
    const base = await backendCalling(new URL(`http://127.0.0.1:${await unusedPort()}`));
    expect(await nameAnswer(base)).toEqual({
      status: 502,
      body: { error: 'colornames_unavailable' },
    });
  });

  it('answers 504 when the forwarder reports that the external was too slow', async () => {
    external = await startRecordingServer(json(504, '{"error":"backend_timeout"}'));
    const base = await backendCalling(external.url);
    expect(await nameAnswer(base)).toEqual({ status: 504, body: { error: 'colornames_timeout' } });
  });

  it('answers 504 at its deadline when the external does not answer', async () => {
    external = await startRecordingServer(() => {});
    const base = await backendCalling(external.url, 300);
    const started = Date.now();
    expect(await nameAnswer(base)).toEqual({ status: 504, body: { error: 'colornames_timeout' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
