import { backendEnvVar } from './env';
import { timeoutsOf } from './timeouts';
import type {
  FaultsSpec,
  OutlierDetectionSpec,
  RetriesSpec,
  RetryCondition,
  ServiceSpec,
  Topology,
  VersionSpec,
} from './types';

/**
 * What each retry condition means, everywhere (router, service-kit, docs). `5xx` holds
 * `gateway-error`; a failed connection is neither (it has its own conditions).
 */
export const RETRY_CONDITIONS: Readonly<Record<RetryCondition, string>> = Object.freeze({
  '5xx': 'an answer from 500 to 599',
  'gateway-error': 'an answer of 502, 503 or 504',
  reset: 'the connection closed before the answer arrived, or the try outlasted perTryTimeoutMs',
  'connect-failure': 'no connection could be opened: refused, unreachable or past connectMs',
});

/** Failures that say nothing about the request itself, so that trying again is safe. */
export const DEFAULT_RETRY_ON: readonly RetryCondition[] = Object.freeze([
  'gateway-error',
  'reset',
  'connect-failure',
]);

/** Methods that RFC 9110 (9.2.2) defines as idempotent: repeating one changes nothing more. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'OPTIONS',
  'PUT',
  'DELETE',
  'TRACE',
]);

/**
 * Retries add at most `percent` of the calls as extra load, plus `reserve` retries so that a
 * quiet service can still retry its first failures (as Envoy's minimum retry concurrency does).
 */
export const RETRY_BUDGET = Object.freeze({ percent: 20, reserve: 5 });

/** At most half the versions out at once, so ejection cannot pour all traffic onto one of three. */
export const DEFAULT_MAX_EJECTION_PERCENT = 50;

/** A service's retries with every default settled. */
export interface RetryPolicy {
  readonly attempts: number;
  /** Undefined: a try may use the rest of the call's deadline. */
  readonly perTryTimeoutMs: number | undefined;
  readonly on: readonly RetryCondition[];
  readonly nonIdempotent: boolean;
}

/** How one try ended when it did not return a usable answer. */
export type TryOutcome =
  { readonly status: number } | { readonly failure: 'reset' | 'connect-failure' };

/** The service's retry policy, or undefined when calls into it are not retried. */
export function retryPolicyOf(service: ServiceSpec): RetryPolicy | undefined {
  return service.retries && settleRetries(service.retries);
}

/** A retries spec (from the topology or from env) with its defaults filled in. */
export function settleRetries(spec: RetriesSpec): RetryPolicy {
  return {
    attempts: spec.attempts,
    perTryTimeoutMs: spec.perTryTimeoutMs,
    on: spec.on ?? DEFAULT_RETRY_ON,
    nonIdempotent: spec.nonIdempotent ?? false,
  };
}

/** Whether the policy lets a request of this method be tried again at all. */
export function mayRetryMethod(policy: RetryPolicy, method: string): boolean {
  return policy.nonIdempotent || IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Whether a try that ended this way is worth another under the policy. */
export function isRetryable(policy: RetryPolicy, outcome: TryOutcome): boolean {
  if ('failure' in outcome) return policy.on.includes(outcome.failure);
  const { status } = outcome;
  if (policy.on.includes('5xx') && status >= 500 && status <= 599) return true;
  return (
    policy.on.includes('gateway-error') && (status === 502 || status === 503 || status === 504)
  );
}

/** How long the next try may take: its own limit, never past what is left of the deadline. */
export function tryTimeoutMs(policy: RetryPolicy, remainingMs: number): number {
  return Math.max(0, Math.min(policy.perTryTimeoutMs ?? remainingMs, remainingMs));
}

/**
 * A token bucket that keeps retries within {@link RETRY_BUDGET}: every call adds
 * `percent / 100` of a token, every retry spends one, and the bucket holds at most `reserve`
 * plus what the calls paid in. Over any run, retries ≤ reserve + calls × percent / 100.
 */
export class RetryBudget {
  // Counted in hundredths of a retry, so that 5 calls at 20% make exactly one.
  private hundredths: number;

  constructor(
    private readonly percent = RETRY_BUDGET.percent,
    private readonly reserve = RETRY_BUDGET.reserve,
  ) {
    this.hundredths = reserve * 100;
  }

  /** Counts one call (not a retry) towards the budget. */
  recordCall(): void {
    // Capped so that a long quiet spell cannot save up a burst larger than the reserve.
    this.hundredths = Math.min(this.reserve * 100, this.hundredths + this.percent);
  }

  /** Spends one retry if the budget has it; false means fail now instead of retrying. */
  trySpend(): boolean {
    if (this.hundredths < 100) return false;
    this.hundredths -= 100;
    return true;
  }
}

/** A service's outlier detection with every default settled, or undefined when it has none. */
export function outlierPolicyOf(service: ServiceSpec): Required<OutlierDetectionSpec> | undefined {
  return service.outlierDetection && settleOutlierDetection(service.outlierDetection);
}

/** An outlier detection spec with its default filled in. */
export function settleOutlierDetection(spec: OutlierDetectionSpec): Required<OutlierDetectionSpec> {
  return {
    consecutive5xx: spec.consecutive5xx,
    ejectMs: spec.ejectMs,
    maxEjectionPercent: spec.maxEjectionPercent ?? DEFAULT_MAX_EJECTION_PERCENT,
  };
}

/** How many of `count` versions may be out at once: the percent's share, never the last one. */
export function maxEjectedVersions(policy: Required<OutlierDetectionSpec>, count: number): number {
  return Math.max(0, Math.min(count - 1, Math.floor((count * policy.maxEjectionPercent) / 100)));
}

/** What the faults of a version do to one call. */
export interface FaultDecision {
  /** Answer this status instead of calling the version. */
  readonly abortStatus?: number;
  /** Hold the call this long first (0: no delay). */
  readonly delayMs: number;
}

/**
 * Rolls the faults for one call; `roll` returns a number in [0, 1) (Math.random, or a seeded
 * source in tests). Abort and delay are rolled independently, delay first, as Envoy does.
 */
export function decideFault(faults: FaultsSpec | undefined, roll: () => number): FaultDecision {
  const delayMs = faults?.delay && roll() * 100 < faults.delay.percent ? faults.delay.ms : 0;
  const abortStatus =
    faults?.abort && roll() * 100 < faults.abort.percent ? faults.abort.status : undefined;
  return abortStatus === undefined ? { delayMs } : { abortStatus, delayMs };
}

/** True when the version has a fault to apply. */
export function hasFaults(version: VersionSpec): boolean {
  return version.faults?.abort !== undefined || version.faults?.delay !== undefined;
}

/**
 * The env that makes a caller's upstream client (service-kit) retry its backends itself, for a
 * flavor whose data plane does not retry: `UPSTREAM_RETRIES` holds JSON mapping each backend's
 * env var to its retries. Empty when no backend of the caller has retries.
 */
export function callerRetryEnv(topology: Topology, caller: ServiceSpec): Record<string, string> {
  const byEnvVar: Record<string, RetriesSpec> = {};
  for (const backend of caller.backends ?? []) {
    const service = topology.services.find((s) => s.name === backend.service);
    if (service?.retries) byEnvVar[backendEnvVar(backend)] = service.retries;
  }
  return Object.keys(byEnvVar).length > 0 ? { UPSTREAM_RETRIES: JSON.stringify(byEnvVar) } : {};
}

type Report = (problem: string) => void;

/**
 * Problems of a retries spec, each with its fix; `at` names where it sits. `deadlineMs`, when
 * known, is the call's deadline that no single try may outlast.
 */
export function retriesProblems(spec: RetriesSpec, at: string, deadlineMs?: number): string[] {
  const problems: string[] = [];
  const { attempts, perTryTimeoutMs, on, nonIdempotent } = spec;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
    problems.push(
      `${at}: retries.attempts ${attempts} must be an integer from 1 to 10 (remove "retries" to retry nothing)`,
    );
  }
  if (perTryTimeoutMs !== undefined) {
    if (!Number.isInteger(perTryTimeoutMs) || perTryTimeoutMs < 1) {
      problems.push(
        `${at}: retries.perTryTimeoutMs ${perTryTimeoutMs} must be a positive integer of milliseconds`,
      );
    } else if (deadlineMs !== undefined && perTryTimeoutMs > deadlineMs) {
      problems.push(
        `${at}: retries.perTryTimeoutMs ${perTryTimeoutMs} is longer than the whole call's deadline (timeouts.perRequestMs ${deadlineMs}): lower it, or raise timeouts.perRequestMs`,
      );
    }
  }
  if (on !== undefined) {
    const known = Object.keys(RETRY_CONDITIONS);
    if (!Array.isArray(on) || on.length === 0) {
      problems.push(
        `${at}: retries.on must list at least one of ${known.join(', ')} (leave it out for the default)`,
      );
    } else {
      for (const [index, condition] of on.entries()) {
        if (!known.includes(condition)) {
          problems.push(
            `${at}: retries.on has unknown condition "${condition}": use one of ${known.join(', ')}`,
          );
        } else if (on.indexOf(condition) !== index) {
          problems.push(`${at}: retries.on lists "${condition}" twice: keep one`);
        }
      }
    }
  }
  if (nonIdempotent !== undefined && typeof nonIdempotent !== 'boolean') {
    problems.push(`${at}: retries.nonIdempotent must be true or false`);
  }
  return problems;
}

/** Checks `retries` and `outlierDetection` of a service and the `faults` of its versions. */
export function checkTrafficPolicy(service: ServiceSpec, report: Report): void {
  const at = `service "${service.name}"`;
  if (service.retries !== undefined) {
    retriesProblems(service.retries, at, timeoutsOf(service).perRequestMs).forEach(report);
  }
  if (service.outlierDetection !== undefined) checkOutlier(service.outlierDetection, at, report);
  for (const version of service.versions ?? []) {
    if (version.faults !== undefined) {
      checkFaults(version.faults, `${at}: version "${version.name}"`, report);
    }
  }
}

function checkOutlier(spec: OutlierDetectionSpec, at: string, report: Report): void {
  const { consecutive5xx, ejectMs, maxEjectionPercent } = spec;
  if (!Number.isInteger(consecutive5xx) || consecutive5xx < 1) {
    report(
      `${at}: outlierDetection.consecutive5xx ${consecutive5xx} must be an integer of at least 1`,
    );
  }
  if (!Number.isInteger(ejectMs) || ejectMs < 1) {
    report(`${at}: outlierDetection.ejectMs ${ejectMs} must be a positive integer of milliseconds`);
  }
  if (
    maxEjectionPercent !== undefined &&
    (!Number.isInteger(maxEjectionPercent) || maxEjectionPercent < 1 || maxEjectionPercent > 100)
  ) {
    report(
      `${at}: outlierDetection.maxEjectionPercent ${maxEjectionPercent} must be an integer from 1 to 100`,
    );
  }
}

function checkFaults(faults: FaultsSpec, at: string, report: Report): void {
  const { abort, delay } = faults;
  if (abort === undefined && delay === undefined) {
    report(`${at}: faults has neither abort nor delay: add one, or remove "faults"`);
  }
  if (abort !== undefined) {
    checkPercent(abort.percent, `${at}: faults.abort.percent`, report);
    if (!Number.isInteger(abort.status) || abort.status < 400 || abort.status > 599) {
      report(
        `${at}: faults.abort.status ${abort.status} must be an error status from 400 to 599, e.g. 503`,
      );
    }
  }
  if (delay !== undefined) {
    checkPercent(delay.percent, `${at}: faults.delay.percent`, report);
    if (!Number.isInteger(delay.ms) || delay.ms < 1) {
      report(`${at}: faults.delay.ms ${delay.ms} must be a positive integer of milliseconds`);
    }
  }
}

function checkPercent(percent: number, what: string, report: Report): void {
  if (typeof percent !== 'number' || !(percent > 0 && percent <= 100)) {
    report(`${what} ${percent} must be a number above 0 and at most 100`);
  }
}
