import type { CountedRequest } from './request-line';

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

/** One process's last requests, column by column: adding one allocates nothing. */
interface Ring {
  readonly at: Float64Array;
  readonly durationMs: Float64Array;
  readonly failed: Uint8Array;
  size: number;
  next: number;
  total: number;
}

/**
 * Per process, the requests of the last `windowMs` in a ring of at most `maxSamples` (under
 * heavier traffic the window shortens, so memory stays bounded), and a running total.
 */
export class RequestStats {
  private readonly rings = new Map<string, Ring>();

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxSamples = 4096,
    private readonly now: () => number = Date.now,
  ) {}

  add(request: CountedRequest): void {
    let ring = this.rings.get(request.label);
    if (!ring) {
      ring = {
        at: new Float64Array(this.maxSamples),
        durationMs: new Float64Array(this.maxSamples),
        failed: new Uint8Array(this.maxSamples),
        size: 0,
        next: 0,
        total: 0,
      };
      this.rings.set(request.label, ring);
    }
    const slot = ring.next;
    ring.at[slot] = this.now();
    ring.durationMs[slot] = request.durationMs;
    ring.failed[slot] = request.status >= 500 ? 1 : 0;
    ring.next = (slot + 1) % this.maxSamples;
    if (ring.size < this.maxSamples) ring.size += 1;
    ring.total += 1;
  }

  figures(label: string): RequestFigures {
    const ring = this.rings.get(label);
    const now = this.now();
    const durations: number[] = [];
    let failed = 0;
    let oldest = now;
    for (let i = 0; i < (ring?.size ?? 0); i++) {
      const at = ring!.at[i]!;
      if (now - at > this.windowMs) continue;
      durations.push(ring!.durationMs[i]!);
      failed += ring!.failed[i]!;
      if (at < oldest) oldest = at;
    }
    if (durations.length === 0) {
      return { total: ring?.total ?? 0, rps: 0, errorRate: 0, p50Ms: 0, p99Ms: 0, inWindow: 0 };
    }
    // A full ring covers less than the window: rates are over the time it does cover.
    const spanMs = durations.length === this.maxSamples ? now - oldest : this.windowMs;
    durations.sort((a, b) => a - b);
    return {
      total: ring!.total,
      rps: (durations.length * 1000) / Math.max(spanMs, 1),
      errorRate: failed / durations.length,
      p50Ms: percentile(durations, 0.5),
      p99Ms: percentile(durations, 0.99),
      inWindow: durations.length,
    };
  }
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
