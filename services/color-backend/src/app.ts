import { createServiceApp } from '@color-teller/service-kit';
import type { LogDestination, RequestTracing } from '@color-teller/service-kit';
import type { FastifyInstance } from 'fastify';
import type { ColorNameClient } from './color-name';
import { ColorNameFailure } from './color-name-failure';

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
  /** Names the color on `GET /name` through the Color Name API. @default - `/name` answers 404 */
  readonly colorNames?: { readonly client: ColorNameClient; readonly hex: string };
}

/** The article's color-teller-backend: tells its color, and its name. Built without listening. */
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
  const { colorNames } = options;
  app.get('/name', async (request, reply) => {
    if (!colorNames) return reply.code(404).send({ error: 'not_configured' });
    try {
      return { color: options.color, name: await colorNames.client.nameOf(colorNames.hex) };
    } catch (error) {
      if (!(error instanceof ColorNameFailure)) throw error;
      request.log.warn({ err: error }, 'the color has no name: the Color Name API failed');
      return reply.code(error.statusCode).send({ error: error.code });
    }
  });
  if (colorNames) app.addHook('onClose', () => colorNames.client.close());
  return app;
}
