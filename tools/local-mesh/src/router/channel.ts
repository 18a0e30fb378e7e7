/**
 * The typed channel from a router to the runner (Node IPC on the router's spawn): no log line is
 * parsed to learn that a plan applied, what traffic passed, or what the traffic policy did.
 */
import type { EjectionEvent } from './outliers';
import type { RetryFigures } from './retry-tally';

/** One request a router passed on: the version it chose, the status, its duration through the router. */
export type MeasuredRequest = readonly [version: string, status: number, durationMs: number];

export type RouterMessage =
  | { readonly type: 'plan-applied'; readonly service: string; readonly revision: number }
  | {
      readonly type: 'requests';
      readonly service: string;
      readonly requests: readonly MeasuredRequest[];
    }
  /** A second that had retries: its calls and retries. */
  | ({ readonly type: 'retries'; readonly service: string } & RetryFigures)
  /** A version taken out of rotation, or back in. */
  | { readonly type: 'ejection'; readonly service: string; readonly event: EjectionEvent };

const has = (value: object, key: string, type: 'number' | 'string') =>
  typeof (value as Record<string, unknown>)[key] === type;

/** Whether `message` (anything a child sent) is a {@link RouterMessage}. */
export function isRouterMessage(message: unknown): message is RouterMessage {
  if (typeof message !== 'object' || message === null || !has(message, 'service', 'string')) {
    return false;
  }
  switch ((message as { type?: unknown }).type) {
    case 'plan-applied':
      return has(message, 'revision', 'number');
    case 'requests':
      return Array.isArray((message as { requests?: unknown }).requests);
    case 'retries':
      return has(message, 'calls', 'number') && has(message, 'retries', 'number');
    case 'ejection': {
      const event = (message as { event?: unknown }).event;
      return (
        typeof event === 'object' &&
        event !== null &&
        has(event, 'version', 'string') &&
        ((event as EjectionEvent).kind === 'returned' ||
          ((event as EjectionEvent).kind === 'ejected' && has(event, 'forMs', 'number')))
      );
    }
    default:
      return false;
  }
}

/** Sends to the runner when there is one to send to (a router started by hand has no channel). */
export function sendToRunner(message: RouterMessage): void {
  if (process.send && process.connected) process.send(message);
}
