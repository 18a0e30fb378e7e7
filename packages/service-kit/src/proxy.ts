import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { upstreamRequestHeaders, withoutHopByHop } from './forwarded-headers';
import { requestSpanOf } from './request-tracing';
import { createUpstreamAgent, requestUpstream } from './upstream-client';
import type { UpstreamHeaders } from './upstream-signing';
import { pathAfterPrefix, upstreamPath } from './upstream-url';

export interface ProxyOptions {
  /** Path prefix routed here and removed before forwarding ('/gateway/color'); '' = every path. */
  readonly prefix: string;
  /** Picks the upstream base URL for each request: fixed for the gateway, weighted/header for the router. */
  readonly upstream: (request: FastifyRequest) => URL;
  /** @default 2000 */ readonly connectTimeoutMs?: number;
  /**
   * Longest wait for the response headers, and between body chunks. undici checks it on a
   * timer with about one second of resolution, so a timeout fires up to ~1 s late.
   * @default 5000
   */
  readonly responseTimeoutMs?: number;
  /** Headers added to each upstream request, such as a SigV4 signature. @default - none */
  readonly upstreamHeaders?: UpstreamHeaders;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

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

/** Upstream too slow → 504; anything else that kept us from an answer (refused, reset, connect timeout) → 502. */
function sendUpstreamFailure(reply: FastifyReply, error: unknown): void {
  const timedOut = codesOf(error).some((code) => TIMEOUT_CODES.has(code));
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

/** Only these methods carry the buffered request body upstream. */
function bodyOf(request: FastifyRequest): Buffer | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return Buffer.isBuffer(request.body) ? request.body : undefined;
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
 * the request (see `upstreamPath`). Bodies are buffered up to the app's body limit (bigger →
 * 413) and sent on unchanged; answers are passed back whole when small, else streamed.
 * Nothing is retried: status codes, 503 included, are the upstream's to give.
 */
export async function registerProxy(app: FastifyInstance, options: ProxyOptions): Promise<void> {
  const prefix = validPrefix(options.prefix);
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 5_000;
  const upstreams = createUpstreamAgent({
    connect: { timeout: connectTimeoutMs, rejectUnauthorized: true },
    headersTimeout: responseTimeoutMs,
    bodyTimeout: responseTimeoutMs,
    // Per upstream origin: room for a load balancer's worth of concurrent requests, one at a
    // time on each connection (pipelining would let one slow answer hold up others).
    connections: 128,
    pipelining: 1,
  });

  await app.register(async (scope) => {
    // Any content type is passed on byte for byte; fastify still enforces the body limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    // After the app has drained: in-flight calls finish, idle connections close.
    scope.addHook('onClose', async () => {
      await upstreams.close();
    });

    const forward = (request: FastifyRequest, reply: FastifyReply) => {
      const target = request.raw.url ?? '';
      const path = pathAfterPrefix(target, prefix);
      const upstream = options.upstream(request);
      const source = upstreamPath(upstream, path);
      const call = requestSpanOf(request)?.startUpstreamCall(
        request.method,
        new URL(source, upstream.origin),
      );
      const headers = upstreamRequestHeaders(request, request.headers);
      headers.host = upstream.host;
      if (call) Object.assign(headers, call.headers);
      const body = bodyOf(request);
      if (body) {
        headers['content-length'] = String(body.length);
        headers['content-type'] ??= 'application/octet-stream';
      } else delete headers['content-length'];

      const answer = (error: Error | null, response?: Dispatcher.ResponseData) => {
        if (error || !response) {
          call?.end(undefined, error);
          sendUpstreamFailure(reply, error);
          return;
        }
        call?.end(response.statusCode);
        // The caller left: nobody reads this answer.
        if (request.socket.destroyed) {
          response.body.destroy();
          return;
        }
        const pass = (payload: Buffer | Readable) =>
          void reply
            .code(response.statusCode)
            .headers(withoutHopByHop(response.headers as IncomingHttpHeaders))
            .send(payload);
        if (isSmallBody(request.method, response.headers)) {
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
        headers: headers as Record<string, string | string[]>,
        body,
      };
      if (options.upstreamHeaders) {
        // Joined, not resolved: a path starting with // must stay a path on this origin.
        const url = new URL(`${upstreamRequest.origin}${upstreamRequest.path}`);
        options.upstreamHeaders({ method: request.method, url }).then(
          (extra) => {
            Object.assign(headers, extra);
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
