import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHealthy } from '../src/health';
import { ROUTER_CONFIG_ENV } from '../src/plan';
import type { RouterConfig } from '../src/plan';
import { freePorts } from '../src/ports';
import { routerArgs } from '../src/router/command';

/** A stand-in version: answers every request with its own name. */
async function standInVersion(name: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ color: name }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function colorThrough(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/color`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as { color?: string; error?: string },
  };
}

let red: Server;
let blue: Server;
let router: ChildProcess;
let routerUrl: string;
let downUrl: string;
let startup: unknown;

beforeAll(async () => {
  [red, blue] = await Promise.all([standInVersion('red'), standInVersion('blue')]);
  const [port, unused] = await freePorts(2);
  downUrl = `http://127.0.0.1:${unused}`;
  const config: RouterConfig = {
    service: 'color',
    upstreams: [
      { name: 'red', weight: 80, url: urlOf(red) },
      { name: 'blue', weight: 20, url: urlOf(blue) },
    ],
    routes: [
      { version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } },
      { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
    ],
  };
  routerUrl = `http://127.0.0.1:${port}`;
  router = spawn(process.execPath, routerArgs(), {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      [ROUTER_CONFIG_ENV]: JSON.stringify(config),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Kept, not thrown: a failing hook marks the tests skipped, and a test must say it failed.
  startup = await waitForHealthy(`${routerUrl}/health`, { timeoutMs: 20_000 }).then(
    () => undefined,
    (error: unknown) => error,
  );
}, 30_000);

afterAll(async () => {
  router?.kill('SIGTERM');
  if (router && router.exitCode === null) await once(router, 'exit');
  red?.close();
  blue?.close();
});

describe('the router process', () => {
  it('starts and reports healthy', () => {
    expect(startup).toBeUndefined();
  });

  it('splits 10,000 requests 80/20 within 2 points', async () => {
    const counts: Record<string, number> = {};
    const total = 10_000;
    for (let sent = 0; sent < total; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => colorThrough(routerUrl)));
      for (const { body } of batch) counts[body.color!] = (counts[body.color!] ?? 0) + 1;
    }
    expect(Math.abs(((counts.red ?? 0) * 100) / total - 80)).toBeLessThanOrEqual(2);
    expect(Math.abs(((counts.blue ?? 0) * 100) / total - 20)).toBeLessThanOrEqual(2);
    // 10,000 real requests: a few seconds on a quiet machine, over 30 s with both cores shared.
  }, 120_000);

  it('always answers blue for the header x-color-version: blue', async () => {
    for (let i = 0; i < 50; i++) {
      expect((await colorThrough(routerUrl, { 'x-color-version': 'blue' })).body.color).toBe(
        'blue',
      );
    }
  });

  it('always answers blue for the cookie color-version=blue', async () => {
    for (let i = 0; i < 50; i++) {
      const { body } = await colorThrough(routerUrl, { cookie: 'a=1; color-version=blue' });
      expect(body.color).toBe('blue');
    }
  });
});

describe('the router process with a version down', () => {
  it('fails when the chosen version is down, with the proxy 502', async () => {
    const [port] = await freePorts(1);
    const config: RouterConfig = {
      service: 'color',
      upstreams: [{ name: 'gone', weight: 1, url: downUrl }],
      routes: [],
    };
    const child = spawn(process.execPath, routerArgs(), {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'silent',
        [ROUTER_CONFIG_ENV]: JSON.stringify(config),
      },
      stdio: 'ignore',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      let answer: Awaited<ReturnType<typeof colorThrough>> | undefined;
      for (let tries = 0; !answer && tries < 200; tries++) {
        answer = await colorThrough(url).catch(() => undefined);
        if (!answer) await new Promise((r) => setTimeout(r, 100));
      }
      expect(answer).toEqual({ status: 502, body: { error: 'backend_unavailable' } });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
