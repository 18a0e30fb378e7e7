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
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { RateLimitedSampler } from './rate-limited-sampler';
import type { FastifyRequest } from 'fastify';
import type { RequestSpan, RequestTracing, UpstreamCallSpan } from './tracing-types';

const propagator = new W3CTraceContextPropagator();

function finish(span: Span, statusCode: number | undefined, error: unknown): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  if (error instanceof Error) span.recordException(error);
  if (error !== undefined || (statusCode ?? 0) >= 500)
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The OpenTelemetry side of `RequestTracing`: spans exported in batches over OTLP/HTTP. With
 * `tracesPerSecond`, a request that starts a trace is sampled up to that rate and a request that
 * continues one follows its caller's decision; without it, the SDK's `OTEL_TRACES_SAMPLER` applies.
 */
export function createOtelTracing(
  serviceName: string,
  tracesUrl: string,
  tracesPerSecond?: number,
): RequestTracing {
  // The exporter reads the other OTEL_EXPORTER_OTLP_* settings (headers, timeout) itself.
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    ...(tracesPerSecond === undefined
      ? {}
      : { sampler: new ParentBasedSampler({ root: new RateLimitedSampler(tracesPerSecond) }) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  const tracer = provider.getTracer('@color-teller/service-kit');

  const startUpstreamCall = (parent: Context, method: string, url: URL): UpstreamCallSpan => {
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
    startRequest(request: FastifyRequest): RequestSpan {
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
      const route = request.routeOptions.url;
      const span = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'url.path': pathOf(request.url),
            ...(route ? { 'http.route': route } : {}),
            'client.address': request.socket.remoteAddress ?? '',
          },
        },
        parent,
      );
      const context = trace.setSpan(parent, span);
      return {
        startUpstreamCall: (method, url) => startUpstreamCall(context, method, url),
        end: (statusCode, error) => finish(span, statusCode, error),
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
