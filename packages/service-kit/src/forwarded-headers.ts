import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { newTraceparent, validTraceparent } from './trace';
import type { TrustedPeers } from './trusted-peers';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1); never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Header names listed in `Connection` (beyond its usual keep-alive/close), lowercased. */
function listedInConnection(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
): Set<string> | undefined {
  const connection = headers['connection'];
  if (typeof connection !== 'string' || connection === 'keep-alive' || connection === 'close') {
    return undefined;
  }
  return new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
}

/**
 * Adds to `into` every header of `from` but the hop-by-hop ones, including those named in
 * `Connection`. Built by adding, not by deleting from a spread copy: `delete` turns the object
 * into a slow dictionary that every later step pays for.
 */
export function addEndToEnd<H extends IncomingHttpHeaders | OutgoingHttpHeaders>(
  from: H,
  into: H,
): H {
  const listed = listedInConnection(from);
  for (const name of Object.keys(from)) {
    if (!HOP_BY_HOP.has(name) && !listed?.has(name)) into[name] = from[name] as H[string];
  }
  return into;
}

/** A copy of `headers` without hop-by-hop headers, including those named in `Connection`. */
export function withoutHopByHop<H extends IncomingHttpHeaders>(headers: H): H {
  return addEndToEnd(headers, {} as H);
}

/** The scheme this hop was reached by. */
function schemeOf(request: IncomingMessage): 'http' | 'https' {
  return (request.socket as TLSSocket).encrypted ? 'https' : 'http';
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The headers sent upstream: hop-by-hop removed, `X-Forwarded-*` describing this hop, one trace
 * and request id carried through (a `traceparent` is started here when the caller sent none, or
 * one W3C forbids). A trusted peer (the load balancer) has its `X-Forwarded-For` appended to,
 * its `X-Forwarded-Proto` (http/https: it saw the client's scheme) and `X-Real-IP` kept; from
 * anyone else they are replaced by what this hop saw, so a client cannot forge them.
 * `X-Forwarded-Host` is the Host this proxy received; a caller's `Forwarded` is dropped.
 */
export function upstreamRequestHeaders(
  request: IncomingMessage,
  requestId: string,
  trusted: TrustedPeers,
  /** This hop's own trace headers (its call span's), which replace the caller's. */
  trace?: Readonly<Record<string, string>>,
): IncomingHttpHeaders {
  const incoming = request.headers;
  const upstream = withoutHopByHop(incoming);
  const clientAddress = request.socket.remoteAddress ?? 'unknown';
  const fromTrusted = trusted.trusts(request.socket.remoteAddress);
  const priorFor = fromTrusted ? first(incoming['x-forwarded-for']) : undefined;
  const priorProto = fromTrusted ? first(incoming['x-forwarded-proto']) : undefined;
  upstream['x-forwarded-for'] = priorFor ? `${priorFor}, ${clientAddress}` : clientAddress;
  upstream['x-forwarded-proto'] =
    priorProto === 'http' || priorProto === 'https' ? priorProto : schemeOf(request);
  if (!fromTrusted && upstream['x-real-ip'] !== undefined) delete upstream['x-real-ip'];
  if (incoming.host) upstream['x-forwarded-host'] = incoming.host;
  else if (upstream['x-forwarded-host'] !== undefined) delete upstream['x-forwarded-host'];
  // We describe the hop with X-Forwarded-*; a caller's own RFC 7239 header would contradict it.
  if (upstream['forwarded'] !== undefined) delete upstream['forwarded'];
  // This hop has answered `Expect: 100-continue` itself (Node does) and streams the body on.
  if (upstream['expect'] !== undefined) delete upstream['expect'];
  const traceparent = validTraceparent(incoming);
  if (!traceparent && upstream['tracestate'] !== undefined) delete upstream['tracestate'];
  if (trace) Object.assign(upstream, trace);
  else upstream['traceparent'] = traceparent ?? newTraceparent();
  upstream['x-request-id'] = requestId;
  return upstream;
}
