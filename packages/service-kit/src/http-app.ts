import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { registerErrorHandler } from './errors';
import { RouteMethods, sendNotFound } from './not-found';
import { requestIdOf } from './request-id';
import { OneLinePerRequest } from './request-log';
import { registerRequestTracing } from './request-tracing';
import { ServiceServer, builtOn, type ServiceServerOptions } from './service-server';

export type { LogDestination } from './log-destination';
export { KEEP_ALIVE_TIMEOUT_MS, MAX_HEADER_BYTES } from './service-server';

export interface ServiceAppOptions extends ServiceServerOptions {
  /**
   * The server to build the app on, when it was made (and perhaps listens) before the app; its
   * own options then apply, not the server options here. @default - a new `ServiceServer`
   */
  readonly server?: ServiceServer;
  /**
   * Answers requests no route matched (e.g. a page's HTML fallback); call `reply.sendNotFound()`
   * for the JSON 404/405. @default - `reply.sendNotFound()`
   */
  readonly onNotFound?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

declare module 'fastify' {
  interface FastifyReply {
    /** The app's JSON 404 (or 405 when the path exists under other methods), for custom not-found handlers. */
    sendNotFound(): FastifyReply;
  }
}

/**
 * A fastify app with the habits every service shares: JSON logs (one line per request), JSON
 * 404/405/errors without stacks, size limits and timeouts fit for a load balancer in front.
 * It answers what its server's front routes (the proxy) do not. Routes are added by the
 * caller; nothing listens until `runService` (or `app.listen`).
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const server = options.server ?? new ServiceServer(options);
  const { surface } = server;
  let handler: Parameters<ServiceServer['serve']>[1] | undefined;
  const app = Fastify({
    loggerInstance: server.log as FastifyBaseLogger,
    logController: new OneLinePerRequest(surface),
    genReqId: requestIdOf,
    bodyLimit: surface.bodyLimitBytes,
    // While draining, a request already on an open connection is served (with Connection: close)
    // rather than refused with 503: the load balancer may still send a few as it deregisters us.
    return503OnClosing: false,
    // The service's own server, which holds the request gate and the front routes; fastify then
    // leaves every server setting to it.
    serverFactory: (fastifyHandler) => {
      handler = fastifyHandler;
      return server.http;
    },
  });
  builtOn(app, server);
  // Ready means routed: requests that reached an early-listening server wait until then.
  app.addHook('onReady', (done) => {
    server.serve(app, handler!);
    done();
  });
  app.addHook('onClose', () => server.runCloseHooks());
  // While draining (the server no longer listens), in-flight answers close their connection, so
  // that a keep-alive client does not hold the process open until the drain timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!surface.listening()) reply.header('connection', 'close');
    done(null, payload);
  });
  const startSpan = surface.tracing ? registerRequestTracing(app, surface.tracing) : undefined;
  const routes = new RouteMethods(app);
  const { everyResponse } = surface;
  app.addHook('onRequest', (request, reply, done) => {
    startSpan?.(request, reply);
    reply.headers(everyResponse);
    reply.header('x-request-id', request.id);
    done();
  });
  registerErrorHandler(app);
  app.decorateReply('sendNotFound', function (this: FastifyReply) {
    return sendNotFound(routes, this.request, this);
  });
  app.setNotFoundHandler(options.onNotFound ?? ((_request, reply) => reply.sendNotFound()));
  return app;
}
