import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import RetryHandler from 'undici/lib/handler/retry-handler.js';
import {
  isRetryable,
  mayRetryMethod,
  tryTimeoutMs,
  type RetryBudget,
  type RetryPolicy,
  type TryOutcome,
} from '@color-teller/topology';
import { ForwardingHandler } from './upstream-handler';

/** The retries of one upstream (a service), with the budget its retries share. */
export interface UpstreamRetryPolicy {
  readonly policy: RetryPolicy;
  readonly budget: RetryBudget;
}

export interface RetryInterceptorOptions {
  /** The retries of the upstream a call goes to (by origin), or undefined: never retried. */
  readonly policyFor: (origin: string) => UpstreamRetryPolicy | undefined;
  /** The deadline of a whole call, every try and wait included: the proxy's `responseTimeoutMs`. */
  readonly deadlineMs: number;
  /**
   * Where the next try goes, e.g. a version chosen again by weight; by default the same origin.
   * @default - the origin of the first try
   */
  readonly nextOrigin?: (previous: Dispatcher.DispatchOptions) => string;
  /** [0, 1), the jitter of the wait between tries. @default Math.random */
  readonly random?: () => number;
  /** Milliseconds since an arbitrary start. @default performance.now */
  readonly now?: () => number;
}

// Envoy's documented default back-off: 25 ms base, fully jittered, doubling up to 250 ms.
const BACKOFF_BASE_MS = 25;
const BACKOFF_MAX_MS = 250;

// Node and undici error codes of a connection that could not be opened, or that broke.
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
]);
const RESETS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * A try that waited past its `perTryTimeoutMs` for the answer to begin: retried like a reset, and
 * when it is the last try, a timeout to the caller (504), as undici's own headers timeout is.
 */
export class TryTimedOut extends Error {
  readonly code = 'UND_ERR_HEADERS_TIMEOUT';
  constructor(limitMs: number) {
    super(`no answer within the per-try limit of ${limitMs} ms`);
    this.name = 'TryTimedOut';
  }
}

/** How a failed try ended, in the policy's terms; undefined for anything never retried (an abort). */
export function tryOutcomeOf(error: Error): TryOutcome | undefined {
  const { statusCode, code } = error as { statusCode?: number; code?: string };
  if (code === 'UND_ERR_REQ_RETRY' && typeof statusCode === 'number') return { status: statusCode };
  if (code !== undefined && CONNECT_FAILURES.has(code)) return { failure: 'connect-failure' };
  if (code !== undefined && RESETS.has(code)) return { failure: 'reset' };
  return undefined;
}

/**
 * Retries upstream calls by the topology's retry policy, as an undici interceptor that composes
 * with the upstream agent (`agent.compose(...)`). It is undici's own RetryHandler with our rules
 * as its `retry` decision: the policy's attempts, conditions and methods; the service's retry
 * budget; a per-try limit on the wait for the answer; no retry once an answer was passed on or
 * the request body was read (undici never replays a disturbed body); and no wait or try past
 * the call's deadline. When the last try fails, its answer (e.g. the 503) goes to the caller.
 */
export function retryInterceptor(
  options: RetryInterceptorOptions,
): Dispatcher.DispatcherComposeInterceptor {
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  return (dispatch) =>
    function retryingDispatch(opts, handler) {
      const retries = options.policyFor(String(opts.origin));
      if (retries === undefined) return dispatch(opts, handler);
      retries.budget.recordCall();
      const deadlineAt = now() + options.deadlineMs;
      const { policy } = retries;
      // undici's own headersTimeout ticks in half seconds; a try's limit needs a real timer.
      const timedDispatch: Dispatcher.Dispatch =
        policy.perTryTimeoutMs === undefined
          ? dispatch
          : (next, tryHandler) =>
              dispatch(next, new TryLimit(tryHandler, tryTimeoutMs(policy, deadlineAt - now())));

      const decide = (
        error: Error,
        tries: number,
        method: string,
        done: (error?: Error | null) => void,
      ): void => {
        const outcome = tryOutcomeOf(error);
        const waitMs = random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (tries - 1));
        const worthIt =
          outcome !== undefined &&
          !retrying.headersSent &&
          tries <= policy.attempts &&
          mayRetryMethod(policy, method) &&
          isRetryable(policy, outcome) &&
          // Another try must have time to get an answer before the deadline.
          deadlineAt - now() > waitMs + 1;
        if (!worthIt || !retries.budget.trySpend()) {
          done(error);
          return;
        }
        setTimeout(() => done(null), waitMs);
      };

      const retrying = new PolicyRetryHandler(
        {
          ...opts,
          retryOptions: {
            // Every answer of 300 or more reaches `retry`, which passes on the ones it keeps.
            throwOnError: false,
            retry: (
              error: Error,
              { state, opts: tried }: { state: { counter: number }; opts: { method: string } },
              done: (error?: Error | null) => void,
            ) => decide(error, state.counter, tried.method, done),
          },
        },
        { dispatch: timedDispatch, handler },
        (previous) => {
          const origin = options.nextOrigin?.(previous) ?? String(previous.origin);
          return { ...previous, origin, headers: withHost(previous.headers, origin) };
        },
      );
      return timedDispatch(retrying.opts, retrying);
    };
}

/** undici's RetryHandler, each next try's dispatch made by `next` (another origin, a fresh limit). */
class PolicyRetryHandler extends RetryHandler {
  constructor(
    options: ConstructorParameters<typeof RetryHandler>[0],
    parts: ConstructorParameters<typeof RetryHandler>[1],
    private readonly next: (previous: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions,
  ) {
    super(options, parts);
  }

  override retry(): void {
    this.opts = this.next(this.opts);
    super.retry();
  }
}

/**
 * Cuts one try that has no answer after `limitMs`. The retry handler is shown a controller that
 * does not count this cut as an abort (undici never retries an aborted call), so it may retry.
 */
class TryLimit extends ForwardingHandler {
  private timer: NodeJS.Timeout | undefined;
  private cut = false;

  constructor(
    handler: Dispatcher.DispatchHandler,
    private readonly limitMs: number,
  ) {
    super(handler);
  }

  protected override controllerFor(
    controller: Dispatcher.DispatchController,
  ): Dispatcher.DispatchController {
    const wasCut = () => this.cut;
    return {
      get aborted() {
        return controller.aborted && !wasCut();
      },
      get paused() {
        return controller.paused;
      },
      get reason() {
        return controller.reason;
      },
      abort: (reason) => controller.abort(reason),
      pause: () => controller.pause(),
      resume: () => controller.resume(),
    };
  }

  override onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.timer = setTimeout(() => {
      this.cut = true;
      controller.abort(new TryTimedOut(this.limitMs));
    }, this.limitMs);
    super.onRequestStart(controller, context);
  }

  override onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    clearTimeout(this.timer);
    super.onResponseStart(controller, statusCode, headers, statusMessage);
  }

  override onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    clearTimeout(this.timer);
    super.onResponseError(controller, error);
  }
}

/** The headers of a try sent to `origin`: its Host follows the origin. */
function withHost(
  headers: Dispatcher.DispatchOptions['headers'],
  origin: string,
): Dispatcher.DispatchOptions['headers'] {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return headers;
  if (Symbol.iterator in headers) return headers;
  return { ...headers, host: new URL(origin).host };
}
