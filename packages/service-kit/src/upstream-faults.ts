import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import WrapHandler from 'undici/lib/handler/wrap-handler.js';
import { decideFault, type FaultsSpec } from '@color-teller/topology';

/** The header that marks an answer made by fault injection, not by the upstream. */
export const FAULT_HEADER = 'x-local-mesh-fault';

/**
 * Injects the topology's faults into calls to each upstream, as the innermost undici
 * interceptor: every try (retries too) rolls the faults of the upstream it goes to, as if that
 * version had failed. A delay holds the try before it is sent; an abort answers its status
 * without sending it. `random` returns [0, 1).
 */
export function faultInterceptor(
  faultsFor: (origin: string) => FaultsSpec | undefined,
  random: () => number = Math.random,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function faultyDispatch(opts, handler) {
      const faults = faultsFor(String(opts.origin));
      if (faults === undefined) return dispatch(opts, handler);
      const { abortStatus, delayMs } = decideFault(faults, random);
      const go = () => {
        if (abortStatus === undefined) dispatch(opts, handler);
        else new CannedAnswer(handler, abortStatus).play();
      };
      if (delayMs > 0) setTimeout(go, delayMs);
      else go();
      return true;
    };
}

/**
 * An answer made here, played to the handler the way undici plays a real one: it stops while
 * the handler has paused it (the retry handler pauses to decide) and goes on when resumed.
 */
class CannedAnswer implements Dispatcher.DispatchController {
  private readonly handler: ReturnType<typeof WrapHandler.wrap>;
  private readonly steps: (() => void)[];
  aborted = false;
  paused = false;
  reason: Error | null = null;

  constructor(handler: Dispatcher.DispatchHandler, status: number) {
    this.handler = WrapHandler.wrap(handler);
    const body = Buffer.from(`fault injected: ${status}\n`);
    const headers: IncomingHttpHeaders = {
      'content-type': 'text/plain',
      'content-length': String(body.length),
      [FAULT_HEADER]: 'abort',
    };
    this.steps = [
      () => this.handler.onRequestStart(this, {}),
      () => this.handler.onResponseStart(this, status, headers, 'Fault Injected'),
      () => this.handler.onResponseData(this, body),
      () => this.handler.onResponseEnd(this, {}),
    ];
  }

  play(): void {
    while (!this.paused && !this.aborted && this.steps.length > 0) this.steps.shift()!();
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.handler.onResponseError(this, reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    queueMicrotask(() => this.play());
  }
}
