import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  spawnNode,
  startRecordingServer,
  untilServerHasRead,
} from '@color-teller/service-kit/testing';
import type { SpawnedProcess } from '@color-teller/service-kit/testing';

// The entry point run from source, as in development; the bundle is tested in bundle.test.ts.
const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const running: SpawnedProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
});

function startServer(env: Record<string, string>): SpawnedProcess {
  const server = spawnNode(['--import', 'tsx', entry], { HOST: '127.0.0.1', PORT: '0', ...env });
  running.push(server);
  return server;
}

describe('color-backend server', () => {
  it('fails when COLOR is missing: exits 1 with one line naming COLOR, no stack', async () => {
    const server = startServer({ COLOR: '' });
    expect(await server.exited).toBe(1);
    const { stderr } = server.output();
    expect(stderr.trim().split('\n')).toEqual([
      'invalid configuration: COLOR is required: set it to a non-empty string such as "blue"',
    ]);
  });

  it('fails when PORT is not a port, naming PORT and the value', async () => {
    const server = startServer({ COLOR: 'red', PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toContain(
      'PORT="eighty" is invalid: expected a port from 0 to 65535',
    );
  });

  it('fails when COLOR_HEX is not a hex color, naming COLOR_HEX', async () => {
    const server = startServer({ COLOR: 'red', COLOR_HEX: 'reddish' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toContain(
      'COLOR_HEX="reddish" is invalid: expected six hex digits such as #ff0000',
    );
  });

  it('fails when the Color Name API is set and COLOR has no known hex, naming COLOR_HEX', async () => {
    const server = startServer({ COLOR: 'amber', COLORNAMES_BACKEND: 'http://127.0.0.1:1/x' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toContain(
      'COLOR_HEX is required with COLORNAMES_BACKEND when COLOR="amber" is not a known color name',
    );
  });

  it('asks the Color Name API for COLOR_HEX when it is set', async () => {
    const external = await startRecordingServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{"colors":[{"name":"Amber"}]}');
    });
    try {
      const server = startServer({
        COLOR: 'amber',
        COLOR_HEX: '#FFBF00',
        COLORNAMES_BACKEND: new URL('/colornames', external.url).href,
      });
      const response = await fetch(new URL('/name', await server.listening));
      expect(await response.json()).toEqual({ color: 'amber', name: 'Amber' });
      expect(external.requests.map((r) => r.url)).toEqual(['/colornames/?values=ffbf00']);
    } finally {
      await external.close();
    }
  });

  it('drains on SIGTERM: a request in flight completes with 200, then it exits 0', async () => {
    const server = startServer({ COLOR: 'green' });
    const url = await server.listening;
    // In flight = its head is half received when the signal arrives.
    const socket = connect(Number(url.port), url.hostname);
    const answer = new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('close', () => resolve(received));
    });
    await new Promise<void>((resolve) =>
      socket.write('GET /color HTTP/1.1\r\nHost: backend\r\n', () => resolve()),
    );
    await untilServerHasRead(socket);
    server.child.kill('SIGTERM');
    while (!server.output().stdout.includes('"draining"'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    socket.write('\r\n');
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('{"color":"green"}');
    expect(await server.exited).toBe(0);
    const lines = server
      .output()
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === 'request')).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/color',
        status: 200,
        service: 'color-backend',
      }),
    ]);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});
