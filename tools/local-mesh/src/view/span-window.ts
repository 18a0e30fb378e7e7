/** One span of a trace, as the waterfall draws it. */
export interface ViewSpan {
  readonly process: string;
  readonly name: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** Milliseconds since the epoch, fractional. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly failed: boolean;
}

interface OtlpValue {
  stringValue?: string;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key?: string; value?: OtlpValue }[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

const ERROR_STATUS = 2;

function millisOf(nanos: string | number | undefined): number {
  return Number(nanos ?? 0) / 1e6;
}

/**
 * The spans of the last `maxTraces` traces (the oldest trace goes first), at most
 * `maxSpansPerTrace` each, from OTLP/HTTP JSON exports.
 */
export class SpanWindow {
  private readonly traces = new Map<string, ViewSpan[]>();

  constructor(
    private readonly maxTraces = 200,
    private readonly maxSpansPerTrace = 64,
  ) {}

  /** Takes one OTLP `ExportTraceServiceRequest` in JSON; returns how many spans it kept. */
  ingest(body: unknown): number {
    let kept = 0;
    for (const resourceSpans of (body as OtlpExport).resourceSpans ?? []) {
      const process =
        resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value
          ?.stringValue ?? 'unknown';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          if (typeof span.traceId === 'string' && typeof span.spanId === 'string') {
            if (this.keep(span.traceId, toViewSpan(process, span))) kept += 1;
          }
        }
      }
    }
    return kept;
  }

  /** A trace's spans, earliest first; empty when unknown or already dropped. */
  trace(traceId: string): ViewSpan[] {
    return [...(this.traces.get(traceId) ?? [])].sort((a, b) => a.startMs - b.startMs);
  }

  private keep(traceId: string, span: ViewSpan): boolean {
    let spans = this.traces.get(traceId);
    if (!spans) {
      if (this.traces.size >= this.maxTraces) {
        this.traces.delete(this.traces.keys().next().value!);
      }
      spans = [];
      this.traces.set(traceId, spans);
    }
    if (spans.length >= this.maxSpansPerTrace) return false;
    spans.push(span);
    return true;
  }
}

function toViewSpan(process: string, span: OtlpSpan): ViewSpan {
  const startMs = millisOf(span.startTimeUnixNano);
  return {
    process,
    name: span.name ?? '',
    spanId: span.spanId!,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    startMs,
    durationMs: Math.max(0, millisOf(span.endTimeUnixNano) - startMs),
    failed: span.status?.code === ERROR_STATUS,
  };
}
