import { randomFillSync } from 'node:crypto';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;
const AMZN_ROOT = /(?:^|;)\s*Root=([^;]+)/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/**
 * A request's `traceparent`, normalized, with its parts; undefined when absent or invalid,
 * including what W3C forbids: version ff, an all-zero trace id or parent id.
 */
function parsedTraceparent(headers: Headers): RegExpExecArray | null | undefined {
  const value = single(headers['traceparent'])?.trim().toLowerCase();
  const parts = value ? TRACEPARENT.exec(value) : undefined;
  if (
    !parts ||
    value!.startsWith('ff') ||
    parts[1] === ZERO_TRACE_ID ||
    parts[2] === ZERO_PARENT_ID
  ) {
    return undefined;
  }
  return parts;
}

/** The W3C `traceparent` of a request when it carries a valid one. */
export function validTraceparent(headers: Headers): string | undefined {
  return parsedTraceparent(headers)?.[0];
}

/** The trace a caller's request belongs to, from its `traceparent`. */
export interface CallerTrace {
  readonly traceId: string;
  /** The caller's span: the parent of what this service records. */
  readonly parentId: string;
  /** The caller's sampled flag: whether it records this trace. */
  readonly sampled: boolean;
}

/** The caller's trace when the request carries a valid `traceparent`, else undefined. */
export function callerTraceOf(headers: Headers): CallerTrace | undefined {
  const parts = parsedTraceparent(headers);
  if (!parts) return undefined;
  // Bit 0 of the trace flags is `sampled` (W3C Trace Context §3.2.2.5).
  return { traceId: parts[1]!, parentId: parts[2]!, sampled: (parseInt(parts[3]!, 16) & 1) === 1 };
}

/** Trace id for logs: from `traceparent` first, else the Root of `X-Amzn-Trace-Id`. */
export function traceIdOf(headers: Headers): string | undefined {
  const traceparent = parsedTraceparent(headers);
  if (traceparent) return traceparent[1];
  const amzn = single(headers['x-amzn-trace-id']);
  return amzn ? AMZN_ROOT.exec(amzn)?.[1] : undefined;
}

// Random bytes are drawn for many ids at once: one system call per request cost about 5% of
// the gateway's throughput.
const POOL_BYTES = 24 * 512;
let pool = Buffer.alloc(0);
let used = 0;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

const ALL_ZERO = /^0+$/;

/** Random lowercase hex of `bytes` bytes, never all zeros (W3C forbids zero trace and span ids). */
function nonZeroHex(bytes: number): string {
  let hex = randomHex(bytes);
  while (ALL_ZERO.test(hex)) hex = randomHex(bytes);
  return hex;
}

/**
 * A fresh `traceparent`, for requests that enter the system without one: sampled unless this
 * service decided not to record the trace, so that the services after it follow that decision.
 */
export function newTraceparent(sampled = true): string {
  return `00-${nonZeroHex(16)}-${nonZeroHex(8)}-${sampled ? '01' : '00'}`;
}

/** A `traceparent` continuing `trace` from the same parent, with this service's decision as its flag. */
export function traceparentOf(trace: CallerTrace, sampled: boolean): string {
  return `00-${trace.traceId}-${trace.parentId}-${sampled ? '01' : '00'}`;
}
