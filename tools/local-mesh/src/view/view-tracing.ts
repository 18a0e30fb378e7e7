import { LocalMeshError } from '../errors';

/** New traces a second the services start for the live view unless told otherwise. */
export const DEFAULT_VIEW_TRACES_PER_SECOND = 2;

/**
 * The view's trace rate, given as an option's number or a flag's text, or a `LocalMeshError`
 * naming `name` and what to give instead.
 */
export function viewTracesPerSecondOf(given: number | string, name: string): number {
  // Number('') is 0: an empty flag is a mistake, not "none".
  const value = typeof given === 'string' && given.trim() === '' ? Number.NaN : Number(given);
  if (Number.isFinite(value) && value >= 0) return value;
  throw new LocalMeshError(
    `${name} is "${given}": give the new traces a second the view samples, a number from 0 (none) up`,
  );
}

/**
 * The env that sends every process's spans to the view, in batches a second apart, or none at
 * all when `perSecond` is 0. Each trace costs every process it crosses spans and an export, and
 * the view a parse; only requests that start a trace count against the rate (the processes
 * they call follow). The view's request figures come from each request's log line and the
 * routers' counts, every request, so they stay exact without traces.
 */
export function viewTracingEnv(viewUrl: string, perSecond: number): Record<string, string> {
  if (perSecond === 0) return {};
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: viewUrl,
    // The view's receiver reads OTLP as JSON; the services' default is protobuf.
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '1000',
    TRACE_SAMPLES_PER_SECOND: String(perSecond),
  };
}
