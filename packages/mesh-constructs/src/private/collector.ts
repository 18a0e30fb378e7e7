/** The ADOT collector sidecar's configuration: OTLP in on localhost, X-Ray out. */
import { COLLECTOR_HEALTH_PORT, OTLP_HTTP_PORT } from './defaults';

/**
 * Spans are dropped, not the collector killed, when a burst nears the container's hard limit:
 * the limiter refuses data above `limit`, and starts collecting garbage `spike` below it.
 */
export function collectorMemoryLimits(containerLimitMiB: number) {
  const limitMiB = Math.floor(containerLimitMiB * 0.8);
  return { limitMiB, spikeLimitMiB: Math.floor(limitMiB * 0.25) };
}

/** Receives the apps' OTLP/HTTP on localhost only and exports traces to X-Ray. */
export function collectorConfig(containerLimitMiB: number): string {
  const memory = collectorMemoryLimits(containerLimitMiB);
  return [
    'extensions:',
    '  health_check:',
    `    endpoint: 127.0.0.1:${COLLECTOR_HEALTH_PORT}`,
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      http:',
    `        endpoint: 127.0.0.1:${OTLP_HTTP_PORT}`,
    'processors:',
    '  memory_limiter:',
    '    check_interval: 1s',
    `    limit_mib: ${memory.limitMiB}`,
    `    spike_limit_mib: ${memory.spikeLimitMiB}`,
    '  batch: {}',
    'exporters:',
    '  awsxray: {}',
    'service:',
    '  extensions: [health_check]',
    '  pipelines:',
    '    traces:',
    '      receivers: [otlp]',
    '      processors: [memory_limiter, batch]',
    '      exporters: [awsxray]',
    '',
  ].join('\n');
}
