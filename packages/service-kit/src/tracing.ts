import { ConfigError } from './config';
import { sampledTracing } from './sampled-tracing';
import type { OtlpProtocol, RequestTracing } from './trace-spans';
import { TraceSampler } from './trace-sampler';
import type { TraceSamplingRule } from './trace-sampler';

export type { OtlpProtocol, RequestSpan, RequestTracing, UpstreamCallSpan } from './trace-spans';
export type { TraceSamplingRule } from './trace-sampler';

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

/**
 * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`; protobuf when
 * neither is set, as the OpenTelemetry specification says (and about a third of JSON's bytes).
 */
export function otlpProtocolOf(source: EnvSource = process.env): OtlpProtocol {
  const variable = source.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const raw = source[variable]?.trim() || 'http/protobuf';
  if (raw === 'http/protobuf' || raw === 'http/json') return raw;
  throw new ConfigError([
    `${variable} is "${raw}": use http/protobuf or http/json (this service exports over HTTP only)`,
  ]);
}

/** Env var: new traces this service records each second before the sampler's ratio applies. */
export const TRACES_PER_SECOND_ENV = 'TRACE_SAMPLES_PER_SECOND';

// The OpenTelemetry specification's OTEL_TRACES_SAMPLER values (those without a remote rule
// source): whether callers are followed, and the ratio of new traces kept ('arg' = the
// OTEL_TRACES_SAMPLER_ARG ratio, 1 when unset, as the specification says).
const SAMPLERS: Readonly<Record<string, { followCaller: boolean; ratio: number | 'arg' }>> = {
  always_on: { followCaller: false, ratio: 1 },
  always_off: { followCaller: false, ratio: 0 },
  traceidratio: { followCaller: false, ratio: 'arg' },
  parentbased_always_on: { followCaller: true, ratio: 1 },
  parentbased_always_off: { followCaller: true, ratio: 0 },
  parentbased_traceidratio: { followCaller: true, ratio: 'arg' },
};

function perSecondOf(source: EnvSource, problems: string[]): number {
  const raw = source[TRACES_PER_SECOND_ENV]?.trim();
  if (raw === undefined || raw === '') return 0;
  const perSecond = Number(raw);
  if (Number.isFinite(perSecond) && perSecond > 0) return perSecond;
  problems.push(
    `${TRACES_PER_SECOND_ENV} is "${raw}": give a positive number of traces a second, or leave it unset for no reservoir`,
  );
  return 0;
}

function ratioOf(source: EnvSource, problems: string[]): number {
  const raw = source.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (raw === undefined || raw === '') return 1;
  const ratio = Number(raw);
  if (ratio >= 0 && ratio <= 1) return ratio;
  problems.push(`OTEL_TRACES_SAMPLER_ARG is "${raw}": give a ratio from 0 to 1, such as 0.05`);
  return 1;
}

/**
 * Which requests are recorded: `OTEL_TRACES_SAMPLER` (and its `_ARG` ratio) as OpenTelemetry
 * defines them, with `TRACE_SAMPLES_PER_SECOND` new traces a second recorded before the ratio,
 * as X-Ray's reservoir. With only a reservoir set, it is the most new traces a second. Every
 * problem is named in one error.
 */
export function traceSamplingOf(source: EnvSource = process.env): TraceSamplingRule {
  const problems: string[] = [];
  const perSecond = perSecondOf(source, problems);
  const name = source.OTEL_TRACES_SAMPLER?.trim() || undefined;
  const sampler = SAMPLERS[name ?? 'parentbased_always_on'];
  if (!sampler) {
    problems.push(
      `OTEL_TRACES_SAMPLER is "${name}": use one of ${Object.keys(SAMPLERS).join(', ')}`,
    );
  }
  const ratio = sampler?.ratio === 'arg' ? ratioOf(source, problems) : (sampler?.ratio ?? 1);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    followCaller: sampler?.followCaller ?? true,
    perSecond,
    ratio: name === undefined && perSecond > 0 ? 0 : ratio,
  };
}

/**
 * OpenTelemetry tracing to the OTLP/HTTP endpoint of the standard `OTEL_*` variables, or
 * undefined when none is set. The SDK is imported only then, so it costs nothing otherwise; it
 * sees only the requests sampling keeps. `OTEL_SERVICE_NAME` overrides `serviceName`.
 */
export async function startTracing(
  serviceName: string,
  source: EnvSource = process.env,
): Promise<RequestTracing | undefined> {
  if (!tracingConfigured(source)) return undefined;
  const sampler = new TraceSampler(traceSamplingOf(source));
  const protocol = otlpProtocolOf(source);
  const { createOtelRecorder } = await import('./otel-tracing');
  return sampledTracing(
    sampler,
    createOtelRecorder(source.OTEL_SERVICE_NAME || serviceName, tracesUrl(source), protocol),
  );
}
