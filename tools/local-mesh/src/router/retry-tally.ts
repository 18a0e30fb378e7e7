/** Calls and retries in one second, reported once a second when there were retries. */
export interface RetryFigures {
  readonly calls: number;
  readonly retries: number;
}

/**
 * Counts a router's calls and retries and reports each second that had retries, so that the
 * live view can show retries per edge without a log line per request.
 */
export class RetryTally {
  private calls = 0;
  private retries = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(report: (figures: RetryFigures) => void, everyMs = 1000) {
    this.timer = setInterval(() => {
      if (this.retries > 0) report({ calls: this.calls, retries: this.retries });
      this.calls = 0;
      this.retries = 0;
    }, everyMs);
    this.timer.unref();
  }

  call(): void {
    this.calls += 1;
  }

  retry(): void {
    this.retries += 1;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
