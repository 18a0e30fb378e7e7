/** The tracing contract the app and the proxy use; OpenTelemetry implements it elsewhere. */
import type { FastifyRequest } from 'fastify';

/** A span around one proxied call: its headers carry the call's own trace context upstream. */
export interface UpstreamCallSpan {
  /** `traceparent` (and `tracestate`) naming this call as the parent of the upstream's work. */
  readonly headers: Readonly<Record<string, string>>;
  end(statusCode: number | undefined, error?: unknown): void;
}

/** A span around one request a service answers. */
export interface RequestSpan {
  startUpstreamCall(method: string, url: URL): UpstreamCallSpan;
  end(statusCode: number, error?: unknown): void;
}

/** Request tracing as the app factory and the proxy use it; OpenTelemetry stays behind it. */
export interface RequestTracing {
  startRequest(request: FastifyRequest): RequestSpan;
  /** Sends what is still buffered; called when the app closes. */
  shutdown(): Promise<void>;
}
