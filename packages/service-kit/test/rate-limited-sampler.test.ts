import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { RateLimitedSampler } from '../src/rate-limited-sampler';
import { startTracing, tracesPerSecondOf } from '../src/tracing';

function decisions(sampler: RateLimitedSampler, count: number): number {
  let sampled = 0;
  for (let i = 0; i < count; i++) {
    if (sampler.shouldSample().decision === SamplingDecision.RECORD_AND_SAMPLED) sampled += 1;
  }
  return sampled;
}

describe('RateLimitedSampler', () => {
  it('samples a second’s worth at once, then as many as the time passed allows', () => {
    let now = 0;
    const sampler = new RateLimitedSampler(5, () => now);
    expect(decisions(sampler, 20)).toBe(5);
    now += 400; // 0.4 s: two more traces
    expect(decisions(sampler, 20)).toBe(2);
    now += 10_000; // a long pause refills one second's worth, not ten
    expect(decisions(sampler, 20)).toBe(5);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimitedSampler(0)).toThrow(/perSecond is 0/);
  });
});

describe('tracesPerSecondOf', () => {
  it('reads the rate, unset means the SDK decides, and a bad value is named', () => {
    expect(tracesPerSecondOf({})).toBeUndefined();
    expect(tracesPerSecondOf({ TRACE_SAMPLES_PER_SECOND: '20' })).toBe(20);
    expect(() => tracesPerSecondOf({ TRACE_SAMPLES_PER_SECOND: 'lots' })).toThrow(
      'TRACE_SAMPLES_PER_SECOND is "lots": give a positive number',
    );
    expect(() => tracesPerSecondOf({ TRACE_SAMPLES_PER_SECOND: '-1' })).toThrow(
      /TRACE_SAMPLES_PER_SECOND is "-1"/,
    );
  });

  it('stops tracing from starting with a bad rate', async () => {
    await expect(
      startTracing('demo', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        TRACE_SAMPLES_PER_SECOND: '0',
      }),
    ).rejects.toThrow(/TRACE_SAMPLES_PER_SECOND is "0"/);
  });
});
