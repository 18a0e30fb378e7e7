import {
  OTLPExporterBase,
  createOtlpNetworkExportDelegate,
} from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExporterMetrics,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ExportThread } from './otlp-export-thread';
import { withRetries } from './otlp-retries';
import type { OtlpProtocol } from './trace-spans';

/**
 * OpenTelemetry's OTLP/HTTP span exporter, protobuf or JSON, with its transport swapped for one
 * that posts from a worker thread (see `ExportThread`). The configuration is read as the stock
 * exporters read it: OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, _TIMEOUT and _COMPRESSION.
 */
export function createOtlpExporter(tracesUrl: string, protocol: OtlpProtocol): SpanExporter {
  const json = protocol === 'http/json';
  const config = convertLegacyHttpOptions({ url: tracesUrl }, 'TRACES', 'v1/traces', {
    'Content-Type': json ? 'application/json' : 'application/x-protobuf',
  });
  const metrics = createOtlpHttpExporterMetrics<ReadableSpan[]>(
    'otlp_http_span_exporter',
    TraceExporterMetricsHelper,
    config.url,
    undefined,
  );
  const transport = withRetries(new ExportThread(config));
  return new OTLPExporterBase(
    createOtlpNetworkExportDelegate(
      config,
      json ? JsonTraceSerializer : ProtobufTraceSerializer,
      metrics,
      transport,
    ),
  );
}
