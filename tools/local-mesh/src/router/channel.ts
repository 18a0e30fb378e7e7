/**
 * The typed channel from a router to the runner (Node IPC on the router's spawn): no log line is
 * parsed to learn that a plan applied or what traffic passed.
 */

/** One request a router passed on: the version it chose, the status, its duration through the router. */
export type MeasuredRequest = readonly [version: string, status: number, durationMs: number];

export type RouterMessage =
  | { readonly type: 'plan-applied'; readonly service: string; readonly revision: number }
  | {
      readonly type: 'requests';
      readonly service: string;
      readonly requests: readonly MeasuredRequest[];
    };

/** Whether `message` (anything a child sent) is a {@link RouterMessage}. */
export function isRouterMessage(message: unknown): message is RouterMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, service } = message as { type?: unknown; service?: unknown };
  if (typeof service !== 'string') return false;
  if (type === 'plan-applied') {
    return typeof (message as { revision?: unknown }).revision === 'number';
  }
  return type === 'requests' && Array.isArray((message as { requests?: unknown }).requests);
}

/** Sends to the runner when there is one to send to (a router started by hand has no channel). */
export function sendToRunner(message: RouterMessage): void {
  if (process.send && process.connected) process.send(message);
}
