import http from 'node:http';

export interface Outcome {
  /** ms since the traffic started (performance.now() based). */
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status, or undefined when the request failed without one. */
  readonly status?: number;
  readonly error?: string;
}

export interface Traffic {
  readonly outcomes: Outcome[];
  /** Stops sending and resolves when every worker's last request has ended. */
  stop(): Promise<void>;
}

/**
 * Keeps `concurrency` requests in flight against `url` over keep-alive connections, recording
 * every outcome with its start and end time, until stopped. A request with no answer after
 * `clientTimeoutMs` is recorded as an error: that is a request that hung.
 */
export function startTraffic(
  url: string,
  options: { concurrency: number; clientTimeoutMs: number },
): Traffic {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const outcomes: Outcome[] = [];
  let running = true;
  const once = () =>
    new Promise<void>((resolve) => {
      const startedAt = performance.now();
      const done = (status?: number, error?: string) => {
        outcomes.push({ startedAt, endedAt: performance.now(), status, error });
        resolve();
      };
      const req = http.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
        res.on('error', (error) => done(undefined, error.message));
      });
      req.setTimeout(options.clientTimeoutMs, () =>
        req.destroy(new Error(`no answer within ${options.clientTimeoutMs} ms`)),
      );
      req.on('error', (error) => done(undefined, error.message));
    });
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (running) await once();
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
