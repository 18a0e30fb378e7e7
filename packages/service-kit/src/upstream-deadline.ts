import type { ServerResponse } from 'node:http';

/** Why an upstream call was cut short by the proxy itself; `code` tells the two apart. */
export class UpstreamCallCut extends Error {
  constructor(readonly code: 'UPSTREAM_DEADLINE' | 'CLIENT_GONE') {
    super(
      code === 'UPSTREAM_DEADLINE'
        ? 'the upstream call passed its deadline'
        : 'the client closed its connection',
    );
    this.name = 'UpstreamCallCut';
  }
}

/** What the deadline needs of a request being answered (a `FrontExchange`). */
export interface ClosingExchange {
  readonly response: Pick<ServerResponse, 'writableFinished'>;
  whenClosed(callback: () => void): void;
}

/**
 * Cuts one upstream call at its deadline (headers and the whole answer), or as soon as the
 * caller's response closes unfinished, so no call runs for a caller that left. `done` runs
 * once, when the response closes either way. Only the first cut counts (see `ProxiedAnswer`).
 */
export function boundUpstreamCall(
  exchange: ClosingExchange,
  call: { cut(reason: UpstreamCallCut): void },
  deadlineMs: number,
  done: () => void,
): void {
  const timer = setTimeout(() => call.cut(new UpstreamCallCut('UPSTREAM_DEADLINE')), deadlineMs);
  exchange.whenClosed(() => {
    clearTimeout(timer);
    done();
    if (!exchange.response.writableFinished) call.cut(new UpstreamCallCut('CLIENT_GONE'));
  });
}
