import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { newTraceparent, validTraceparent } from './trace';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1); never forwarded. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function listedInConnection(headers: IncomingHttpHeaders): string[] {
  const connection = headers['connection'];
  if (typeof connection !== 'string') return [];
  return connection
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/** A copy of `headers` without hop-by-hop headers, including those named in `Connection`. */
export function withoutHopByHop<H extends IncomingHttpHeaders>(headers: H): H {
  const copy = { ...headers };
  for (const name of [...HOP_BY_HOP, ...listedInConnection(headers)]) delete copy[name];
  return copy;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The headers sent upstream: hop-by-hop removed, `X-Forwarded-*` describing this hop, one trace
 * and request id carried through (a `traceparent` is started here when the caller sent none).
 * `X-Forwarded-For` gets the peer appended; `X-Forwarded-Proto` keeps a load balancer's
 * http/https (it saw the client's scheme) or else names ours; `X-Forwarded-Host` is the Host
 * this proxy received, replacing a caller's own; a caller's `Forwarded` is dropped.
 */
export function upstreamRequestHeaders(
  request: FastifyRequest,
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const upstream = withoutHopByHop(headers);
  const incoming = request.headers;
  const priorFor = first(incoming['x-forwarded-for']);
  const clientAddress = request.socket.remoteAddress ?? 'unknown';
  const priorProto = first(incoming['x-forwarded-proto']);
  upstream['x-forwarded-for'] = priorFor ? `${priorFor}, ${clientAddress}` : clientAddress;
  upstream['x-forwarded-proto'] =
    priorProto === 'http' || priorProto === 'https' ? priorProto : request.protocol;
  if (incoming.host) upstream['x-forwarded-host'] = incoming.host;
  else delete upstream['x-forwarded-host'];
  // We describe the hop with X-Forwarded-*; a caller's own RFC 7239 header would contradict it.
  delete upstream['forwarded'];
  const traceparent = validTraceparent(incoming);
  if (traceparent) upstream['traceparent'] = traceparent;
  else {
    upstream['traceparent'] = newTraceparent();
    delete upstream['tracestate'];
  }
  upstream['x-request-id'] = request.id;
  return upstream;
}
