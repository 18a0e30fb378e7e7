import type { LoggedRequest } from './request-line';

/** Figures of one process's requests over the last window. */
export interface RequestFigures {
  /** Every request since the start. */
  readonly total: number;
  readonly rps: number;
  /** Share of the window's requests answered 5xx, 0 to 1. */
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests in the window. */
  readonly inWindow: number;
}

interface Sample {
  at: number;
  durationMs: number;
  failed: boolean;
}

/**
 * Per process, the requests of the last `windowMs` in a ring of at most `maxSamples` (under
 * heavier traffic the window shortens, so memory stays bounded), and a running total.
 */
export class RequestStats {
  private readonly rings = new Map<string, { samples: Sample[]; next: number; total: number }>();

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxSamples = 4096,
    private readonly now: () => number = Date.now,
  ) {}

  add(request: LoggedRequest): void {
    let ring = this.rings.get(request.label);
    if (!ring) {
      ring = { samples: [], next: 0, total: 0 };
      this.rings.set(request.label, ring);
    }
    const sample = {
      at: this.now(),
      durationMs: request.durationMs,
      failed: request.status >= 500,
    };
    if (ring.samples.length < this.maxSamples) ring.samples.push(sample);
    else ring.samples[ring.next] = sample;
    ring.next = (ring.next + 1) % this.maxSamples;
    ring.total += 1;
  }

  figures(label: string): RequestFigures {
    const ring = this.rings.get(label);
    const now = this.now();
    const recent = (ring?.samples ?? []).filter((s) => now - s.at <= this.windowMs);
    if (recent.length === 0) {
      return { total: ring?.total ?? 0, rps: 0, errorRate: 0, p50Ms: 0, p99Ms: 0, inWindow: 0 };
    }
    // A full ring covers less than the window: rates are over the time it does cover.
    const spanMs =
      recent.length === this.maxSamples
        ? now - Math.min(...recent.map((s) => s.at))
        : this.windowMs;
    const durations = recent.map((s) => s.durationMs).sort((a, b) => a - b);
    return {
      total: ring!.total,
      rps: (recent.length * 1000) / Math.max(spanMs, 1),
      errorRate: recent.filter((s) => s.failed).length / recent.length,
      p50Ms: percentile(durations, 0.5),
      p99Ms: percentile(durations, 0.99),
      inWindow: recent.length,
    };
  }
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
