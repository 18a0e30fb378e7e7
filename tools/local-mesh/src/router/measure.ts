import type { createServiceApp } from '@color-teller/service-kit';
import { sendToRunner } from './channel';
import type { MeasuredRequest } from './channel';

type App = ReturnType<typeof createServiceApp>;

/** How often a router hands its measured requests to the runner. */
const FLUSH_EVERY_MS = 250;
/** Most requests kept between flushes (the view keeps 4096 per version); more are not sent. */
const MAX_BATCH = 4096;

/** What the router chose per request, set by its upstream choice and read when it answers. */
export interface RequestMeter {
  chose(request: object, version: string): void;
  /** The proxy's `onAnswered`: once per request, when its response closes. */
  answered(request: object, statusCode: number, elapsedMs: number): void;
}

/**
 * Measures every request the router answers (the version it chose, the status, the time through
 * the router) and sends them to the runner in batches, four times a second: the view's figures
 * per edge for any service, whatever its language, at the cost of an array push per request.
 */
export function measureRequests(app: App, service: string): RequestMeter {
  const chosen = new WeakMap<object, string>();
  let batch: MeasuredRequest[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    sendToRunner({ type: 'requests', service, requests: batch });
    batch = [];
  };
  const timer = setInterval(flush, FLUSH_EVERY_MS);
  timer.unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(timer);
    flush();
    done();
  });
  return {
    chose: (request, version) => chosen.set(request, version),
    answered: (request, statusCode, elapsedMs) => {
      const version = chosen.get(request);
      if (version !== undefined && batch.length < MAX_BATCH) {
        batch.push([version, statusCode, elapsedMs]);
      }
    },
  };
}
