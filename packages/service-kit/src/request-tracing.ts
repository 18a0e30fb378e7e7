import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestSpan, RequestTracing } from './tracing';

const spans = new WeakMap<FastifyRequest, RequestSpan>();
const errors = new WeakMap<FastifyRequest, unknown>();

/** The span of the request being answered, when tracing is on (the proxy hangs its call span under it). */
export function requestSpanOf(request: FastifyRequest): RequestSpan | undefined {
  return spans.get(request);
}

/** A span per request, from arrival to the end of the response; flushed when the app closes. */
export function registerRequestTracing(app: FastifyInstance, tracing: RequestTracing): void {
  app.addHook('onRequest', async (request) => {
    spans.set(request, tracing.startRequest(request));
  });
  app.addHook('onError', async (request, _reply, error) => {
    errors.set(request, error);
  });
  app.addHook('onResponse', async (request, reply) => {
    spans.get(request)?.end(reply.statusCode, errors.get(request));
  });
  app.addHook('onClose', async () => {
    await tracing.shutdown();
  });
}
