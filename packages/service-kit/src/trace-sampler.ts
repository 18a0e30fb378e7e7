import type { CallerTrace } from './trace';

/** Which requests a service records a trace of. */
export interface TraceSamplingRule {
  /** A request from a caller that sent a `traceparent` is recorded when, and only when, the caller's is. */
  readonly followCaller: boolean;
  /** New traces recorded each second before `ratio` applies (X-Ray's reservoir); 0 for none. */
  readonly perSecond: number;
  /** Share of the other new traces recorded, from 0 to 1. */
  readonly ratio: number;
}

// Trace ids are random (W3C level 2 asks for 7 random bytes at the end): 8 hex digits of them
// read as a fraction decide the ratio, so every service that does so agrees on one trace.
const RATIO_DIGITS = 8;
const RATIO_SCALE = 16 ** RATIO_DIGITS;

/**
 * Decides per request whether this service records it: a caller's decision first (when the
 * rule follows callers), then a token bucket of `perSecond` new traces a second (bursts up to
 * one second's worth), then `ratio` of the rest. X-Ray's default rule is 1 a second, then 5%.
 */
export class TraceSampler {
  private tokens: number;
  private last: number;

  constructor(
    readonly rule: TraceSamplingRule,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = rule.perSecond;
    this.last = nowMs();
  }

  /** `caller`: the trace the request continues, if any (its id draws the ratio, the same in every service). */
  sample(caller: CallerTrace | undefined): boolean {
    if (caller && this.rule.followCaller) return caller.sampled;
    if (this.takeToken()) return true;
    const { ratio } = this.rule;
    if (ratio >= 1) return true;
    if (ratio <= 0) return false;
    const draw = caller
      ? parseInt(caller.traceId.slice(-RATIO_DIGITS), 16) / RATIO_SCALE
      : Math.random();
    return draw < ratio;
  }

  private takeToken(): boolean {
    const { perSecond } = this.rule;
    if (perSecond <= 0) return false;
    const now = this.nowMs();
    this.tokens = Math.min(perSecond, this.tokens + ((now - this.last) / 1000) * perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
