import { describe, expect, it } from 'vitest';
import { LocalMeshError } from '../src/errors';
import { viewTracesPerSecondOf, viewTracingEnv } from '../src/view/view-tracing';

describe("the live view's tracing", () => {
  it('sends spans to the view at the rate given', () => {
    expect(viewTracingEnv('http://127.0.0.1:9001', 0.5)).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9001',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '1000',
      TRACE_SAMPLES_PER_SECOND: '0.5',
    });
  });

  it('switches tracing off when the rate is 0', () => {
    expect(viewTracingEnv('http://127.0.0.1:9001', 0)).toEqual({});
  });

  it('takes a rate from a flag or an option', () => {
    expect(viewTracesPerSecondOf('0', '--view-traces')).toBe(0);
    expect(viewTracesPerSecondOf(' 5 ', '--view-traces')).toBe(5);
    expect(viewTracesPerSecondOf(0.2, 'viewTracesPerSecond')).toBe(0.2);
  });

  it.each([['abc'], [''], ['-1'], ['Infinity']])('refuses %j, naming the flag', (given) => {
    const refusal = () => viewTracesPerSecondOf(given, '--view-traces');
    expect(refusal).toThrow(LocalMeshError);
    expect(refusal).toThrow(
      `--view-traces is "${given}": give the new traces a second the view samples, a number from 0 (none) up`,
    );
  });
});
