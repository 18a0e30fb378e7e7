import { writeSync } from 'node:fs';

/** Where log lines go: anything with a `write(line)`, such as a stream. */
export interface LogDestination {
  write(line: string): void;
}

// Lines are gathered up to this many bytes, then written in one system call: one write per
// request cost about a third of a proxy hop's throughput.
const BATCH_BYTES = 16 * 1024;
// A quiet service still shows its lines within this delay.
const FLUSH_INTERVAL_MS = 1000;
// While the reader of standard output lags (a full pipe), lines wait up to this many bytes;
// past it new lines are counted and dropped, never allowed to block the service or grow it.
const MAX_WAITING_BYTES = 4 * 1024 * 1024;
// How soon a full pipe is tried again.
const RETRY_MS = 20;

/**
 * Log lines encoded straight into one buffer and written to a file descriptor in batches,
 * synchronously: lines stay in order, nothing is in flight when the process exits, and a batch
 * costs one system call. Like Node's own `process.stdout` on pipes and files, a reader that
 * stops reading a blocking descriptor holds the writer (a container log driver in blocking
 * mode does the same); a non-blocking one that is full (EAGAIN) is retried later and lines wait
 * in a bounded buffer; a gone reader (EPIPE, EBADF) stops the writing. pino's own destination
 * cost about 2.5 times as much CPU per line: it concatenates strings, then encodes each batch.
 */
export class BatchedLines implements LogDestination {
  #buffer = Buffer.allocUnsafe(4 * BATCH_BYTES);
  #length = 0;
  #dropped = 0;
  #retry: NodeJS.Timeout | undefined = undefined;
  #closed = false;

  /** `writeBytes`: writes part of a buffer, returns how many bytes it took, throws like `writeSync`. */
  constructor(
    private readonly writeBytes: (buffer: Buffer, offset: number, length: number) => number,
  ) {
    setInterval(() => this.flush(), FLUSH_INTERVAL_MS).unref();
    process.once('exit', () => this.flush());
  }

  write(line: string): void {
    if (this.#closed) return;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const room = line.length * 3;
    if (this.#length + room > this.#buffer.length && !this.#grow(room)) {
      this.#dropped += 1;
      return;
    }
    this.#length += this.#buffer.write(line, this.#length, 'utf8');
    if (this.#length >= BATCH_BYTES && this.#retry === undefined) this.flush();
  }

  /** Writes every waiting line now (pino's `logger.flush()` calls this). */
  flush(done?: (error?: Error) => void): void {
    this.#writeWaiting();
    done?.();
  }

  #grow(room: number): boolean {
    const needed = this.#length + room;
    if (needed > MAX_WAITING_BYTES) return false;
    const bigger = Buffer.allocUnsafe(
      Math.min(MAX_WAITING_BYTES, Math.max(needed, 2 * this.#buffer.length)),
    );
    this.#buffer.copy(bigger, 0, 0, this.#length);
    this.#buffer = bigger;
    return true;
  }

  #writeWaiting(): void {
    if (this.#closed) return;
    try {
      this.#writeAll();
      if (this.#dropped > 0) {
        this.#noteDropped();
        this.#writeAll();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') this.#retryLater();
      else this.#closed = true;
    }
  }

  /** Writes the buffer out; what a failure leaves unwritten stays, in order. */
  #writeAll(): void {
    let written = 0;
    try {
      while (written < this.#length) {
        written += this.writeBytes(this.#buffer, written, this.#length - written);
      }
    } finally {
      this.#buffer.copyWithin(0, written, this.#length);
      this.#length -= written;
    }
  }

  /** Says how many lines a lagging reader cost, once there is room again. */
  #noteDropped(): void {
    const note = `{"level":40,"time":${Date.now()},"msg":"log lines dropped: standard output was not read","dropped":${this.#dropped}}\n`;
    this.#dropped = 0;
    this.#length += this.#buffer.write(note, this.#length, 'utf8');
  }

  #retryLater(): void {
    this.#retry ??= setTimeout(() => {
      this.#retry = undefined;
      this.#writeWaiting();
    }, RETRY_MS).unref();
  }
}

let stdout: BatchedLines | undefined;

/**
 * Standard output, written in batches (see `BatchedLines`): one for the process, so that every
 * app in it shares the batch and the lines keep their order.
 */
export function batchedStdout(): LogDestination {
  return (stdout ??= new BatchedLines((buffer, offset, length) =>
    writeSync(1, buffer, offset, length),
  ));
}
