import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestSpan, RequestTracing } from './trace-spans';

const spans = new WeakMap<FastifyRequest, RequestSpan>();
const errors = new WeakMap<FastifyRequest, unknown>();

/** The span of the request being answered, when tracing is on (the proxy hangs its call span under it). */
export function requestSpanOf(request: FastifyRequest): RequestSpan | undefined {
  return spans.get(request);
}

/** A span per request, from arrival to the end of the response; flushed when the app closes. */
export function registerRequestTracing(app: FastifyInstance, tracing: RequestTracing): void {
  // Callback hooks, not async ones: every request runs them, sampled or not.
  app.addHook('onRequest', (request, _reply, done) => {
    const span = tracing.startRequest(request);
    if (span) spans.set(request, span);
    done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    if (spans.has(request)) errors.set(request, error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    spans.get(request)?.end(reply.statusCode, errors.get(request));
    done();
  });
  app.addHook('onClose', async () => {
    await tracing.shutdown();
  });
}
