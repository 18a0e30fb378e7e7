import type { IncomingMessage } from 'node:http';
import type { CallerTrace } from './trace';

/** A span around one proxied call: its headers carry the call's own trace context upstream. */
export interface UpstreamCallSpan {
  /** `traceparent` (and `tracestate`) naming this call as the parent of the upstream's work. */
  readonly headers: Readonly<Record<string, string>>;
  end(statusCode: number | undefined, error?: unknown): void;
}

/** A span around one request a service answers. */
export interface RequestSpan {
  /** `path`: the path and query on `upstream`'s origin; joined into a URL only when recorded. */
  startUpstreamCall(method: string, upstream: URL, path: string): UpstreamCallSpan;
  /** Absent when nothing is recorded: only the trace context is passed on. */
  readonly end?: (statusCode: number, error?: unknown) => void;
}

/** Request tracing as the app factory and the proxy use it; OpenTelemetry stays behind it. */
export interface RequestTracing {
  /**
   * Undefined when the request is not recorded and its `traceparent` travels on unchanged.
   * `route`: the route pattern that matched (`/gateway/color/*`), when one did.
   */
  startRequest(request: IncomingMessage, route: string | undefined): RequestSpan | undefined;
  /** Sends what is still buffered; called when the app closes. */
  shutdown(): Promise<void>;
}

/** Records and exports the spans of the requests sampling chose: every span it starts is kept. */
export interface SpanRecorder {
  startRequest(
    request: IncomingMessage,
    route: string | undefined,
    caller: CallerTrace | undefined,
  ): RequestSpan;
  shutdown(): Promise<void>;
}

/** How spans travel to the collector (`OTEL_EXPORTER_OTLP_PROTOCOL`, HTTP only). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';
