import type { Logger } from 'pino';
import type { RequestLine } from './request-line';
import type { RequestTracing } from './trace-spans';

/**
 * What every answer of a service shares, whether fastify or a front route gives it: its
 * logger, the headers set on every response, its tracing, its body limit and whether it still
 * listens (while draining, answers close their connection).
 */
export interface ServiceSurface {
  readonly log: Logger;
  /** Writes a request's one log line; undefined when the log level leaves it out. */
  readonly writeRequestLine: ((line: RequestLine) => void) | undefined;
  /** Security headers and `x-content-type-options: nosniff`, computed once. */
  readonly everyResponse: Readonly<Record<string, string>>;
  readonly tracing: RequestTracing | undefined;
  readonly bodyLimitBytes: number;
  listening(): boolean;
}
