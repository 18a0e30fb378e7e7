import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logRequest } from './request-line';
import { pathOf } from './request-target';
import type { ServiceSurface } from './service-surface';
import { traceIdOf } from './trace';

/**
 * Exactly one log line per request, written when the response is done (fastify's default is
 * two: one on arrival, one on completion). The query string is left out: it may hold secrets.
 */
export class OneLinePerRequest extends LogController {
  constructor(private readonly surface: ServiceSurface) {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      requestId: request.id,
      method: request.method,
      path: pathOf(request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      traceId: traceIdOf(request.headers),
    };
    logRequest(this.surface.log, this.surface.writeRequestLine, line, error);
  }
}
