import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import type { Logger } from 'pino';
import { ConfigError, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './config';
import { FrontRoutes, type FrontHandler } from './front-routes';
import { batchedStdout, type LogDestination } from './log-destination';
import { gatedListener } from './request-gate';
import { requestLineWriter } from './request-line';
import type { ServiceSurface } from './service-surface';
import type { RequestTracing } from './trace-spans';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface ServiceServerOptions {
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
}

/** What the server needs of the app built on it (a fastify instance). */
export interface ServedApp {
  close(): Promise<unknown>;
}

// Above the ALB's 60 s idle timeout, so the load balancer (not us) closes idle connections.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const MAX_HEADER_BYTES = 16 * 1024;

const CONNECT_REFUSED =
  'HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"method_not_allowed","message":"CONNECT is not supported"}';

/**
 * A service's HTTP server without its framework: Node's server with the request gate, the
 * front routes (the proxy), the logger and what every answer carries. It can listen before the
 * app is built, so that a gateway proxies within a few tens of milliseconds of its start while
 * fastify and the page still load: requests for the app's own routes wait for it meanwhile.
 */
export class ServiceServer {
  readonly http: Server;
  readonly log: Logger;
  readonly surface: ServiceSurface;
  readonly #front = new FrontRoutes();
  #app: ServedApp | undefined = undefined;
  #rest: RequestListener | undefined = undefined;
  readonly #waiting: [IncomingMessage, ServerResponse][] = [];
  readonly #closeHooks: (() => Promise<void>)[] = [];
  #hooksRun: Promise<void> | undefined = undefined;
  #buildApp: (() => void) | undefined = undefined;

  constructor(options: ServiceServerOptions) {
    const headersTimeoutMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
    const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    if (headersTimeoutMs > requestTimeoutMs) {
      // Node refuses this pair; say which settings to change.
      throw new ConfigError([
        `HEADERS_TIMEOUT_MS=${headersTimeoutMs} is above REQUEST_TIMEOUT_MS=${requestTimeoutMs}: raise REQUEST_TIMEOUT_MS or lower HEADERS_TIMEOUT_MS`,
      ]);
    }
    const lines = options.logStream ?? batchedStdout();
    this.log = pino({ level: options.logLevel ?? 'info', base: { service: options.name } }, lines);
    this.http = createServer(
      {
        maxHeaderSize: MAX_HEADER_BYTES,
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        // Node checks the two timeouts above on this period (30 s by default).
        connectionsCheckingInterval: 1_000,
      },
      gatedListener(
        (request, response) => this.#route(request, response),
        options.maxRequestsInFlightPerConnection ?? 8,
      ),
    );
    this.http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Node caches a socket's peer address in a field of its own the first time it is read. Read
    // for some requests only (a traced one's span), that gives the sockets two shapes, and V8
    // then runs every answer's code slower (a tenth more CPU per request at 20 traces a second):
    // read once for every connection, all sockets keep one shape.
    this.http.on('connection', (socket: Socket) => void socket.remoteAddress);
    // Spans still buffered are sent once every request has been answered.
    const { tracing } = options;
    if (tracing) this.onClose(() => tracing.shutdown());
    // CONNECT asks for a tunnel, which no service offers; without this Node drops the socket silently.
    this.http.on('connect', (_request, socket: Socket) => socket.end(CONNECT_REFUSED));
    this.surface = {
      log: this.log,
      writeRequestLine: this.log.isLevelEnabled('info')
        ? requestLineWriter(options.name, (text) => lines.write(text))
        : undefined,
      // Every answer is JSON or a file with an exact type: browsers must not guess another.
      everyResponse: { ...options.responseHeaders, 'x-content-type-options': 'nosniff' },
      tracing: options.tracing,
      bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
      listening: () => this.http.listening,
    };
  }

  /** Answers every request at or under `prefix` with `handler`, before the app sees it. */
  addFrontRoute(prefix: string, handler: FrontHandler): void {
    this.#front.add(prefix, handler);
  }

  /** Runs after the server has drained and the app has closed (e.g. closing upstream pools). */
  onClose(hook: () => Promise<void>): void {
    this.#closeHooks.push(hook);
  }

  /**
   * The app that answers what the front routes do not; the requests that waited for it are
   * passed to it now.
   */
  serve(app: ServedApp, listener: RequestListener): void {
    this.#app = app;
    this.#rest = listener;
    for (const [request, response] of this.#waiting.splice(0)) {
      if (!response.destroyed) listener(request, response);
    }
  }

  /**
   * Builds the app when it is first needed (a request for one of its routes), or `afterMs`
   * after this call at the latest: loading a framework blocks the event loop for tens of
   * milliseconds, which the front routes then pay only once traffic has begun to wait for it.
   * `build` must make the app (`createServiceApp` on this server) and make it ready.
   */
  buildAppWhenNeeded(build: () => Promise<unknown>, afterMs: number): void {
    let started = false;
    this.#buildApp = () => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      void build();
    };
    const timer = setTimeout(this.#buildApp, afterMs);
    timer.unref();
  }

  /** Listens; resolves with the URL it answers on (loopback when bound to every address). */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const address = this.http.address() as AddressInfo;
    const shown = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : host;
    const url = `http://${shown}:${address.port}`;
    this.log.info(`Server listening at ${url}`);
    return url;
  }

  /**
   * Stops accepting, lets the requests in flight finish (their connections close after their
   * answer), then closes the app and runs the close hooks.
   */
  async close(): Promise<void> {
    if (this.http.listening) {
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      this.http.closeIdleConnections();
      await closed;
    }
    // An app runs the close hooks as it closes (see `createServiceApp`).
    if (this.#app) await this.#app.close();
    else await this.runCloseHooks();
  }

  /** Runs the close hooks, once, in the order they were added. */
  runCloseHooks(): Promise<void> {
    this.#hooksRun ??= (async () => {
      for (const hook of this.#closeHooks) await hook();
    })();
    return this.#hooksRun;
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const front = this.#front.find(request.url!);
    if (front) front(request, response);
    else if (this.#rest) this.#rest(request, response);
    else {
      this.#waiting.push([request, response]);
      this.#buildApp?.();
    }
  }
}

const serversOfApps = new WeakMap<object, ServiceServer>();

/** Records that `app` (from `createServiceApp`) is built on `server`. */
export function builtOn(app: object, server: ServiceServer): void {
  serversOfApps.set(app, server);
}

/** The server an app from `createServiceApp` is built on, or the server itself; anything else is refused. */
export function serverOf(target: object): ServiceServer {
  if (target instanceof ServiceServer) return target;
  const server = serversOfApps.get(target);
  if (server === undefined) {
    throw new Error(
      'This app was not made by createServiceApp: make it with createServiceApp (or pass its ServiceServer)',
    );
  }
  return server;
}
