import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestSpan, RequestTracing } from './trace-spans';

// A request decoration, not a WeakMap: part of every request's shape from the start, so that
// setting it costs a store, not a hash-table entry that the garbage collector must also trace.
const SPAN = Symbol('the span of this request');
type TracedRequest = FastifyRequest & { [SPAN]?: RequestSpan };
const errors = new WeakMap<FastifyRequest, unknown>();

/** The span of the request being answered, when tracing is on. */
function requestSpanOf(request: FastifyRequest): RequestSpan | undefined {
  return (request as TracedRequest)[SPAN];
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
  app.decorateRequest(SPAN, undefined);
  app.addHook('onError', (request, _reply, error, done) => {
    if (requestSpanOf(request)) errors.set(request, error);
    done();
  });
  app.addHook('onClose', async () => {
    await tracing.shutdown();
  });
  return (request, reply) => {
    const span = tracing.startRequest(request.raw, request.routeOptions.url);
    if (span === undefined) return;
    (request as TracedRequest)[SPAN] = span;
    const { end } = span;
    if (end) reply.raw.once('close', () => end(reply.statusCode, errors.get(request)));
  };
}
