import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';

/**
 * Samples at most `perSecond` new traces a second (a token bucket, bursts up to one second's
 * worth), as X-Ray's reservoir does: light traffic is traced whole, heavy traffic pays for a
 * bounded number of spans.
 */
export class RateLimitedSampler implements Sampler {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new Error(`perSecond is ${perSecond}: give a positive number`);
    this.tokens = perSecond;
    this.last = nowMs();
  }

  shouldSample(): SamplingResult {
    const now = this.nowMs();
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + ((now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    if (this.tokens < 1) return { decision: SamplingDecision.NOT_RECORD };
    this.tokens -= 1;
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return `RateLimitedSampler{${this.perSecond}/s}`;
  }
}
