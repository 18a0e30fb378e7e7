import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';

/** `Payload Too Large` → `payload_too_large`: a stable machine-readable error word. */
export function errorWord(statusCode: number): string {
  return (STATUS_CODES[statusCode] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** The status an error asks for (4xx, 5xx), else 500. */
export function statusOf(error: unknown): number {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

/**
 * The JSON body answering an error, never with a stack: a client error keeps its message (it
 * says what was wrong with the request), a server error says only where to look.
 */
export function errorBody(status: number, error: unknown): { error: string; message: string } {
  const message = status >= 500 ? 'Internal error; see the service log' : (error as Error).message;
  return { error: errorWord(status), message };
}

/**
 * JSON errors that never carry a stack: client errors keep their message (it says what was
 * wrong with the request), server errors are logged in full and answered generically.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send(errorBody(status, error));
  });
}
