import { describe, expect, it } from 'vitest';
import { newTraceparent, traceIdOf, validTraceparent } from '../src/trace';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('takes the trace id from a valid traceparent, normalized to lower case', () => {
    const headers = { traceparent: ` ${TRACEPARENT.toUpperCase()} ` };
    expect(validTraceparent(headers)).toBe(TRACEPARENT);
    expect(traceIdOf(headers)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('falls back to the Root of X-Amzn-Trace-Id when there is no valid traceparent', () => {
    const headers = {
      traceparent: 'not-a-traceparent',
      'x-amzn-trace-id':
        'Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678',
    };
    expect(validTraceparent(headers)).toBeUndefined();
    expect(traceIdOf(headers)).toBe('1-67891233-abcdef012345678912345678');
  });

  it('gives no trace id when the request carries none', () => {
    expect(traceIdOf({})).toBeUndefined();
  });

  it('starts valid, sampled, distinct traceparents', () => {
    const made = Array.from({ length: 1000 }, () => newTraceparent());
    for (const traceparent of made) {
      expect(validTraceparent({ traceparent })).toBe(traceparent);
      expect(traceparent.endsWith('-01')).toBe(true);
    }
    expect(new Set(made).size).toBe(made.length);
  });
});
