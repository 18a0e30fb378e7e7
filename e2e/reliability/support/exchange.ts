import { connect } from './raw-http';

export interface Exchange {
  /** Final (non-1xx) status codes, in order; empty when none arrived. */
  readonly statuses: number[];
  /** Everything the server sent, as latin1 text. */
  readonly text: string;
  /** Milliseconds from the write to the server closing the connection, or to `timeoutMs`. */
  readonly elapsedMs: number;
  /** False when the connection was still open at `timeoutMs`. */
  readonly closed: boolean;
}

/** The status codes of every final answer in `text` (interim 1xx answers skipped). */
export function finalStatuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)]
    .map((match) => Number(match[1]))
    .filter((status) => status >= 200);
}

/**
 * Writes `request` as raw bytes on a new connection and collects the answer until the server
 * closes the connection, or `timeoutMs` passes (then the connection is cut by us).
 */
export async function exchange(port: number, request: string, timeoutMs = 5000): Promise<Exchange> {
  const socket = await connect(port);
  const started = performance.now();
  let text = '';
  return new Promise((resolve) => {
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        statuses: finalStatuses(text),
        text,
        elapsedMs: performance.now() - started,
        closed,
      });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    socket.write(request);
  });
}
