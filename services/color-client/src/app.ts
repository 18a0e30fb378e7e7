import { createServiceApp, registerProxy } from '@color-teller/service-kit';
import type {
  LogDestination,
  ProxyOptions,
  RequestTracing,
  TrustedPeers,
  UpstreamHeaders,
} from '@color-teller/service-kit';
import type { FastifyInstance } from 'fastify';

import { isPageBuilt, pageFallback, registerPage } from './page';
import { securityHeaders } from './security-headers';

export interface ClientAppOptions {
  /** Where `/gateway/color/*` goes (prefix removed). */
  readonly colorBackend: URL;
  /** Shown by `GET /gateway/version`. */
  readonly version: string;
  /** The built page (`web/dist`); when it holds no index.html only the gateway API is served. */
  readonly staticDir: string;
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Deadline of a whole call to the backend. @default 5000 */
  readonly responseTimeoutMs?: number;
  /** The load balancer in front, whose X-Forwarded-* headers are kept. @default - nobody */
  readonly trustForwardedFrom?: TrustedPeers;
  /** @default 'info' */
  readonly logLevel?: string;
  /** @default - standard output */
  readonly logStream?: LogDestination;
  /** @default - no tracing */
  readonly tracing?: RequestTracing;
  /** Longest wait for a request's headers. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** Longest wait for a whole request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Headers added to each call to the backend (its SigV4 signature on VPC Lattice). @default - none */
  readonly upstreamHeaders?: UpstreamHeaders;
  /** Composed with the backend's upstream agent: the caller's own retries on VPC Lattice. @default - none */
  readonly upstreamInterceptors?: ProxyOptions['interceptors'];
}

/** The article's color-teller-client: a gateway to the backend plus the page. Built without listening. */
export async function buildClientApp(options: ClientAppOptions): Promise<FastifyInstance> {
  const pageBuilt = isPageBuilt(options.staticDir);
  const app = createServiceApp({
    name: 'color-client',
    logLevel: options.logLevel,
    logStream: options.logStream,
    tracing: options.tracing,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    responseHeaders: securityHeaders(),
    ...(pageBuilt ? { onNotFound: pageFallback } : {}),
  });
  const version = { version: options.version };
  app.get('/gateway/version', async () => version);
  app.get('/health', async () => ({ status: 'up' }));
  await registerProxy(app, {
    prefix: '/gateway/color',
    upstream: () => options.colorBackend,
    connectTimeoutMs: options.connectTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    upstreamHeaders: options.upstreamHeaders,
    interceptors: options.upstreamInterceptors,
    trustForwardedFrom: options.trustForwardedFrom,
  });
  if (pageBuilt) await registerPage(app, options.staticDir);
  else {
    app.log.warn(
      { staticDir: options.staticDir },
      'page not built (no index.html): serving the gateway API only; build it with `npm run build:web -w @color-teller/color-client`',
    );
  }
  return app;
}
