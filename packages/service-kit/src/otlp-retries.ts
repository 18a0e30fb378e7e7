import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';

// OpenTelemetry's own exporters retry this way too (their retrying transport is internal):
// up to 5 more tries, 1 s apart at first, then 1.5 times longer each time up to 5 s, ±20%.
const MAX_RETRIES = 5;
const FIRST_BACKOFF_MS = 1000;
const BACKOFF_FACTOR = 1.5;
const MAX_BACKOFF_MS = 5000;
const JITTER = 0.2;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tries an export again while the collector says it may succeed later (429, 502, 503, 504, or
 * no answer), after its `Retry-After` or a growing pause, and never past the export's timeout.
 */
export function withRetries(
  transport: IExporterTransport,
  wait: (ms: number) => Promise<void> = pause,
): IExporterTransport {
  return {
    async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
      const deadline = Date.now() + timeoutMillis;
      let backoff = FIRST_BACKOFF_MS;
      let response = await transport.send(data, timeoutMillis);
      for (let retry = 0; retry < MAX_RETRIES && response.status === 'retryable'; retry++) {
        const jittered = Math.min(backoff * (1 + (Math.random() * 2 - 1) * JITTER), MAX_BACKOFF_MS);
        const delay = response.retryInMillis ?? jittered;
        backoff *= BACKOFF_FACTOR;
        if (delay > deadline - Date.now()) break;
        await wait(delay);
        response = await transport.send(data, deadline - Date.now());
      }
      return response;
    },
    shutdown: () => transport.shutdown(),
  };
}
