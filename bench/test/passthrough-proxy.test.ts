import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPassthroughProxy, type PassthroughProxy } from '../src/passthrough-proxy';
import { get } from '../src/harness/http-probe';

describe('the baseline pass-through proxy', () => {
  let upstream: http.Server;
  let proxy: PassthroughProxy;
  const upstreamSockets = new Set<unknown>();

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host }));
    });
    upstream.on('connection', (socket) => upstreamSockets.add(socket));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    proxy = await startPassthroughProxy(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await proxy.close();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('passes method, path, status, headers and body through', async () => {
    const res = await get(`${proxy.url}/color?x=1`);
    expect(res.status).toBe(201);
    expect(res.headers['x-upstream']).toBe('yes');
    expect(JSON.parse(res.body)).toMatchObject({ method: 'GET', url: '/color?x=1' });
  });

  it('reuses its upstream connections (keep-alive): sequential requests open at most one socket', async () => {
    upstreamSockets.clear();
    for (let i = 0; i < 5; i++) expect((await get(`${proxy.url}/color`)).status).toBe(201);
    expect(upstreamSockets.size).toBeLessThanOrEqual(1);
  });

  it('answers 502 when the upstream is down', async () => {
    const dead = await startPassthroughProxy('http://127.0.0.1:9');
    try {
      expect((await get(`${dead.url}/color`)).status).toBe(502);
    } finally {
      await dead.close();
    }
  });
});
