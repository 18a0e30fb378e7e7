import { vi } from 'vitest';

type Answer = { status: number; body: unknown } | 'network-error' | 'hang';

/**
 * A stand-in for `fetch` that plays the gateway: per URL it answers what the test set, counts
 * calls and tracks how many requests of each URL are in flight at once.
 */
export class FakeGateway {
  private readonly answers = new Map<string, Answer>();
  private readonly inFlight = new Map<string, number>();
  readonly calls: { url: string; init: RequestInit | undefined }[] = [];
  readonly maxInFlight = new Map<string, number>();
  private readonly pending: (() => void)[] = [];

  readonly fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    this.calls.push({ url, init });
    this.inFlight.set(url, (this.inFlight.get(url) ?? 0) + 1);
    this.maxInFlight.set(
      url,
      Math.max(this.maxInFlight.get(url) ?? 0, this.inFlight.get(url) ?? 0),
    );
    try {
      return await this.respond(url, init?.signal ?? undefined);
    } finally {
      this.inFlight.set(url, (this.inFlight.get(url) ?? 1) - 1);
    }
  });

  answer(url: string, answer: Answer): this {
    this.answers.set(url, answer);
    return this;
  }

  callsTo(url: string): number {
    return this.calls.filter((call) => call.url === url).length;
  }

  /** Lets every hanging request complete with the answer now set for its URL. */
  releaseHanging(): void {
    for (const release of this.pending.splice(0)) release();
  }

  install(): this {
    vi.stubGlobal('fetch', this.fetch);
    return this;
  }

  private async respond(url: string, signal: AbortSignal | undefined): Promise<Response> {
    let answer = this.answers.get(url) ?? { status: 404, body: { error: 'not_found' } };
    if (answer === 'hang') {
      await new Promise<void>((resolve, reject) => {
        this.pending.push(resolve);
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
      answer = this.answers.get(url) ?? answer;
      if (answer === 'hang') throw new TypeError('still hanging after release');
    }
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  }
}

/** Switches document.visibilityState and fires the event the page listens to. */
export function setDocumentVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
}
