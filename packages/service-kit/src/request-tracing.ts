import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestSpan, RequestTracing } from './trace-spans';

const spans = new WeakMap<FastifyRequest, RequestSpan>();
const errors = new WeakMap<FastifyRequest, unknown>();

/** The span of the request being answered, when tracing is on (the proxy hangs its call span under it). */
export function requestSpanOf(request: FastifyRequest): RequestSpan | undefined {
  return spans.get(request);
}

/** Starts the span of one request, when it is traced; called from the app's own onRequest hook. */
export type StartRequestSpan = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * A span per traced request, from arrival to the end of the response; flushed when the app
 * closes. Every request pays only for the returned function (called by the app's one onRequest
 * hook, not a hook of its own); a traced one also ends its span when its response closes.
 */
export function registerRequestTracing(
  app: FastifyInstance,
  tracing: RequestTracing,
): StartRequestSpan {
  app.addHook('onError', (request, _reply, error, done) => {
    if (spans.has(request)) errors.set(request, error);
    done();
  });
  app.addHook('onClose', async () => {
    await tracing.shutdown();
  });
  return (request, reply) => {
    const span = tracing.startRequest(request);
    if (span === undefined) return;
    spans.set(request, span);
    const { end } = span;
    if (end) reply.raw.once('close', () => end(reply.statusCode, errors.get(request)));
  };
}
