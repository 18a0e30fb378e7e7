import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';

/** `Payload Too Large` → `payload_too_large`: a stable machine-readable error word. */
export function errorWord(statusCode: number): string {
  return (STATUS_CODES[statusCode] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

function statusOf(error: FastifyError): number {
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

/**
 * JSON errors that never carry a stack: client errors keep their message (it says what was
 * wrong with the request), server errors are logged in full and answered generically.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(status)
        .send({ error: errorWord(status), message: 'Internal error; see the service log' });
    }
    return reply.code(status).send({ error: errorWord(status), message: error.message });
  });
}
