import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../src/harness/service-process';
import { checkSameAnswer, gatewayTargets, measurePeers } from '../src/measures/peers';
import { nginxConfig, nginxInstalled } from '../src/peers/nginx';

function serve(body: string): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((_req, res) => res.end(body));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }),
    ),
  );
}

describe('checkSameAnswer', () => {
  it('refuses to time a proxy whose answer differs from the floor, naming it', async () => {
    const floor = await serve('{"color":"red"}');
    const same = await serve('{"color":"red"}');
    const other = await serve('{"color":"red","extra":1}');
    try {
      await expect(
        checkSameAnswer([
          { id: 'floor', url: floor.url },
          { id: 'same', url: same.url },
        ]),
      ).resolves.toBeUndefined();
      await expect(
        checkSameAnswer([
          { id: 'floor', url: floor.url },
          { id: 'same', url: same.url },
          { id: 'other', url: other.url },
        ]),
      ).rejects.toThrow(/^other answered 200 .*extra.* where floor answered 200/);
    } finally {
      for (const { server } of [floor, same, other]) server.close();
    }
  });
});

describe('nginxConfig', () => {
  it('proxies to the upstream over keep-alive with one worker', () => {
    const conf = nginxConfig('/tmp/x', 8123, 'http://127.0.0.1:4567');
    expect(conf).toContain('worker_processes 1;');
    expect(conf).toContain('listen 127.0.0.1:8123;');
    expect(conf).toContain(
      'upstream backend { server 127.0.0.1:4567; keepalive 64; keepalive_requests 1000000; }',
    );
    expect(conf).toContain('proxy_set_header Connection "";');
  });
});

// Runs the service bundles: `npm run build` first.
describe('measurePeers, in a short run', () => {
  let backend: ServiceProcess;
  beforeAll(async () => {
    backend = await startService('backend', { env: { COLOR: 'red' } });
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('starts every candidate, checks their answers and loads each without failures', async () => {
    const result = await measurePeers(backend, {
      rounds: 3,
      warmupSec: 0.2,
      durationSec: 0.4,
      connections: 4,
      spawns: 1,
    });
    const rows = (result.details as { rows: Record<string, Record<string, number>> }).rows;
    const expected = [
      'floor',
      'gateway',
      'fastify-http-proxy',
      'http-proxy-middleware',
      'express-http-proxy',
      ...(nginxInstalled() ? ['nginx'] : []),
    ];
    expect(Object.keys(rows)).toEqual(expected);
    for (const id of expected) {
      expect(rows[id]!.failures, id).toBe(0);
      expect(rows[id]!.requestsPerSec, id).toBeGreaterThan(0);
      expect(rows[id]!.cpuMsPer1000, id).toBeGreaterThan(0);
      expect(rows[id]!.rssMb, id).toBeGreaterThan(5);
      expect(rows[id]!.coldStartMs, id).toBeGreaterThan(0);
    }
    const coldStart = result.figures.find((f) => f.id === 'peers.gateway.coldStartVsFloor');
    expect(coldStart?.target).toEqual({ op: '<=', value: gatewayTargets.coldStartVsFloor });
    expect(result.markdown?.split('\n')).toHaveLength(2 + expected.length);
    if (!nginxInstalled()) expect(result.notes?.join(' ')).toMatch(/nginx is not installed/);
  }, 120_000);
});
