import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/http-app';
import { registerProxy } from '../src/proxy';
import { startTracing, tracingConfigured } from '../src/tracing';
import { cleanupAfterEach } from '../testing';

const { recording } = cleanupAfterEach();

interface ExportedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: number;
  readonly name: string;
}

interface TraceExport {
  readonly resourceSpans: readonly {
    readonly resource: {
      readonly attributes: readonly { key: string; value: { stringValue?: string } }[];
    };
    readonly scopeSpans: readonly { readonly spans: readonly ExportedSpan[] }[];
  }[];
}

const SERVER = 2;
const CLIENT = 3;

describe('tracingConfigured', () => {
  it('is on with an OTLP endpoint, off without one or when switched off', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }),
    ).toBe(true);
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' }),
    ).toBe(false);
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBe(false);
  });

  it('gives no tracing (and loads no SDK) when unset', async () => {
    expect(await startTracing('svc', {})).toBeUndefined();
  });
});

describe('startTracing', () => {
  it('exports protobuf unless told http/json, and names any other protocol', async () => {
    const collector = await recording((_request, response) => response.end());
    const tracing = await startTracing('kit-test', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url.href}`,
    });
    const app = createServiceApp({ name: 'kit-test', logLevel: 'silent', tracing });
    app.get('/color', async () => ({ color: 'red' }));
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    expect((await fetch(new URL('/color', base))).status).toBe(200);
    await app.close(); // flushes the span
    expect(collector.requests.map((request) => request.headers['content-type'])).toEqual([
      'application/x-protobuf',
    ]);
    await expect(
      startTracing('kit-test', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    ).rejects.toThrow(
      'OTEL_EXPORTER_OTLP_PROTOCOL is "grpc": use http/protobuf or http/json (this service exports over HTTP only)',
    );
  });

  it('exports a server span per request and a client span per proxied call, context carried through', async () => {
    const collector = await recording((_request, response) => response.end('{}'));
    const upstream = await recording();
    const tracing = await startTracing('kit-test', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url.href}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    const app = createServiceApp({ name: 'kit-test', logLevel: 'silent', tracing });
    await registerProxy(app, { prefix: '/api', upstream: () => upstream.url });
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));

    const incomingTraceId = '0af7651916cd43dd8448eb211c80319c';
    const incomingSpanId = 'b7ad6b7169203331';
    const response = await fetch(new URL('/api/color', base), {
      headers: { traceparent: `00-${incomingTraceId}-${incomingSpanId}-01` },
    });
    expect(response.status).toBe(200);
    await app.close(); // flushes the spans

    expect(collector.requests.map((request) => `${request.method} ${request.url}`)).toContain(
      'POST /v1/traces',
    );
    const exports = collector.requests.map((request) => JSON.parse(request.body) as TraceExport);
    const resources = exports.flatMap((batch) => batch.resourceSpans);
    expect(resources[0]?.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'kit-test' },
    });
    const spans = resources.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) => scope.spans),
    );
    const server = spans.find((span) => span.kind === SERVER);
    const client = spans.find((span) => span.kind === CLIENT);
    expect(server).toMatchObject({
      traceId: incomingTraceId,
      parentSpanId: incomingSpanId,
      name: 'GET /api/*',
    });
    expect(client).toMatchObject({ traceId: incomingTraceId, parentSpanId: server?.spanId });
    expect(upstream.requests[0]?.headers.traceparent).toBe(
      `00-${incomingTraceId}-${client?.spanId}-01`,
    );
  });

  it('with TRACE_SAMPLES_PER_SECOND, starts at most that many traces and follows a sampled caller', async () => {
    const collector = await recording((_request, response) => response.end('{}'));
    const tracing = await startTracing('kit-test', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url.href}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      TRACE_SAMPLES_PER_SECOND: '1',
    });
    const app = createServiceApp({ name: 'kit-test', logLevel: 'silent', tracing });
    app.get('/color', async () => ({ color: 'red' }));
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
    for (let i = 0; i < 5; i++) expect((await fetch(new URL('/color', base))).status).toBe(200);
    const callerTraceId = '0af7651916cd43dd8448eb211c80319c';
    await fetch(new URL('/color', base), {
      headers: { traceparent: `00-${callerTraceId}-b7ad6b7169203331-01` },
    });
    await app.close(); // flushes the spans

    const traceIds = collector.requests
      .flatMap((request) => (JSON.parse(request.body) as TraceExport).resourceSpans)
      .flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans))
      .map((span) => span.traceId);
    // One of the five new traces fits in the one-a-second budget; the caller's sampled trace is kept.
    expect(traceIds).toHaveLength(2);
    expect(traceIds).toContain(callerTraceId);
  });

  it('records nothing for unsampled requests, and passes the decision on in the traceparent', async () => {
    const collector = await recording((_request, response) => response.end('{}'));
    const upstream = await recording();
    const tracing = await startTracing('kit-test', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url.href}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    });
    const app = createServiceApp({ name: 'kit-test', logLevel: 'silent', tracing });
    await registerProxy(app, { prefix: '/api', upstream: () => upstream.url });
    const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));

    const unsampledCaller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    expect((await fetch(new URL('/api/color', base))).status).toBe(200);
    expect(
      (await fetch(new URL('/api/color', base), { headers: { traceparent: unsampledCaller } }))
        .status,
    ).toBe(200);
    await app.close(); // would flush any span

    expect(collector.requests).toEqual([]);
    const [started, continued] = upstream.requests.map((request) => request.headers.traceparent);
    // A new trace, marked unsampled, so the upstream does not start its own.
    expect(started).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-00$/);
    expect(continued).toBe(unsampledCaller);
  });
});
