import type { IncomingMessage } from 'node:http';
import { callerTraceOf, newTraceparent, traceparentOf } from './trace';
import type { CallerTrace } from './trace';
import type { RequestSpan, RequestTracing, SpanRecorder, UpstreamCallSpan } from './trace-spans';
import type { TraceSampler } from './trace-sampler';

function ignore(): void {}

/**
 * A request this service does not record: no span, only the decision passed on, so that the
 * services after it do not start the trace again (a `traceparent` with the sampled flag off).
 * The `traceparent` is made when the request first calls upstream: most answer without doing so.
 */
function unrecorded(caller: CallerTrace | undefined): RequestSpan {
  let call: UpstreamCallSpan | undefined;
  return {
    startUpstreamCall: () =>
      (call ??= {
        headers: { traceparent: caller ? traceparentOf(caller, false) : newTraceparent(false) },
        end: ignore,
      }),
  };
}

/**
 * Decides per request, before anything is recorded, whether it is traced. An unsampled request
 * costs reading its `traceparent` and, when it starts a trace, writing one: the recorder (the
 * OpenTelemetry SDK) sees only the sampled ones.
 */
export function sampledTracing(sampler: TraceSampler, recorder: SpanRecorder): RequestTracing {
  return {
    startRequest(request: IncomingMessage, route: string | undefined): RequestSpan | undefined {
      const caller = callerTraceOf(request.headers);
      if (sampler.sample(caller)) return recorder.startRequest(request, route, caller);
      // An unsampled caller's traceparent already says so: it is forwarded as it came.
      return caller && !caller.sampled ? undefined : unrecorded(caller);
    },
    shutdown: () => recorder.shutdown(),
  };
}
