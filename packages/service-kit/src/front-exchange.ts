import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorBody, statusOf } from './errors';
import { addEndToEnd } from './forwarded-headers';
import { requestIdOf } from './request-id';
import type { ServiceSurface } from './service-surface';
import { traceIdOf } from './trace';
import type { RequestSpan } from './trace-spans';
import { logRequest } from './request-line';
import { pathOf } from './request-target';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * One request answered by a front route, with what fastify gives its own routes: a request id
 * (the caller's when plain, else new), the service's headers on the answer, a span when traced,
 * JSON errors without stacks, and exactly one log line when the response closes.
 */
export class FrontExchange {
  readonly id: string;
  readonly span: RequestSpan | undefined;
  readonly startedAt = performance.now();
  #failure: unknown = undefined;
  #whenClosed: (() => void) | undefined = undefined;

  constructor(
    readonly surface: ServiceSurface,
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    route: string,
  ) {
    this.id = requestIdOf(request);
    this.span = surface.tracing?.startRequest(request, route);
    response.once('close', () => this.#closed());
  }

  /** Runs once when the response closes, sent or cut (one per exchange). */
  whenClosed(callback: () => void): void {
    this.#whenClosed = callback;
  }

  /** Milliseconds since the request arrived. */
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /**
   * The status and headers: the service's own first, then `headers` (an upstream's) over them,
   * leaving out those that describe the upstream's connection (hop-by-hop).
   */
  writeHead(statusCode: number, headers?: IncomingHttpHeaders | OutgoingHttpHeaders): void {
    const all: OutgoingHttpHeaders = { ...this.surface.everyResponse, 'x-request-id': this.id };
    if (headers) addEndToEnd(headers, all);
    if (!this.surface.listening()) all['connection'] = 'close';
    this.response.writeHead(statusCode, all);
  }

  /** A JSON answer; nothing when the request was already answered (one answer per request). */
  sendJson(statusCode: number, body: object, headers?: OutgoingHttpHeaders): void {
    if (this.response.headersSent) return;
    const text = JSON.stringify(body);
    this.writeHead(statusCode, {
      ...headers,
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(text),
    });
    this.response.end(text);
  }

  /**
   * Answers what a handler threw, as the app's error handler does: a client error keeps its
   * message (it says what was wrong with the request); anything else is logged in full and
   * answered generically.
   */
  fail(error: unknown): void {
    const status = statusOf(error);
    if (status >= 500) this.#failure = error;
    if (this.response.headersSent) {
      this.response.destroy();
      return;
    }
    this.sendJson(status, errorBody(status, error));
  }

  #closed(): void {
    this.#whenClosed?.();
    const { request, response } = this;
    const status = response.statusCode;
    this.span?.end?.(status, this.#failure);
    const line = {
      requestId: this.id,
      method: request.method ?? 'GET',
      path: pathOf(request.url ?? '/'),
      status,
      durationMs: Math.round(this.elapsedMs() * 10) / 10,
      traceId: traceIdOf(request.headers),
    };
    logRequest(this.surface.log, this.surface.writeRequestLine, line, this.#failure);
  }
}
