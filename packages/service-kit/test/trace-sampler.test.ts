import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { TraceSampler } from '../src/trace-sampler';
import type { TraceSamplingRule } from '../src/trace-sampler';
import type { CallerTrace } from '../src/trace';
import { startTracing, traceSamplingOf } from '../src/tracing';

function sampledOf(sampler: TraceSampler, count: number, caller?: () => CallerTrace): number {
  let sampled = 0;
  for (let i = 0; i < count; i++) if (sampler.sample(caller?.())) sampled += 1;
  return sampled;
}

const xrayDefault: TraceSamplingRule = { followCaller: true, perSecond: 1, ratio: 0.05 };

function caller(traceId: string, sampled: boolean): CallerTrace {
  return { traceId, parentId: 'b7ad6b7169203331', sampled };
}

/** A trace id whose last 8 hex digits read as `fraction` of the whole range. */
function traceIdAt(fraction: number): string {
  const tail = Math.floor(fraction * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `4bf92f3577b34da6a3ce929d${tail}`;
}

describe('TraceSampler', () => {
  it('takes a second’s worth of new traces at once, then as many as the time passed allows', () => {
    let now = 0;
    const sampler = new TraceSampler({ followCaller: true, perSecond: 5, ratio: 0 }, () => now);
    expect(sampledOf(sampler, 20)).toBe(5);
    now += 400; // 0.4 s: two more traces
    expect(sampledOf(sampler, 20)).toBe(2);
    now += 10_000; // a long pause refills one second's worth, not ten
    expect(sampledOf(sampler, 20)).toBe(5);
  });

  it('samples like X-Ray’s default rule: 1 a second, then about 5% of the rest', () => {
    let now = 0;
    const sampler = new TraceSampler(xrayDefault, () => now);
    let sampled = 0;
    // 20 seconds at 1,000 new traces a second.
    for (let second = 0; second < 20; second++, now += 1000) sampled += sampledOf(sampler, 1000);
    const beyondReservoir = 20 * 999;
    // 20 from the reservoir, 5% of the rest: 999 expected; 4 standard deviations either side.
    expect(sampled - 20).toBeGreaterThan(
      beyondReservoir * 0.05 - 4 * Math.sqrt(beyondReservoir * 0.0475),
    );
    expect(sampled - 20).toBeLessThan(
      beyondReservoir * 0.05 + 4 * Math.sqrt(beyondReservoir * 0.0475),
    );
  });

  it('follows a caller’s decision either way, without spending the reservoir', () => {
    const now = 0;
    const sampler = new TraceSampler(xrayDefault, () => now);
    expect(sampledOf(sampler, 50, () => caller(traceIdAt(0.99), true))).toBe(50);
    expect(sampledOf(sampler, 50, () => caller(traceIdAt(0.01), false))).toBe(0);
    // The reservoir's one trace is still there for a request that starts one.
    expect(sampler.sample(undefined)).toBe(true);
  });

  it('without following callers, decides the ratio from the trace id, as every service would', () => {
    const sampler = new TraceSampler({ followCaller: false, perSecond: 0, ratio: 0.25 });
    expect(sampler.sample(caller(traceIdAt(0.2), false))).toBe(true);
    expect(sampler.sample(caller(traceIdAt(0.3), true))).toBe(false);
  });

  it('records everything at ratio 1 and nothing at ratio 0 without a reservoir', () => {
    expect(sampledOf(new TraceSampler({ followCaller: true, perSecond: 0, ratio: 1 }), 100)).toBe(
      100,
    );
    expect(sampledOf(new TraceSampler({ followCaller: true, perSecond: 0, ratio: 0 }), 100)).toBe(
      0,
    );
  });
});

describe('traceSamplingOf', () => {
  it('follows callers and records every new trace by default, as OpenTelemetry does', () => {
    expect(traceSamplingOf({})).toEqual({ followCaller: true, perSecond: 0, ratio: 1 });
  });

  it('reads the cloud flavors’ rule: a reservoir, then a parent-based trace id ratio', () => {
    expect(
      traceSamplingOf({
        TRACE_SAMPLES_PER_SECOND: '1',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.05',
      }),
    ).toEqual(xrayDefault);
  });

  it('with only a reservoir, records at most that many new traces a second', () => {
    expect(traceSamplingOf({ TRACE_SAMPLES_PER_SECOND: '10' })).toEqual({
      followCaller: true,
      perSecond: 10,
      ratio: 0,
    });
  });

  it('reads the other standard samplers', () => {
    expect(traceSamplingOf({ OTEL_TRACES_SAMPLER: 'always_off' })).toEqual({
      followCaller: false,
      perSecond: 0,
      ratio: 0,
    });
    expect(traceSamplingOf({ OTEL_TRACES_SAMPLER: 'traceidratio' }).ratio).toBe(1);
    expect(traceSamplingOf({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toEqual({
      followCaller: true,
      perSecond: 0,
      ratio: 0,
    });
  });

  it('names every bad setting in one error', () => {
    let error: unknown;
    try {
      traceSamplingOf({
        TRACE_SAMPLES_PER_SECOND: 'lots',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '5%',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'TRACE_SAMPLES_PER_SECOND is "lots": give a positive number of traces a second, or leave it unset for no reservoir',
      'OTEL_TRACES_SAMPLER_ARG is "5%": give a ratio from 0 to 1, such as 0.05',
    ]);
    expect(() => traceSamplingOf({ OTEL_TRACES_SAMPLER: 'xray' })).toThrow(
      'OTEL_TRACES_SAMPLER is "xray": use one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    );
    expect(() => traceSamplingOf({ TRACE_SAMPLES_PER_SECOND: '-1' })).toThrow(
      /TRACE_SAMPLES_PER_SECOND is "-1"/,
    );
  });

  it('stops tracing from starting with a bad rule', async () => {
    await expect(
      startTracing('demo', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        TRACE_SAMPLES_PER_SECOND: '0',
      }),
    ).rejects.toThrow(/TRACE_SAMPLES_PER_SECOND is "0"/);
  });
});
