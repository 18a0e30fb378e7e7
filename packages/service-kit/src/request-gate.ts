import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const inFlight = Symbol('requests in flight on this connection');
type CountedSocket = Socket & { [inFlight]?: number };

const TOO_MANY = JSON.stringify({
  error: 'too_many_requests_on_connection',
  message: 'too many pipelined requests on one connection: wait for answers, or open another',
});
const NOT_ORIGIN_FORM = JSON.stringify({
  error: 'bad_request',
  message: 'the request target must be a path starting with / and without a #fragment',
});

/** Answered without the app, after the answers still owed on the connection, which it then closes. */
function refuse(response: ServerResponse, status: number, body: string): void {
  response.shouldKeepAlive = false;
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(status === 503 ? { 'retry-after': '1' } : {}),
    connection: 'close',
  });
  response.end(body);
}

/**
 * A path (`/a?b`) or `*` (OPTIONS): absolute-form (`http://host/a`) is for forward proxies,
 * which no service is, and a `#fragment` never belongs in a request.
 */
function isOriginForm(target: string | undefined): boolean {
  return target !== undefined && (target[0] === '/' || target === '*') && !target.includes('#');
}

/**
 * Wraps the app's request listener: refuses, before the app sees them, requests whose target is
 * not origin-form (400, one answer for every route) and lets at most `limit` requests of one
 * connection be answered at once. Node parses pipelined requests as fast as they arrive and
 * hands each to the app, so one write of thousands would each start an upstream call; past the
 * limit a request gets 503 and the connection closes. The refusals are queued behind the
 * answers owed, so Node's own write backpressure stops reading from the socket: memory stays
 * bounded whatever the client sends.
 */
export function gatedListener(app: RequestListener, limit: number): RequestListener {
  return (request, response) => {
    if (!isOriginForm(request.url)) {
      refuse(response, 400, NOT_ORIGIN_FORM);
      return;
    }
    const socket = request.socket as CountedSocket;
    const count = (socket[inFlight] ?? 0) + 1;
    if (count > limit) {
      refuse(response, 503, TOO_MANY);
      return;
    }
    socket[inFlight] = count;
    response.once('close', () => {
      socket[inFlight] = (socket[inFlight] ?? 1) - 1;
    });
    app(request, response);
  };
}
