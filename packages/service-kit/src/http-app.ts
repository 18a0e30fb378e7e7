import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { ConfigError, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './config';
import { FrontRoutes } from './front-routes';
import { gatedListener } from './request-gate';
import { registerErrorHandler } from './errors';
import { batchedStdout, type LogDestination } from './log-destination';
import { RouteMethods, sendNotFound } from './not-found';
import { OneLinePerRequest, requestIdOf } from './request-log';
import { registerRequestTracing } from './request-tracing';
import { attachSurface } from './service-surface';
import type { RequestTracing } from './trace-spans';

export type { LogDestination } from './log-destination';

export interface ServiceAppOptions {
  /** Service name, on every log line. */
  readonly name: string;
  /** @default 'info' */
  readonly logLevel?: string;
  /** Where log lines go. @default - standard output, in batches (`batchedStdout`) */
  readonly logStream?: LogDestination;
  /** Largest request body accepted; bigger ones get 413. @default 1 MiB */
  readonly bodyLimitBytes?: number;
  /** A span per request (and per proxied call), from `startTracing`. @default - no tracing */
  readonly tracing?: RequestTracing;
  /** Longest wait for a request's headers; slower clients are cut. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** Longest wait for a whole request (headers and body); not below `headersTimeoutMs`. @default 30000 */
  readonly requestTimeoutMs?: number;
  /**
   * Requests of one connection answered at once (pipelining); past it a request gets 503 with
   * Retry-After and the connection closes. @default 8
   */
  readonly maxRequestsInFlightPerConnection?: number;
  /**
   * Headers set on every response (e.g. security headers), computed once by the caller.
   * @default - only `x-request-id` and `x-content-type-options: nosniff`
   */
  readonly responseHeaders?: Readonly<Record<string, string>>;
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

// Above the ALB's 60 s idle timeout, so the load balancer (not us) closes idle connections.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * A fastify app with the habits every service shares: JSON logs (one line per request), JSON
 * 404/405/errors without stacks, size limits and timeouts fit for a load balancer in front.
 * Routes are added by the caller; nothing listens until `runService`.
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const headersTimeoutMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  if (headersTimeoutMs > requestTimeoutMs) {
    // Node refuses this pair; say which settings to change.
    throw new ConfigError([
      `HEADERS_TIMEOUT_MS=${headersTimeoutMs} is above REQUEST_TIMEOUT_MS=${requestTimeoutMs}: raise REQUEST_TIMEOUT_MS or lower HEADERS_TIMEOUT_MS`,
    ]);
  }
  const front = new FrontRoutes();
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      base: { service: options.name },
      stream: options.logStream ?? batchedStdout(),
    },
    logController: new OneLinePerRequest(),
    genReqId: requestIdOf,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // While draining, a request already on an open connection is served (with Connection: close)
    // rather than refused with 503: the load balancer may still send a few as it deregisters us.
    return503OnClosing: false,
    // Our server, so that the request gate and the front routes sit between Node and the app
    // without re-wiring the listeners fastify attached; fastify leaves every server setting to us.
    serverFactory: (handler) => {
      const server = createServer(
        {
          maxHeaderSize: MAX_HEADER_BYTES,
          headersTimeout: headersTimeoutMs,
          requestTimeout: requestTimeoutMs,
          // Node checks the two timeouts above on this period (30 s by default).
          connectionsCheckingInterval: 1_000,
        },
        gatedListener(
          (request, response) => (front.find(request.url!) ?? handler)(request, response),
          options.maxRequestsInFlightPerConnection ?? 8,
        ),
      );
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      return server;
    },
  });
  // CONNECT asks for a tunnel, which no service offers; without this Node drops the socket silently.
  app.server.on('connect', (_request, socket: Socket) => {
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"method_not_allowed","message":"CONNECT is not supported"}',
    );
  });
  // While draining (the server no longer listens), in-flight answers close their connection, so
  // that a keep-alive client does not hold the process open until the drain timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!app.server.listening) reply.header('connection', 'close');
    done(null, payload);
  });
  const startSpan = options.tracing ? registerRequestTracing(app, options.tracing) : undefined;
  const routes = new RouteMethods(app);
  // Every answer is JSON or a file with an exact type: browsers must not guess another.
  const everyResponse = { ...options.responseHeaders, 'x-content-type-options': 'nosniff' };
  attachSurface(app, {
    log: app.log,
    everyResponse,
    tracing: options.tracing,
    bodyLimitBytes: app.initialConfig.bodyLimit ?? 1024 * 1024,
    front,
    listening: () => app.server.listening,
  });
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
