import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_HEADER } from '@color-teller/service-kit';
import { ROUTER_CONFIG_ENV } from '../src/plan';
import type { RouterConfig } from '../src/plan';
import { freePorts } from '../src/ports';
import { routerArgs } from '../src/router/command';
import { ROUTER_FILE_ENV } from '../src/router/live-config';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stand-in version that answers its name and counts its requests. */
async function version(name: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ color: name }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => server.close());
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
  };
}

/** A router process on `config`, following a plan file; its log lines are collected. */
async function router(config: RouterConfig) {
  const [port] = await freePorts(1);
  const folder = mkdtempSync(join(tmpdir(), 'router-policy-'));
  const file = join(folder, 'plan.json');
  writeFileSync(file, JSON.stringify(config));
  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, routerArgs(), {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      [ROUTER_CONFIG_ENV]: JSON.stringify(config),
      [ROUTER_FILE_ENV]: file,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    rmSync(folder, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  // Listening is enough: /health goes through to the versions, some of them dead on purpose.
  await expect
    .poll(
      () =>
        fetch(`${url}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 20_000,
        interval: 50,
      },
    )
    .toBeGreaterThan(0);
  return {
    url,
    lines,
    rewrite(next: RouterConfig) {
      writeFileSync(`${file}.next`, JSON.stringify(next));
      renameSync(`${file}.next`, file);
    },
  };
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/color`, { headers });

describe('the router’s traffic policy', () => {
  it('aborts calls to a version with its fault, without calling it, until the fault is removed live', async () => {
    const [red, blue] = await Promise.all([version('red'), version('blue')]);
    const plan: RouterConfig = {
      service: 'color',
      upstreams: [
        { name: 'red', weight: 1, url: red.url },
        {
          name: 'blue',
          weight: 1,
          url: blue.url,
          faults: { abort: { percent: 100, status: 503 } },
        },
      ],
      routes: [{ version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } }],
    };
    const running = await router(plan);
    for (let i = 0; i < 10; i++) {
      const response = await get(running.url, { 'x-color-version': 'blue' });
      expect(response.status).toBe(503);
      expect(response.headers.get(FAULT_HEADER)).toBe('abort');
      await response.arrayBuffer();
    }
    expect(blue.requests()).toBe(0);

    running.rewrite({ ...plan, upstreams: plan.upstreams.map(({ faults: _, ...u }) => u) });
    await expect
      .poll(async () => (await get(running.url, { 'x-color-version': 'blue' })).status, {
        timeout: 5_000,
        interval: 50,
      })
      .toBe(200);
    expect(blue.requests()).toBeGreaterThan(0);
  });

  it('ejects a dead version after its consecutive failures and retries onto the others', async () => {
    const red = await version('red');
    const [deadPort] = await freePorts(1);
    const running = await router({
      service: 'color',
      upstreams: [
        { name: 'red', weight: 1, url: red.url },
        { name: 'dead', weight: 1, url: `http://127.0.0.1:${deadPort}` },
      ],
      routes: [],
      // Ejected at its first failure, for longer than the test: its retry finds red.
      retries: { attempts: 1 },
      outlierDetection: { consecutive5xx: 1, ejectMs: 60_000 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await get(running.url)).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(red.requests()).toBeGreaterThanOrEqual(40);
    await expect
      .poll(() => running.lines.some((line) => line.includes('"msg":"version ejected"')))
      .toBe(true);
  });

  it('never ejects the last serving version (maxEjectionPercent 50 of two)', async () => {
    const [deadA, deadB] = await freePorts(2);
    const running = await router({
      service: 'color',
      upstreams: [
        { name: 'a', weight: 1, url: `http://127.0.0.1:${deadA}` },
        { name: 'b', weight: 1, url: `http://127.0.0.1:${deadB}` },
      ],
      routes: [],
      outlierDetection: { consecutive5xx: 1, ejectMs: 60_000 },
    });
    for (let i = 0; i < 20; i++) expect((await get(running.url)).status).toBe(502);
    await expect
      .poll(() => running.lines.filter((line) => line.includes('"msg":"version ejected"')).length)
      .toBe(1);
  });
});
