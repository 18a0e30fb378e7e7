import { randomBytes } from 'node:crypto';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;
const AMZN_ROOT = /(?:^|;)\s*Root=([^;]+)/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The W3C `traceparent` of a request when it carries a valid one. */
export function validTraceparent(headers: Headers): string | undefined {
  const value = single(headers['traceparent'])?.trim().toLowerCase();
  return value && TRACEPARENT.test(value) ? value : undefined;
}

/** Trace id for logs: from `traceparent` first, else the Root of `X-Amzn-Trace-Id`. */
export function traceIdOf(headers: Headers): string | undefined {
  const traceparent = validTraceparent(headers);
  if (traceparent) return TRACEPARENT.exec(traceparent)?.[1];
  const amzn = single(headers['x-amzn-trace-id']);
  return amzn ? AMZN_ROOT.exec(amzn)?.[1] : undefined;
}

/** A fresh sampled `traceparent`, for requests that enter the system without one. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
