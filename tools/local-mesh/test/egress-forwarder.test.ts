import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openProxyAttempts,
  rawRequest,
  spawnNode,
  startRecordingServer,
} from '@color-teller/service-kit/testing';
import type { RecordingServer, SpawnedProcess } from '@color-teller/service-kit/testing';
import { EGRESS_CONFIG_ENV } from '../src/egress/config';
import type { EgressConfig } from '../src/egress/config';
import { egressArgs } from '../src/router/command';
import { colorNamesAnswer, startHttpsExternal } from './stand-ins/https-external';
import type { HttpsExternal } from './stand-ins/https-external';

// The forwarder as the runner starts it, in front of a local HTTPS stand-in for the external.
let dir: string;
let external: HttpsExternal;
let sentinel: RecordingServer;
const forwarders: SpawnedProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'egress-'));
  [external, sentinel] = await Promise.all([
    startHttpsExternal(dir, colorNamesAnswer('Stand-in Red')),
    startRecordingServer(),
  ]);
});
afterAll(async () => {
  for (const forwarder of forwarders) forwarder.child.kill('SIGKILL');
  await Promise.all([external?.close(), sentinel?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function forwarder(baseUrl: string, env: Record<string, string> = {}): Promise<URL> {
  const config: EgressConfig = {
    caller: 'color',
    externals: [{ name: 'colornames', baseUrl }],
    declared: ['colornames', 'weather'],
  };
  const started = spawnNode(egressArgs(), {
    HOST: '127.0.0.1',
    PORT: '0',
    [EGRESS_CONFIG_ENV]: JSON.stringify(config),
    ...env,
  });
  forwarders.push(started);
  return started.listening;
}

describe('the egress forwarder', () => {
  let trusted: URL;
  beforeAll(async () => {
    trusted = await forwarder(`${external.origin}/v1`, { NODE_EXTRA_CA_CERTS: external.caFile });
  });

  it('forwards a declared external over HTTPS to its base URL, path and query appended', async () => {
    const response = await fetch(new URL('/colornames/?values=ff0000', trusted));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ colors: [{ name: 'Stand-in Red' }] });
    expect(external.requests.at(-1)).toEqual({
      url: '/v1/?values=ff0000',
      host: new URL(external.origin).host,
    });
  });

  it('refuses a name the topology does not declare with 403 naming both fixes', async () => {
    const response = await fetch(new URL('/evil/x', trusted));
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('external_not_allowed');
    expect(body.message).toContain('declare it in externals');
    expect(body.message).toContain('in the backends of "color"');
  });

  it('refuses an external of the topology that this caller does not list, with 403', async () => {
    const response = await fetch(new URL('/weather/today', trusted));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe(
      `"color" may not call the external "weather": list { service: "weather" } in the backends of "color"`,
    );
  });

  it('never reaches another host: every trick stays on the external under its base path, or gets 4xx', async () => {
    for (const attempt of openProxyAttempts('/colornames', sentinel.url)) {
      const before = external.requests.length;
      const response = await rawRequest(trusted, attempt.request);
      expect(sentinel.requests, attempt.name).toHaveLength(0);
      if (external.requests.length > before) {
        const reached = external.requests.at(-1)!;
        expect(reached.host, attempt.name).toBe(new URL(external.origin).host);
        expect(reached.url, attempt.name).toMatch(/^\/v1\//);
      } else {
        expect(response.status, attempt.name).toBeGreaterThanOrEqual(400);
        expect(response.status, attempt.name).toBeLessThan(500);
      }
    }
  });

  it('checks the certificate: without the stand-in CA trusted, the call fails with 502', async () => {
    const untrusting = await forwarder(`${external.origin}/v1`);
    const before = external.requests.length;
    const response = await fetch(new URL('/colornames/?values=ff0000', untrusting));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'backend_unavailable' });
    expect(external.requests).toHaveLength(before);
  });

  it('answers 504 when the external is slower than the deadline', async () => {
    const silent = await startHttpsExternal(dir, () => {});
    try {
      const impatient = await forwarder(`${silent.origin}/v1`, {
        NODE_EXTRA_CA_CERTS: silent.caFile,
        UPSTREAM_RESPONSE_TIMEOUT_MS: '300',
      });
      const started = Date.now();
      const response = await fetch(new URL('/colornames/', impatient));
      expect(response.status).toBe(504);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  });
});
