/**
 * App Mesh's timeouts, retry policies and outlier detection in the topology's terms, with what
 * has no counterpart named so the report can say so.
 */
import {
  DEFAULT_RETRY_ON,
  DEFAULT_TIMEOUTS,
  type OutlierDetectionSpec,
  type RetriesSpec,
  type RetryCondition,
  type TimeoutsSpec,
} from '@color-teller/topology';

export function asNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * A property of an App Mesh spec by name, in any case: templates in the wild write
 * `maxServerErrors` as well as `MaxServerErrors`, and CloudFormation took both.
 */
export function field(object: unknown, name: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  const record = object as Record<string, unknown>;
  if (name in record) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** App Mesh durations are `{ Unit: 'ms' | 's', Value }`. */
export function durationMs(value: unknown): number | undefined {
  const amount = asNumber(field(value, 'Value'));
  if (amount === undefined) return undefined;
  return field(value, 'Unit') === 's' ? amount * 1000 : amount;
}

/** A route's or listener's `Timeout.HTTP`; the topology's defaults are left out. */
export function timeoutsFrom(timeout: unknown): TimeoutsSpec | undefined {
  const perRequestMs = durationMs(field(timeout, 'PerRequest'));
  const idleMs = durationMs(field(timeout, 'Idle'));
  const timeouts = {
    ...(perRequestMs !== undefined && perRequestMs !== DEFAULT_TIMEOUTS.perRequestMs
      ? { perRequestMs }
      : {}),
    ...(idleMs !== undefined && idleMs !== DEFAULT_TIMEOUTS.idleMs ? { idleMs } : {}),
  };
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

/**
 * App Mesh's retry events as the topology's conditions (Envoy's names): `server-error` is any
 * 5xx, `connection-error` a reset or a failed connect. `client-error` (409) and `stream-error`
 * (a refused HTTP/2 stream) have no counterpart.
 */
const RETRY_EVENTS: Readonly<Record<string, readonly RetryCondition[]>> = {
  'server-error': ['5xx'],
  'gateway-error': ['gateway-error'],
  'connection-error': ['reset', 'connect-failure'],
};

export interface Carried<T> {
  readonly spec: T;
  /** What the topology cannot hold, e.g. `retry on client-error`. */
  readonly dropped: readonly string[];
}

/** A route's `RetryPolicy` as the service's `retries`. */
export function retriesFrom(policy: Record<string, unknown>): Carried<RetriesSpec> | undefined {
  const attempts = asNumber(field(policy, 'MaxRetries'));
  if (attempts === undefined || attempts < 1) return undefined;
  const events = [
    ...((field(policy, 'HttpRetryEvents') as unknown[]) ?? []),
    ...((field(policy, 'TcpRetryEvents') as unknown[]) ?? []),
  ].map(String);
  const dropped = events.filter((e) => !RETRY_EVENTS[e]).map((e) => `retry on ${e}`);
  let on = [...new Set(events.flatMap((e) => RETRY_EVENTS[e] ?? []))];
  // `5xx` holds `gateway-error`.
  if (on.includes('5xx')) on = on.filter((c) => c !== 'gateway-error');
  const isDefault =
    on.length === DEFAULT_RETRY_ON.length && DEFAULT_RETRY_ON.every((c) => on.includes(c));
  const perTryTimeoutMs = durationMs(field(policy, 'PerRetryTimeout'));
  return {
    spec: {
      attempts,
      ...(perTryTimeoutMs === undefined ? {} : { perTryTimeoutMs }),
      ...(on.length === 0 || isDefault ? {} : { on }),
    },
    dropped,
  };
}

/**
 * A listener's `OutlierDetection` as the service's `outlierDetection`. App Mesh counted server
 * errors of one node's hosts within an interval; the topology counts failures in a row of a
 * version, so the interval has no counterpart.
 */
export function outlierFrom(
  detection: Record<string, unknown>,
): Carried<OutlierDetectionSpec> | undefined {
  const consecutive5xx = asNumber(field(detection, 'MaxServerErrors'));
  const ejectMs = durationMs(field(detection, 'BaseEjectionDuration'));
  if (consecutive5xx === undefined || ejectMs === undefined) return undefined;
  const maxEjectionPercent = asNumber(field(detection, 'MaxEjectionPercent'));
  const interval = durationMs(field(detection, 'Interval'));
  return {
    spec: {
      consecutive5xx,
      ejectMs,
      ...(maxEjectionPercent === undefined ? {} : { maxEjectionPercent }),
    },
    dropped: [
      'App Mesh ejected single tasks of a node, the topology ejects a whole version',
      ...(interval === undefined ? [] : [`the ${interval} ms counting interval`]),
    ],
  };
}
