import type { Dispatcher } from 'undici';
import {
  RetryBudget,
  retriesProblems,
  settleRetries,
  type RetriesSpec,
  type RetryPolicy,
} from '@color-teller/topology';
import type { EnvVariable } from './config';
import { retryInterceptor, type UpstreamRetryPolicy } from './upstream-retry';

/** Each retried backend's origin (`http://host:port`) and its settled retry policy. */
export type UpstreamRetries = ReadonlyMap<string, RetryPolicy>;

/**
 * `UPSTREAM_RETRIES`: JSON mapping a backend's env var (`COLOR_BACKEND`) to the retries of the
 * service behind it, as the topology states them (see `callerRetryEnv`). A flavor whose data
 * plane does not retry (VPC Lattice) sets it, so that the caller retries itself.
 */
export const upstreamRetriesVariable: EnvVariable<UpstreamRetries> = {
  expected:
    'JSON mapping backend env vars to retries, e.g. {"COLOR_BACKEND":{"attempts":2}}, each env var set to the backend URL',
  fallback: new Map(),
  parse: (raw, source) => {
    let specs: Record<string, RetriesSpec>;
    try {
      specs = JSON.parse(raw) as Record<string, RetriesSpec>;
    } catch {
      return undefined;
    }
    if (specs === null || typeof specs !== 'object' || Array.isArray(specs)) return undefined;
    const retries = new Map<string, RetryPolicy>();
    for (const [envVar, spec] of Object.entries(specs)) {
      const url = source[envVar];
      const valid =
        url !== undefined &&
        URL.canParse(url) &&
        typeof spec === 'object' &&
        spec !== null &&
        retriesProblems(spec, envVar).length === 0;
      if (!valid) return undefined;
      retries.set(new URL(url).origin, settleRetries(spec));
    }
    return retries;
  },
};

/**
 * The interceptors that make a caller's upstream agent retry its backends by `retries`: each
 * backend has its own budget. Empty when nothing is retried, so the agent stays as it was.
 */
export function callerRetryInterceptors(
  retries: UpstreamRetries,
  deadlineMs: number,
): Dispatcher.DispatcherComposeInterceptor[] {
  if (retries.size === 0) return [];
  const byOrigin = new Map<string, UpstreamRetryPolicy>(
    [...retries].map(([origin, policy]) => [origin, { policy, budget: new RetryBudget() }]),
  );
  return [retryInterceptor({ policyFor: (origin) => byOrigin.get(origin), deadlineMs })];
}
