import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cleanupAfterEach,
  spawnNode,
  startRecordingServer,
} from '@color-teller/service-kit/testing';
import type { RecordingServer, SpawnedProcess } from '@color-teller/service-kit/testing';

// The entry point run from source, as in development; the bundle is tested in bundle.test.ts.
const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const { defer } = cleanupAfterEach();

function startServer(env: Record<string, string>): SpawnedProcess {
  const server = spawnNode(['--import', 'tsx', entry], { HOST: '127.0.0.1', PORT: '0', ...env });
  defer(() => server.child.kill('SIGKILL'));
  return server;
}

describe('color-client server', () => {
  it('fails when COLOR_BACKEND is missing: exits 1 with one line naming it, no stack', async () => {
    const server = startServer({ COLOR_BACKEND: '' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr.trim().split('\n')).toEqual([
      'invalid configuration: COLOR_BACKEND is required: set it to an http(s) URL such as http://color-backend:3000',
    ]);
  });

  it('fails when COLOR_BACKEND is not an http(s) URL, naming the value', async () => {
    const server = startServer({
      COLOR_BACKEND: 'file:///etc/passwd',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '-1',
    });
    expect(await server.exited).toBe(1);
    const { stderr } = server.output();
    expect(stderr).toContain(
      'COLOR_BACKEND="file:///etc/passwd" is invalid: expected an http(s) URL',
    );
    expect(stderr).toContain('UPSTREAM_RESPONSE_TIMEOUT_MS="-1" is invalid');
  });

  it('drains on SIGTERM: a proxied request in flight completes with 200, then it exits 0', async () => {
    let release: () => void = () => undefined;
    const slowBackend: RecordingServer = await startRecordingServer((_request, response) => {
      release = () => response.end('{"color":"teal"}');
    });
    defer(() => slowBackend.close());
    const server = startServer({ COLOR_BACKEND: slowBackend.url.href, VERSION: 'v2' });
    const url = await server.listening;
    expect(await (await fetch(new URL('/gateway/version', url))).json()).toEqual({ version: 'v2' });
    const inFlight = fetch(new URL('/gateway/color/color', url));
    while (slowBackend.requests.length === 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    server.child.kill('SIGTERM');
    while (!server.output().stdout.includes('"draining"'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"color":"teal"}');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain('"stopped"');
  });
});
