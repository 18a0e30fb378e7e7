import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { Worker } from 'node:worker_threads';

/** One export, as the thread takes it. */
interface ExportJob {
  readonly id: number;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly gzip: boolean;
  readonly timeoutMs: number;
}

/** What the thread answers: the collector's status and answer, or why there was none. */
interface ExportAnswer {
  readonly id: number;
  readonly status?: number;
  readonly retryAfter?: string;
  readonly body?: Uint8Array;
  readonly error?: string;
}

// The thread's whole program, given as text so that it runs the same from the sources and from
// a service's bundle. It posts with node:http(s), already part of Node's start-up image: fetch
// would compile Node's copy of undici in the thread, 13 MB more resident memory than this.
const THREAD_PROGRAM = `
const { parentPort } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const MAX_ANSWER_BYTES = 64 * 1024;
parentPort.on('message', (job) => {
  const answer = (fields) => parentPort.postMessage({ id: job.id, ...fields });
  const headers = { ...job.headers };
  let body = job.body;
  if (job.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const client = job.url.startsWith('https:') ? require('node:https') : require('node:http');
  const request = client.request(job.url, { method: 'POST', headers, timeout: job.timeoutMs });
  request.on('timeout', () => request.destroy(new Error('timed out after ' + job.timeoutMs + ' ms')));
  request.on('error', (error) => answer({ error: String(error) }));
  request.on('response', (response) => {
    const chunks = [];
    let size = 0;
    response.on('data', (chunk) => {
      if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('error', (error) => answer({ error: String(error) }));
    response.on('end', () => {
      const bytes = new Uint8Array(Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES));
      answer({ status: response.statusCode, retryAfter: response.headers['retry-after'], body: bytes });
    });
  });
  request.end(body);
});
`;

/** Statuses after which the same export may succeed later (OTLP/HTTP specification). */
function isRetryable(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** `Retry-After` in milliseconds, given as seconds or as a date; undefined when absent. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function responseOf(answer: ExportAnswer, url: string): ExportResponse {
  const { status } = answer;
  if (status === undefined) {
    return { status: 'retryable', error: new Error(`no answer from ${url}: ${answer.error}`) };
  }
  if (status >= 200 && status < 300) {
    return answer.body?.length ? { status: 'success', data: answer.body } : { status: 'success' };
  }
  if (isRetryable(status)) {
    const retryInMillis = retryAfterMs(answer.retryAfter);
    return retryInMillis === undefined
      ? { status: 'retryable' }
      : { status: 'retryable', retryInMillis };
  }
  const text = Buffer.from(answer.body ?? []).toString('utf8', 0, 200);
  return { status: 'failure', error: new Error(`${url} answered ${status}: ${text}`) };
}

export interface ExportThreadOptions {
  readonly url: string;
  /** The request's headers: content type and OTEL_EXPORTER_OTLP_(TRACES_)HEADERS. */
  readonly headers: () => Promise<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
}

/**
 * Sends OTLP exports from a worker thread rather than the service's own. A `node:http` or undici
 * client in the thread that answers requests shows V8 sockets and messages of other shapes on
 * the same Node functions every answer runs through, and every answer then runs slower: about
 * 5% more CPU per request at 2 traces a second. The thread starts with the first export (a
 * service that records nothing never pays for it), keeps the process alive only while an
 * export is in flight, and is started again if it dies.
 */
export class ExportThread implements IExporterTransport {
  #worker: Worker | undefined = undefined;
  #nextId = 0;
  /** The exports under way: who waits for each, and the thread that holds it. */
  readonly #waiting = new Map<
    number,
    { resolve: (answer: ExportAnswer) => void; thread: Worker }
  >();

  constructor(private readonly options: ExportThreadOptions) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const headers = await this.options.headers();
    const id = this.#nextId++;
    const thread = this.#started();
    const answered = new Promise<ExportAnswer>((resolve) =>
      this.#waiting.set(id, { resolve, thread }),
    );
    thread.ref();
    const job: ExportJob = {
      id,
      url: this.options.url,
      headers,
      body: data,
      gzip: this.options.compression === 'gzip',
      timeoutMs: timeoutMillis,
    };
    thread.postMessage(job);
    return responseOf(await answered, this.options.url);
  }

  shutdown(): void {
    const thread = this.#worker;
    this.#worker = undefined;
    void thread?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const thread = new Worker(THREAD_PROGRAM, { eval: true });
    thread.on('message', (answer: ExportAnswer) => this.#answer(answer));
    // A thread that failed answers the exports it held (not those of the one after it); the
    // next export starts another. Its 'exit' follows its 'error', and finds nothing left.
    const lost = (reason: string) => {
      if (this.#worker === thread) this.#worker = undefined;
      for (const [id, waiting] of this.#waiting) {
        if (waiting.thread === thread) this.#answer({ id, error: reason });
      }
    };
    thread.on('error', (error) => lost(`the export thread failed: ${error.message}`));
    thread.on('exit', (code) => lost(`the export thread exited with code ${code}`));
    this.#worker = thread;
    return thread;
  }

  #answer(answer: ExportAnswer): void {
    const waiting = this.#waiting.get(answer.id);
    if (!waiting) return;
    this.#waiting.delete(answer.id);
    waiting.resolve(answer);
    // Idle, the thread no longer keeps the process alive.
    if (![...this.#waiting.values()].some((other) => other.thread === waiting.thread)) {
      waiting.thread.unref();
    }
  }
}
