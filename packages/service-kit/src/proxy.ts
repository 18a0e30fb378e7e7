import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { DEFAULT_TIMEOUTS } from '@color-teller/topology';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { upstreamRequestHeaders, withoutHopByHop } from './forwarded-headers';
import { requestSpanOf } from './request-tracing';
import { BodyTooLarge, requestBodyOf } from './request-body';
import { TrustedPeers } from './trusted-peers';
import type { RequestBody } from './request-body';
import type { UpstreamCallSpan } from './trace-spans';
import { UpstreamAdmission } from './upstream-admission';
import { createUpstreamAgent, requestUpstream } from './upstream-client';
import { upstreamCallSignal } from './upstream-deadline';
import type { UpstreamHeaders } from './upstream-signing';
import { pathAfterPrefix, upstreamPath } from './upstream-url';

export interface ProxyOptions {
  /** Path prefix routed here and removed before forwarding ('/gateway/color'); '' = every path. */
  readonly prefix: string;
  /** Picks the upstream base URL for each request: fixed for the gateway, weighted/header for the router. */
  readonly upstream: (request: FastifyRequest) => URL;
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
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UPSTREAM_DEADLINE',
]);

// Seconds a shed caller is asked to wait: about how long a full queue takes to drain.
const RETRY_AFTER_SECONDS = '1';

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
 * Upstream too slow → 504; a chunked body past the limit → 413; the caller gone → nothing to
 * answer; anything else that kept us from an answer (refused, reset, malformed) → 502.
 */
function sendUpstreamFailure(reply: FastifyReply, error: unknown): void {
  const codes = codesOf(error);
  if (codes.includes('CLIENT_GONE')) return;
  if (error instanceof BodyTooLarge) {
    void reply.code(413).send({ error: 'payload_too_large', message: error.message });
    return;
  }
  const timedOut = codes.some((code) => TIMEOUT_CODES.has(code));
  reply.request.log.warn({ err: error }, timedOut ? 'upstream too slow' : 'upstream unavailable');
  if (timedOut) void reply.code(504).send({ error: 'backend_timeout' });
  else void reply.code(502).send({ error: 'backend_unavailable' });
}

/** The upstream headers could not be made (no credentials to sign with): nothing was sent. */
function sendUnsignable(reply: FastifyReply, error: unknown): void {
  reply.request.log.error({ err: error }, 'upstream request not sent: could not add its headers');
  void reply.code(502).send({ error: 'upstream_signing_failed' });
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

// Answers up to this size are read whole before they are passed on; bigger ones stream.
const SMALL_BODY_BYTES = 16 * 1024;

/** A typed answer with a body of known, small length (HEAD answers have none to read). */
function isSmallBody(method: string, headers: IncomingHttpHeaders): boolean {
  const length = Number(headers['content-length']);
  return (
    method !== 'HEAD' &&
    headers['content-type'] !== undefined &&
    length > 0 &&
    length <= SMALL_BODY_BYTES
  );
}

/** `?query` of a request target, or ''. */
function queryOf(requestTarget: string): string {
  const query = requestTarget.indexOf('?');
  return query === -1 ? '' : requestTarget.slice(query);
}

/** Answers that never carry a body (RFC 9110 §6.4.1), whatever their Content-Length says. */
function hasNoBody(method: string, statusCode: number): boolean {
  return method === 'HEAD' || statusCode === 204 || statusCode === 304;
}

/** GET and HEAD carry no body upstream (one sent anyway is left for Node to discard). */
function bodyOf(request: FastifyRequest, limitBytes: number): RequestBody {
  if (request.method === 'GET' || request.method === 'HEAD') return NO_BODY;
  return requestBodyOf(request.raw, limitBytes);
}

const NO_BODY: RequestBody = { kind: 'none' };

/** The one place where the headers of an upstream call are put together. */
function upstreamCallHeaders(
  request: FastifyRequest,
  trusted: TrustedPeers,
  upstream: URL,
  call: UpstreamCallSpan | undefined,
  body: RequestBody,
): Record<string, string | string[]> {
  const headers = upstreamRequestHeaders(request, request.headers, trusted);
  headers.host = upstream.host;
  if (call) Object.assign(headers, call.headers);
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
 * keep-alive connections (undici, one pool per upstream origin). The host is never taken from
 * the request (see `upstreamPath`). Bodies stream upstream as they arrive (a declared length over
 * the app's body limit gets 413 at once); answers are passed back whole when small, else
 * streamed. Every call has a deadline and is aborted when its caller leaves; when an upstream's
 * connections and queue are full, callers get a fast 503 with Retry-After. Nothing is retried
 * unless `interceptors` say so: status codes, 503 included, are the upstream's to give.
 */
export async function registerProxy(app: FastifyInstance, options: ProxyOptions): Promise<void> {
  const prefix = validPrefix(options.prefix);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectMs;
  const deadlineMs = options.responseTimeoutMs ?? DEFAULT_TIMEOUTS.perRequestMs;
  const connections = options.maxConnectionsPerUpstream ?? 128;
  const admission = new UpstreamAdmission(connections + (options.maxQueuedCalls ?? 128));
  const bodyLimitBytes = app.initialConfig.bodyLimit ?? 1024 * 1024;
  const trusted = options.trustForwardedFrom ?? TrustedPeers.NONE;
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

  await app.register(async (scope) => {
    // Bodies are not parsed or buffered: the handler streams the raw request upstream.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    // After the app has drained: in-flight calls finish, idle connections close.
    scope.addHook('onClose', async () => {
      await upstreams.close();
    });

    const forward = (request: FastifyRequest, reply: FastifyReply) => {
      const body = bodyOf(request, bodyLimitBytes);
      if (body.kind === 'too-large') {
        return reply.code(413).send({
          error: 'payload_too_large',
          message: `the request body is over ${bodyLimitBytes} bytes`,
        });
      }
      const upstream = options.upstream(request);
      const load = admission.admit(upstream);
      if (load === undefined) {
        return reply
          .code(503)
          .header('retry-after', RETRY_AFTER_SECONDS)
          .send({ error: 'overloaded' });
      }
      const signal = upstreamCallSignal(reply.raw, deadlineMs, () => admission.release(load));
      const target = request.raw.url ?? '';
      const source = upstreamPath(upstream, pathAfterPrefix(target, prefix));
      const call = requestSpanOf(request)?.startUpstreamCall(request.method, upstream, source);

      const answer = (error: Error | null, response?: Dispatcher.ResponseData) => {
        if (error || !response) {
          call?.end(undefined, error);
          sendUpstreamFailure(reply, error);
          return;
        }
        const { statusCode } = response;
        call?.end(statusCode);
        if (statusCode < 200 || statusCode > 599) {
          response.body.on('error', ignore).destroy();
          sendUpstreamFailure(reply, new Error(`the upstream answered status ${statusCode}`));
          return;
        }
        const pass = (payload?: Buffer | Readable) =>
          void reply
            .code(statusCode)
            .headers(withoutHopByHop(response.headers as IncomingHttpHeaders))
            .send(payload);
        if (hasNoBody(request.method, statusCode)) {
          // undici may still fault a bodiless answer's Content-Length; nothing is read from it.
          response.body.on('error', ignore).destroy();
          pass();
        } else if (isSmallBody(request.method, response.headers)) {
          // Read whole and sent in one write: cheaper than piping a stream for a few bytes.
          response.body.bytes().then(
            (bytes) => pass(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
            (bodyError: unknown) => sendUpstreamFailure(reply, bodyError),
          );
        } else pass(response.body);
      };
      const upstreamRequest: Dispatcher.RequestOptions = {
        origin: originOf(upstream),
        path: source + queryOf(target),
        method: request.method as Dispatcher.HttpMethod,
        headers: upstreamCallHeaders(request, trusted, upstream, call, body),
        body: body.kind === 'stream' ? body.stream : undefined,
        signal,
      };
      if (options.upstreamHeaders) {
        // Joined, not resolved: a path starting with // must stay a path on this origin.
        const url = new URL(`${upstreamRequest.origin}${upstreamRequest.path}`);
        options.upstreamHeaders({ method: request.method, url }).then(
          (extra) => {
            Object.assign(upstreamRequest.headers as Record<string, string>, extra);
            requestUpstream(upstreams, upstreamRequest, answer);
          },
          (error: unknown) => {
            call?.end(undefined, error);
            sendUnsignable(reply, error);
          },
        );
      } else requestUpstream(upstreams, upstreamRequest, answer);
      return reply;
    };

    if (prefix === '') {
      scope.all('/*', forward);
    } else {
      scope.all(prefix, forward);
      scope.all(`${prefix}/*`, forward);
    }
  });
}

function ignore(): void {}
