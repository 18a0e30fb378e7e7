import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { FrontExchange } from './front-exchange';
import { withoutHopByHop } from './forwarded-headers';
import type { UpstreamCallSpan } from './trace-spans';
import type { UpstreamCallCut } from './upstream-deadline';

// Answers up to this size are read whole before they are passed on; bigger ones stream.
const SMALL_BODY_BYTES = 16 * 1024;

/** A typed answer with a body of known, small length. */
function isSmallBody(headers: IncomingHttpHeaders): boolean {
  const length = Number(headers['content-length']);
  return headers['content-type'] !== undefined && length > 0 && length <= SMALL_BODY_BYTES;
}

/** Answers that never carry a body (RFC 9110 §6.4.1), whatever their Content-Length says. */
function hasNoBody(method: string, statusCode: number): boolean {
  return method === 'HEAD' || statusCode === 204 || statusCode === 304;
}

/** What the caller gets when no upstream answer can be passed on (see `sendUpstreamFailure`). */
export type UpstreamFailure = (exchange: FrontExchange, error: unknown) => void;

/**
 * Passes one upstream answer back to its caller, as an undici dispatch handler: a small answer
 * is read whole and sent in one write (a failure before its end can still be answered 502), a
 * large one streams with backpressure (a failure then cuts the connection). `cut` ends the call
 * at its deadline or when the caller leaves, whether it is still queued or under way.
 */
export class ProxiedAnswer implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined = undefined;
  #cutBy: UpstreamCallCut | undefined = undefined;
  #statusCode = 0;
  #headers: IncomingHttpHeaders | undefined = undefined;
  #chunks: Buffer[] | undefined = undefined;
  #streaming = false;
  #settled = false;

  constructor(
    private readonly exchange: FrontExchange,
    private readonly call: UpstreamCallSpan | undefined,
    private readonly failed: UpstreamFailure,
  ) {}

  /** Ends the call: queued, it is dropped when its turn comes; under way, it is aborted. */
  cut(reason: UpstreamCallCut): void {
    if (this.#settled || this.#cutBy) return;
    this.#cutBy = reason;
    if (this.#controller) this.#controller.abort(reason);
    // Still queued: the caller is answered now, not when a connection frees up.
    else this.onResponseError(undefined, reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#cutBy) controller.abort(this.#cutBy);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // informational: the answer is still to come
    this.call?.end(statusCode);
    if (statusCode > 599) {
      const error = new Error(`the upstream answered status ${statusCode}`);
      this.#fail(error);
      controller.abort(error);
      return;
    }
    const { exchange } = this;
    if (hasNoBody(exchange.request.method ?? 'GET', statusCode)) {
      this.#settled = true;
      exchange.writeHead(statusCode, withoutHopByHop(headers));
      exchange.response.end();
    } else if (isSmallBody(headers)) {
      this.#statusCode = statusCode;
      this.#headers = headers;
      this.#chunks = [];
    } else {
      this.#streaming = true;
      exchange.writeHead(statusCode, withoutHopByHop(headers));
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#chunks) this.#chunks.push(chunk);
    else if (this.#streaming && !this.exchange.response.write(chunk)) {
      controller.pause();
      this.exchange.response.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settled = true;
    const { response } = this.exchange;
    if (this.#chunks) {
      const chunks = this.#chunks;
      this.exchange.writeHead(this.#statusCode, withoutHopByHop(this.#headers!));
      response.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    } else response.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#settled) return;
    if (!this.#streaming && !this.#chunks) this.call?.end(undefined, error);
    if (this.#streaming) {
      // The answer had begun: the caller must not take a cut body for a whole one.
      this.#settled = true;
      this.exchange.response.destroy(error);
    } else this.#fail(error);
  }

  #fail(error: unknown): void {
    this.#settled = true;
    this.failed(this.exchange, error);
  }
}
