import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import WrapHandler from 'undici/lib/handler/wrap-handler.js';

/**
 * An undici dispatch handler that passes every event on to the handler it wraps (old-style
 * handlers wrapped by undici's own WrapHandler); an interceptor's handler extends it and
 * overrides the events it watches. `controllerFor` is the controller the inner handler sees.
 */
export class ForwardingHandler implements Dispatcher.DispatchHandler {
  protected readonly inner: ReturnType<typeof WrapHandler.wrap>;

  constructor(handler: Dispatcher.DispatchHandler) {
    this.inner = WrapHandler.wrap(handler);
  }

  protected controllerFor(
    controller: Dispatcher.DispatchController,
  ): Dispatcher.DispatchController {
    return controller;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart(this.controllerFor(controller), context);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.inner.onResponseStart(this.controllerFor(controller), statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData(this.controllerFor(controller), chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.inner.onResponseEnd(this.controllerFor(controller), trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError(this.controllerFor(controller), error);
  }
}
