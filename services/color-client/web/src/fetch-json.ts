// The page's one HTTP client: same-origin JSON GETs with a deadline.

export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';

  constructor(
    message: string,
    /** The answer's status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export type FetchJsonOptions = {
  /** Aborts the request early (the page unmounts or is hidden). */
  readonly signal?: AbortSignal;
  /** Gives up after this long. */
  readonly timeoutMs: number;
};

/**
 * GETs `url` and returns its JSON body. Throws RequestFailed on a network error, a timeout,
 * a non-2xx status or a body that is not JSON; rethrows the caller's own abort as is.
 */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const onCallerAbort = (): void => deadline.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    // same-origin: the browser's cookies go along, so cookie routes reach the right version.
    const response = await fetch(url, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: deadline.signal,
    });
    if (!response.ok) {
      throw new RequestFailed(`GET ${url} answered ${response.status}`, response.status);
    }
    try {
      return await response.json();
    } catch {
      throw new RequestFailed(`GET ${url} answered a body that is not JSON`);
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof RequestFailed) throw error;
    const reason = deadline.signal.aborted
      ? `no answer within ${options.timeoutMs} ms`
      : String(error);
    throw new RequestFailed(`GET ${url} failed: ${reason}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Reads a string field from a JSON object, or throws RequestFailed naming what was received. */
export function stringField(body: unknown, field: string, url: string): string {
  const value =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[field]
      : undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new RequestFailed(
      `GET ${url} answered ${JSON.stringify(body)?.slice(0, 200)}; expected {"${field}": "<non-empty string>"}`,
    );
  }
  return value;
}
