import type { RequestTracing } from './tracing-types';

export type { RequestSpan, RequestTracing, UpstreamCallSpan } from './tracing-types';

type EnvSource = Readonly<Record<string, string | undefined>>;

/** Tracing is on when an OTLP endpoint is given and the standard switches do not turn it off. */
export function tracingConfigured(source: EnvSource = process.env): boolean {
  const endpoint = source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || source.OTEL_EXPORTER_OTLP_ENDPOINT;
  return (
    Boolean(endpoint) &&
    source.OTEL_SDK_DISABLED !== 'true' &&
    source.OTEL_TRACES_EXPORTER !== 'none'
  );
}

/** Where spans go: the traces endpoint as given, or `/v1/traces` under the general endpoint. */
function tracesUrl(source: EnvSource): string {
  const traces = source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  return `${(source.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').replace(/\/+$/, '')}/v1/traces`;
}

/** Env var: the most traces a second this service starts (callers' decisions are followed). */
export const TRACES_PER_SECOND_ENV = 'TRACE_SAMPLES_PER_SECOND';

/** The rate limit of {@link TRACES_PER_SECOND_ENV}, undefined when unset; throws naming a bad value. */
export function tracesPerSecondOf(source: EnvSource): number | undefined {
  const raw = source[TRACES_PER_SECOND_ENV];
  if (raw === undefined || raw === '') return undefined;
  const perSecond = Number(raw);
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new Error(
      `${TRACES_PER_SECOND_ENV} is "${raw}": give a positive number of traces a second, or leave it unset to sample as OTEL_TRACES_SAMPLER says`,
    );
  }
  return perSecond;
}

/**
 * OpenTelemetry tracing to the OTLP/HTTP endpoint of the standard `OTEL_*` variables, or
 * undefined when none is set. The SDK is imported only then, so it costs nothing otherwise.
 * `OTEL_SERVICE_NAME` overrides `serviceName`.
 */
export async function startTracing(
  serviceName: string,
  source: EnvSource = process.env,
): Promise<RequestTracing | undefined> {
  if (!tracingConfigured(source)) return undefined;
  const perSecond = tracesPerSecondOf(source);
  const { createOtelTracing } = await import('./otel-tracing');
  return createOtelTracing(source.OTEL_SERVICE_NAME || serviceName, tracesUrl(source), perSecond);
}
