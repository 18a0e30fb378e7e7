import { registerProxy, ServiceServer } from '@color-teller/service-kit/server';
import type {
  LogDestination,
  ProxyOptions,
  RequestTracing,
  TrustedPeers,
  UpstreamHeaders,
} from '@color-teller/service-kit/server';
import { securityHeaders } from './security-headers';

export interface GatewayOptions {
  /** Where `/gateway/color/*` goes (prefix removed). */
  readonly colorBackend: URL;
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
  /** Set on every response. @default - helmet's whole set for the page (`securityHeaders()`) */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/**
 * The article's gateway without its page: the server, its security headers and
 * `/gateway/color/*` proxied to the backend. It can listen before fastify is even loaded.
 */
export async function startGateway(options: GatewayOptions): Promise<ServiceServer> {
  const server = new ServiceServer({
    name: 'color-client',
    logLevel: options.logLevel,
    logStream: options.logStream,
    tracing: options.tracing,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    responseHeaders: options.responseHeaders ?? securityHeaders(),
  });
  await registerProxy(server, {
    prefix: '/gateway/color',
    upstream: () => options.colorBackend,
    connectTimeoutMs: options.connectTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    upstreamHeaders: options.upstreamHeaders,
    interceptors: options.upstreamInterceptors,
    trustForwardedFrom: options.trustForwardedFrom,
  });
  return server;
}
