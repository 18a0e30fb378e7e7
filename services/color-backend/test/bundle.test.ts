import { afterEach, describe, expect, it } from 'vitest';
import { startBundledService, startRecordingServer } from '@color-teller/service-kit/testing';
import type { BundledService, RecordingServer } from '@color-teller/service-kit/testing';

let service: BundledService | undefined;
let collector: RecordingServer | undefined;
afterEach(async () => {
  await service?.dispose();
  await collector?.close();
});

describe('color-backend bundle', () => {
  it('runs on its own, without node_modules, and serves /color and /health', async () => {
    service = await startBundledService(new URL('..', import.meta.url), { COLOR: 'amber' });
    const url = await service.listening;
    expect(await (await fetch(new URL('/color', url))).json()).toEqual({ color: 'amber' });
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('loads its Color Name API client on demand and answers GET /name with it', async () => {
    collector = await startRecordingServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{"colors":[{"name":"Bundled Red"}]}');
    });
    service = await startBundledService(new URL('..', import.meta.url), {
      COLOR: 'red',
      COLORNAMES_BACKEND: new URL('/colornames', collector.url).href,
    });
    const url = await service.listening;
    expect(await (await fetch(new URL('/name', url))).json()).toEqual({
      color: 'red',
      name: 'Bundled Red',
    });
    expect(collector.requests.map((request) => request.url)).toEqual([
      '/colornames/?values=ff0000',
    ]);
  });

  it('loads OpenTelemetry on demand and sends spans when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    collector = await startRecordingServer((_request, response) => response.end('{}'));
    service = await startBundledService(new URL('..', import.meta.url), {
      COLOR: 'amber',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.href,
    });
    const url = await service.listening;
    await fetch(new URL('/color', url));
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const exported = collector.requests.filter((request) => request.url === '/v1/traces');
    expect(exported.length).toBeGreaterThan(0);
    // OTLP protobuf by default: the span's name travels as its UTF-8 bytes.
    expect(exported.map((request) => request.headers['content-type'])).toContain(
      'application/x-protobuf',
    );
    expect(exported.map((request) => request.body).join('')).toContain('GET /color');
  });
});
