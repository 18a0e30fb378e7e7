import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import { DEFAULT_TIMEOUTS } from '@color-teller/topology';
import type { FastifyInstance } from 'fastify';
import { upstreamRequestHeaders } from './forwarded-headers';
import { FrontExchange } from './front-exchange';
import { ProxiedAnswer } from './proxied-answer';
import { BodyTooLarge, requestBodyOf } from './request-body';
import type { RequestBody } from './request-body';
import { serverOf, type ServiceServer } from './service-server';
import { TrustedPeers } from './trusted-peers';
import type { UpstreamCallSpan } from './trace-spans';
import { UpstreamAdmission } from './upstream-admission';
import { createUpstreamAgent } from './upstream-client';
import { boundUpstreamCall } from './upstream-deadline';
import type { UpstreamHeaders } from './upstream-signing';
import { pathAfterPrefix, upstreamPath } from './upstream-url';
import { queryOf } from './request-target';

export interface ProxyOptions {
  /** Path prefix routed here and removed before forwarding ('/gateway/color'); '' = every path. */
  readonly prefix: string;
  /** Picks the upstream base URL for each request: fixed for the gateway, weighted/header for the router. */
  readonly upstream: (request: IncomingMessage) => URL;
  /** @default - the topology's default connect timeout, 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * Deadline of a whole upstream call, from sending it (queue included) to the last byte of the
   * answer: the same meaning as a mesh's per-request timeout. Past it, the caller gets 504, or
   * the connection is cut when the answer had already begun.
   * @default - the topology's default per-request timeout, 5000
   */
  readonly responseTimeoutMs?: number;
  /** Pooled keep-alive connections to each upstream origin. @default 128 */
  readonly maxConnectionsPerUpstream?: number;
  /** Calls that may wait for a busy upstream's connection; more get 503 with Retry-After. @default 128 */
  readonly maxQueuedCalls?: number;
  /**
   * Peers whose `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Real-IP` are passed on (the load
   * balancer in front); from anyone else those headers are replaced or dropped.
   * @default - nobody (`TrustedPeers.NONE`)
   */
  readonly trustForwardedFrom?: TrustedPeers;
  /** Headers added to each upstream request, such as a SigV4 signature. @default - none */
  readonly upstreamHeaders?: UpstreamHeaders;
  /**
   * undici interceptors composed with the upstream agent, innermost first: retries
   * (`retryInterceptor`), a router's fault injection and outlier detection. @default - none
   */
  readonly interceptors?: readonly Dispatcher.DispatcherComposeInterceptor[];
  /**
   * Called once per proxied request when its response closes (sent or cut), with its status and
   * time through this hop: a router's exact counts per version. @default - none
   */
  readonly onAnswered?: (request: IncomingMessage, statusCode: number, elapsedMs: number) => void;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UPSTREAM_DEADLINE',
]);

// Seconds a shed caller is asked to wait: about how long a full queue takes to drain.
const RETRY_AFTER = { 'retry-after': '1' };

/** The error codes along an error's cause chain. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

/**
 * 413, and the connection closes after it: the rest of a body over the limit is not read (Node
 * would otherwise read and drop it all to keep the connection, for as long as the client sends).
 */
function sendTooLarge(exchange: FrontExchange, refusal: BodyTooLarge): void {
  exchange.response.shouldKeepAlive = false;
  exchange.sendJson(413, { error: 'payload_too_large', message: refusal.message });
}

/**
 * Upstream too slow → 504; a chunked body past the limit → 413; the caller gone → nothing to
 * answer; anything else that kept us from an answer (refused, reset, malformed) → 502.
 */
function sendUpstreamFailure(exchange: FrontExchange, error: unknown): void {
  const codes = codesOf(error);
  if (codes.includes('CLIENT_GONE')) return;
  if (error instanceof BodyTooLarge) {
    sendTooLarge(exchange, error);
    return;
  }
  const timedOut = codes.some((code) => TIMEOUT_CODES.has(code));
  exchange.surface.log.warn(
    { requestId: exchange.id, err: error },
    timedOut ? 'upstream too slow' : 'upstream unavailable',
  );
  if (timedOut) exchange.sendJson(504, { error: 'backend_timeout' });
  else exchange.sendJson(502, { error: 'backend_unavailable' });
}

/** The upstream headers could not be made (no credentials to sign with): nothing was sent. */
function sendUnsignable(exchange: FrontExchange, error: unknown): void {
  exchange.surface.log.error(
    { requestId: exchange.id, err: error },
    'upstream request not sent: could not add its headers',
  );
  exchange.sendJson(502, { error: 'upstream_signing_failed' });
}

const origins = new WeakMap<URL, string>();

/** `http://host:port` of an upstream, remembered per URL (the gateway's never changes). */
function originOf(upstream: URL): string {
  let origin = origins.get(upstream);
  if (origin === undefined) {
    origin = upstream.origin;
    origins.set(upstream, origin);
  }
  return origin;
}

/** GET and HEAD carry no body upstream (one sent anyway is left for Node to discard). */
function bodyOf(request: IncomingMessage, limitBytes: number): RequestBody {
  if (request.method === 'GET' || request.method === 'HEAD') return NO_BODY;
  return requestBodyOf(request, limitBytes);
}

const NO_BODY: RequestBody = { kind: 'none' };

/** The one place where the headers of an upstream call are put together. */
function upstreamCallHeaders(
  exchange: FrontExchange,
  trusted: TrustedPeers,
  upstream: URL,
  call: UpstreamCallSpan | undefined,
  body: RequestBody,
): Record<string, string | string[]> {
  const headers = upstreamRequestHeaders(exchange.request, exchange.id, trusted, call?.headers);
  headers.host = upstream.host;
  if (body.kind === 'stream') {
    if (body.lengthBytes === undefined) delete headers['content-length'];
    else headers['content-length'] = String(body.lengthBytes);
    headers['content-type'] ??= 'application/octet-stream';
  } else delete headers['content-length'];
  return headers as Record<string, string | string[]>;
}

function validPrefix(prefix: string): string {
  if (prefix !== '' && (!prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('*'))) {
    throw new Error(
      `Proxy prefix ${JSON.stringify(prefix)} is invalid: use '' or a path like '/gateway/color' (leading /, no trailing /)`,
    );
  }
  return prefix;
}

/**
 * Forwards every method on `prefix` and below to the upstream chosen per request, over pooled
 * keep-alive connections (undici, one pool per upstream origin). The route is served in front
 * of fastify (see `FrontRoutes`): Node's request goes straight to an undici dispatch whose
 * handler writes the answer back, with the app's request id, headers, log line and span.
 * The host is never taken from the request (see `upstreamPath`). Bodies stream upstream as
 * they arrive (a declared length over the app's body limit gets 413 at once); answers are
 * passed back whole when small, else streamed. Every call has a deadline and is cut when its
 * caller leaves; when an upstream's connections and queue are full, callers get a fast 503
 * with Retry-After. Nothing is retried unless `interceptors` say so: status codes, 503
 * included, are the upstream's to give.
 */
export async function registerProxy(
  target: FastifyInstance | ServiceServer,
  options: ProxyOptions,
): Promise<void> {
  const prefix = validPrefix(options.prefix);
  const server = serverOf(target);
  const { surface } = server;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectMs;
  const deadlineMs = options.responseTimeoutMs ?? DEFAULT_TIMEOUTS.perRequestMs;
  const connections = options.maxConnectionsPerUpstream ?? 128;
  const admission = new UpstreamAdmission(connections + (options.maxQueuedCalls ?? 128));
  const bodyLimitBytes = surface.bodyLimitBytes;
  const trusted = options.trustForwardedFrom ?? TrustedPeers.NONE;
  const { onAnswered, upstreamHeaders } = options;
  const agent = createUpstreamAgent({
    connect: { timeout: connectTimeoutMs, rejectUnauthorized: true },
    headersTimeout: deadlineMs,
    bodyTimeout: deadlineMs,
    // Per upstream origin: room for a load balancer's worth of concurrent requests, one at a
    // time on each connection (pipelining would let one slow answer hold up others).
    connections,
    pipelining: 1,
  });
  const upstreams = options.interceptors?.length ? agent.compose(...options.interceptors) : agent;
  // After the server has drained: in-flight calls finish, idle connections close.
  server.onClose(async () => {
    await upstreams.close();
  });
  const route = prefix === '' ? '/*' : `${prefix}/*`;

  const forward = (exchange: FrontExchange): void => {
    const { request } = exchange;
    const body = bodyOf(request, bodyLimitBytes);
    if (body.kind === 'too-large') {
      sendTooLarge(exchange, new BodyTooLarge(bodyLimitBytes));
      return;
    }
    const upstream = options.upstream(request);
    const target = request.url ?? '/';
    const path = upstreamPath(upstream, pathAfterPrefix(target, prefix)) + queryOf(target);
    const load = admission.admit(upstream);
    if (load === undefined) {
      exchange.sendJson(503, { error: 'overloaded' }, RETRY_AFTER);
      return;
    }
    const method = request.method ?? 'GET';
    const call = exchange.span?.startUpstreamCall(method, upstream, path);
    const answer = new ProxiedAnswer(exchange, call, sendUpstreamFailure);
    boundUpstreamCall(exchange, answer, deadlineMs, () => {
      admission.release(load);
      onAnswered?.(request, exchange.response.statusCode, exchange.elapsedMs());
    });
    const dispatch: Dispatcher.DispatchOptions = {
      origin: originOf(upstream),
      path,
      method: method as Dispatcher.HttpMethod,
      headers: upstreamCallHeaders(exchange, trusted, upstream, call, body),
      body: body.kind === 'stream' ? body.stream : undefined,
    };
    if (upstreamHeaders === undefined) {
      upstreams.dispatch(dispatch, answer);
      return;
    }
    // Joined, not resolved: a path starting with // must stay a path on this origin.
    const url = new URL(`${dispatch.origin}${dispatch.path}`);
    upstreamHeaders({ method, url }).then(
      (extra) => {
        Object.assign(dispatch.headers as Record<string, string>, extra);
        upstreams.dispatch(dispatch, answer);
      },
      (error: unknown) => {
        call?.end(undefined, error);
        sendUnsignable(exchange, error);
      },
    );
  };

  server.addFrontRoute(prefix, (request, response) => {
    const exchange = new FrontExchange(surface, request, response, route);
    try {
      forward(exchange);
    } catch (error) {
      exchange.fail(error);
    }
  });
}
