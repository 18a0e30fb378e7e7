import { createServiceApp } from '@color-teller/service-kit';
import type { LogDestination, RequestTracing } from '@color-teller/service-kit';
import type { FastifyInstance } from 'fastify';

export interface BackendAppOptions {
  readonly color: string;
  /** @default 'info' */
  readonly logLevel?: string;
  /** @default - standard output */
  readonly logStream?: LogDestination;
  /** @default - no tracing */
  readonly tracing?: RequestTracing;
  /** Longest wait for a request's headers. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** Longest wait for a whole request. @default 30000 */
  readonly requestTimeoutMs?: number;
}

/** The article's color-teller-backend: tells its color. Built without listening. */
export function buildBackendApp(options: BackendAppOptions): FastifyInstance {
  const app = createServiceApp({
    name: 'color-backend',
    logLevel: options.logLevel,
    logStream: options.logStream,
    tracing: options.tracing,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const color = { color: options.color };
  app.get('/color', async () => color);
  app.get('/health', async () => ({ status: 'up' }));
  return app;
}
