import http from 'node:http';

export interface ProbeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One GET on a fresh connection; rejects on socket errors or when `timeoutMs` passes. */
export function get(
  url: string,
  options: { timeoutMs?: number; headers?: http.OutgoingHttpHeaders } = {},
): Promise<ProbeResponse> {
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
  });
}

/**
 * Polls `url` until it answers 200; resolves with the milliseconds waited. Polls tightly (2 ms)
 * because cold start is measured with it and a coarse poll would add its own interval.
 */
export async function waitFor200(
  url: string,
  options: { deadlineMs?: number; isAlive?: () => boolean } = {},
): Promise<number> {
  const deadlineMs = options.deadlineMs ?? 10_000;
  const started = performance.now();
  let lastProblem = 'no answer yet';
  while (performance.now() - started < deadlineMs) {
    if (options.isAlive && !options.isAlive()) {
      throw new Error(`the process behind ${url} exited before answering 200 (${lastProblem})`);
    }
    try {
      const res = await get(url, { timeoutMs: 1000 });
      if (res.status === 200) return performance.now() - started;
      lastProblem = `status ${res.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms (last: ${lastProblem})`);
}
