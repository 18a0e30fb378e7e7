import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { upstreamRequestHeaders, withoutHopByHop } from './forwarded-headers';
import { requestSpanOf } from './request-tracing';
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
}

/** What reply-from hands to `onResponse` (its type declaration says otherwise). */
interface UpstreamResponse {
  readonly statusCode: number;
  readonly stream: Readable;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
]);

/** The error codes along an error's cause chain (reply-from wraps undici's errors). */
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

const origins = new WeakMap<URL, string>();

/** `http://host:port/` of an upstream, remembered per URL (the gateway's never changes). */
function originOf(upstream: URL): string {
  let origin = origins.get(upstream);
  if (origin === undefined) {
    origin = `${upstream.origin}/`;
    origins.set(upstream, origin);
  }
  return origin;
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
 * keep-alive connections. The host is never taken from the request (see `upstreamPath`).
 * Bodies are buffered up to the app's body limit (bigger → 413) and sent on unchanged.
 */
export async function registerProxy(app: FastifyInstance, options: ProxyOptions): Promise<void> {
  const prefix = validPrefix(options.prefix);
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 5_000;

  await app.register(async (scope) => {
    await scope.register(replyFrom, {
      disableRequestLogging: true,
      undici: {
        // reply-from turns certificate checks off unless told otherwise.
        connect: { timeout: connectTimeoutMs, rejectUnauthorized: true },
        headersTimeout: responseTimeoutMs,
        bodyTimeout: responseTimeoutMs,
      },
    });
    // Any content type is passed on byte for byte; fastify still enforces the body limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );

    const forward = (request: FastifyRequest, reply: FastifyReply) => {
      const path = pathAfterPrefix(request.raw.url ?? '', prefix);
      const upstream = options.upstream(request);
      const source = upstreamPath(upstream, path);
      const call = requestSpanOf(request)?.startUpstreamCall(
        request.method,
        new URL(source, upstream.origin),
      );
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      const contentType = request.headers['content-type'] ?? 'application/octet-stream';
      return reply.from(source, {
        getUpstream: () => originOf(upstream),
        ...(body && request.method !== 'GET' && request.method !== 'HEAD'
          ? { body, contentType }
          : {}),
        rewriteRequestHeaders: (_request, headers) => {
          const upstreamHeaders = upstreamRequestHeaders(request, headers as IncomingHttpHeaders);
          return call ? Object.assign(upstreamHeaders, call.headers) : upstreamHeaders;
        },
        rewriteHeaders: (headers) => withoutHopByHop(headers as IncomingHttpHeaders),
        // Status codes, 503 included, are the upstream's to give: never retried here.
        retryDelay: () => null,
        onResponse: (_request, _reply, response) => {
          const upstreamResponse = response as unknown as UpstreamResponse;
          call?.end(upstreamResponse.statusCode);
          void reply.send(upstreamResponse.stream);
        },
        onError: (_reply, { error }) => {
          call?.end(undefined, error);
          sendUpstreamFailure(reply, error);
        },
      });
    };

    if (prefix === '') {
      scope.all('/*', forward);
    } else {
      scope.all(prefix, forward);
      scope.all(`${prefix}/*`, forward);
    }
  });
}
