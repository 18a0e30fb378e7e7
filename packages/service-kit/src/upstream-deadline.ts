import { EventEmitter } from 'node:events';
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
 * The abort signal undici also accepts: an emitter of `abort` with `aborted` and `reason`. An
 * AbortController and its listener cost about 15 times as much per call on this hot path.
 */
class CallSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: UpstreamCallCut): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
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
): EventEmitter {
  const signal = new CallSignal();
  const timer = setTimeout(
    () => signal.abort(new UpstreamCallCut('UPSTREAM_DEADLINE')),
    deadlineMs,
  );
  response.once('close', () => {
    clearTimeout(timer);
    done();
    if (!response.writableFinished) signal.abort(new UpstreamCallCut('CLIENT_GONE'));
  });
  return signal;
}
