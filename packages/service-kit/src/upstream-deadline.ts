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

/**
 * A signal that aborts one upstream call at its deadline (headers and the whole answer), or as
 * soon as the client's response closes unfinished, so no call runs for a caller that left.
 * `done` runs once, when the response closes either way.
 */
export function upstreamCallSignal(
  response: ServerResponse,
  deadlineMs: number,
  done: () => void,
): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new UpstreamCallCut('UPSTREAM_DEADLINE')),
    deadlineMs,
  );
  response.once('close', () => {
    clearTimeout(timer);
    done();
    if (!response.writableFinished) controller.abort(new UpstreamCallCut('CLIENT_GONE'));
  });
  return controller.signal;
}
