import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage } from 'node:http';
import type { CallerTrace } from './trace';
import type { OtlpProtocol, RequestSpan, SpanRecorder, UpstreamCallSpan } from './trace-spans';
import { pathOf } from './request-target';
import { createOtlpExporter } from './otlp-exporter';

const propagator = new W3CTraceContextPropagator();

function finish(span: Span, statusCode: number | undefined, error: unknown): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  if (error instanceof Error) span.recordException(error);
  if (error !== undefined || (statusCode ?? 0) >= 500)
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * The OpenTelemetry side of tracing: spans exported in batches over OTLP/HTTP, as protobuf or
 * JSON. Sampling was decided before (see `sampledTracing`), so every span started here is
 * recorded.
 */
export function createOtelRecorder(
  serviceName: string,
  tracesUrl: string,
  protocol: OtlpProtocol,
): SpanRecorder {
  // The exporter reads the other OTEL_EXPORTER_OTLP_* settings (headers, timeout) itself.
  const exporter = createOtlpExporter(tracesUrl, protocol);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('@color-teller/service-kit');

  const startUpstreamCall = (
    parent: Context,
    method: string,
    upstream: URL,
    path: string,
  ): UpstreamCallSpan => {
    const url = new URL(path, upstream.origin);
    const span = tracer.startSpan(
      `${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method,
          'server.address': url.hostname,
          'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
          'url.full': url.href,
        },
      },
      parent,
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return { headers, end: (statusCode, error) => finish(span, statusCode, error) };
  };

  return {
    startRequest(
      request: IncomingMessage,
      route: string | undefined,
      caller: CallerTrace | undefined,
    ): RequestSpan {
      const method = request.method ?? 'GET';
      const parent = caller
        ? propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter)
        : ROOT_CONTEXT;
      const span = tracer.startSpan(
        route ? `${method} ${route}` : method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': method,
            'url.path': pathOf(request.url ?? '/'),
            ...(route ? { 'http.route': route } : {}),
            'client.address': request.socket.remoteAddress ?? '',
          },
        },
        parent,
      );
      const context = trace.setSpan(parent, span);
      return {
        startUpstreamCall: (method, upstream, path) =>
          startUpstreamCall(context, method, upstream, path),
        end: (statusCode, error) => finish(span, statusCode, error),
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
