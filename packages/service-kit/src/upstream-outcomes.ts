import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { ForwardingHandler } from './upstream-handler';

/**
 * Tells `record` how each try to an upstream ended: `true` for an answer below 500, `false` for
 * a 5xx, a failed or cut connection or a try past its limit. A call its own caller gave up on
 * says nothing about the upstream and is not recorded. For outlier detection.
 */
export function outcomeInterceptor(
  record: (origin: string, ok: boolean) => void,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function observedDispatch(opts, handler) {
      return dispatch(opts, new OutcomeHandler(handler, (ok) => record(String(opts.origin), ok)));
    };
}

class OutcomeHandler extends ForwardingHandler {
  private answered = false;

  constructor(
    handler: Dispatcher.DispatchHandler,
    private readonly record: (ok: boolean) => void,
  ) {
    super(handler);
  }

  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.answered = true;
    this.record(statusCode < 500);
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    // A body cut after its answer began was already recorded by its status.
    if (!this.answered && (error as { code?: string }).code !== 'CLIENT_GONE') this.record(false);
    super.onResponseError(controller, error);
  }
}
