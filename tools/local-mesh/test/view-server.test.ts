import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshView } from '../src/view/mesh-view';
import { startViewServer } from '../src/view/view-server';
import type { ViewServer } from '../src/view/view-server';
import { standInTopology } from './stand-ins/repo';

const span = (traceId: string, spanId: string, service: string) => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
  scopeSpans: [
    { spans: [{ traceId, spanId, name: 'GET', startTimeUnixNano: '1', endTimeUnixNano: '2' }] },
  ],
});

describe('the live view server', () => {
  let server: ViewServer;
  beforeAll(async () => {
    const view = new MeshView(standInTopology([{ name: 'red', env: { COLOR: 'red' } }]), () => []);
    server = await startViewServer(view, 0);
  });
  afterAll(() => server.close());

  const post = (body: string, type = 'application/json') =>
    fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': type }, body });

  it('receives OTLP/HTTP JSON and serves a trace’s spans of several processes', async () => {
    const body = { resourceSpans: [span('t1', 'a', 'client'), span('t1', 'b', 'color')] };
    expect((await post(JSON.stringify(body))).status).toBe(200);
    const spans = (await (await fetch(`${server.url}/traces/t1`)).json()) as { process: string }[];
    expect(spans.map((s) => s.process).sort()).toEqual(['client', 'color']);
  });

  it('refuses protobuf, bodies that are not JSON, and exports over 1 MiB', async () => {
    expect((await post('x', 'application/x-protobuf')).status).toBe(415);
    expect((await post('{not json')).status).toBe(400);
    const huge = { resourceSpans: [span('big', 'a', 'client')], pad: 'x'.repeat(1024 * 1024) };
    // The server answers 413 and closes: a client may see the answer or only the closed socket.
    const answer = await post(JSON.stringify(huge)).catch(() => undefined);
    expect(answer?.status ?? 413).toBe(413);
    const spans = (await (await fetch(`${server.url}/traces/big`)).json()) as unknown[];
    expect(spans).toEqual([]);
  });
});
