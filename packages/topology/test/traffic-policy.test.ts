import { describe, expect, it } from 'vitest';
import { withServiceChanged } from '../src/edit';
import { findService } from '../src/graph';
import {
  callerRetryEnv,
  decideFault,
  DEFAULT_RETRY_ON,
  isRetryable,
  maxEjectedVersions,
  mayRetryMethod,
  outlierPolicyOf,
  RETRY_BUDGET,
  RetryBudget,
  retryPolicyOf,
  settleRetries,
  tryTimeoutMs,
} from '../src/traffic-policy';
import { validTopology } from './fixtures/valid';

describe('retry policy', () => {
  it('is undefined for a service without retries, and fills in the defaults otherwise', () => {
    const topology = validTopology();
    expect(retryPolicyOf(findService(topology, 'color'))).toBeUndefined();
    const retried = withServiceChanged(topology, 'color', (s) => ({
      ...s,
      retries: { attempts: 2 },
    }));
    expect(retryPolicyOf(findService(retried, 'color'))).toEqual({
      attempts: 2,
      perTryTimeoutMs: undefined,
      on: ['gateway-error', 'reset', 'connect-failure'],
      nonIdempotent: false,
    });
  });

  it('retries only idempotent methods unless the policy allows every method', () => {
    const policy = settleRetries({ attempts: 1 });
    for (const method of ['GET', 'head', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']) {
      expect(mayRetryMethod(policy, method), method).toBe(true);
    }
    expect(mayRetryMethod(policy, 'POST')).toBe(false);
    expect(mayRetryMethod(policy, 'PATCH')).toBe(false);
    expect(mayRetryMethod({ ...policy, nonIdempotent: true }, 'POST')).toBe(true);
  });

  it('retries gateway errors, resets and refused connections by default, not a 500', () => {
    const policy = settleRetries({ attempts: 1 });
    expect(policy.on).toEqual(DEFAULT_RETRY_ON);
    expect([502, 503, 504].map((status) => isRetryable(policy, { status }))).toEqual([
      true,
      true,
      true,
    ]);
    expect(isRetryable(policy, { status: 500 })).toBe(false);
    expect(isRetryable(policy, { status: 429 })).toBe(false);
    expect(isRetryable(policy, { failure: 'reset' })).toBe(true);
    expect(isRetryable(policy, { failure: 'connect-failure' })).toBe(true);
  });

  it('retries every 5xx under "5xx", and no failure the policy leaves out', () => {
    const policy = settleRetries({ attempts: 1, on: ['5xx'] });
    expect(isRetryable(policy, { status: 500 })).toBe(true);
    expect(isRetryable(policy, { status: 599 })).toBe(true);
    expect(isRetryable(policy, { status: 499 })).toBe(false);
    expect(isRetryable(policy, { failure: 'reset' })).toBe(false);
    expect(isRetryable(policy, { failure: 'connect-failure' })).toBe(false);
  });

  it('gives a try its own limit, never more than what is left of the deadline', () => {
    const bounded = settleRetries({ attempts: 1, perTryTimeoutMs: 300 });
    expect(tryTimeoutMs(bounded, 1000)).toBe(300);
    expect(tryTimeoutMs(bounded, 120)).toBe(120);
    expect(tryTimeoutMs(settleRetries({ attempts: 1 }), 800)).toBe(800);
    expect(tryTimeoutMs(bounded, -5)).toBe(0);
  });
});

describe('RetryBudget', () => {
  it('allows the reserve, then one retry per five calls (20%)', () => {
    const budget = new RetryBudget();
    let spent = 0;
    while (budget.trySpend()) spent++;
    expect(spent).toBe(RETRY_BUDGET.reserve);
    let retries = 0;
    for (let call = 0; call < 1000; call++) {
      budget.recordCall();
      if (budget.trySpend()) retries++;
    }
    expect(retries).toBe(200);
  });

  it('never saves more than the reserve over a quiet spell', () => {
    const budget = new RetryBudget();
    for (let call = 0; call < 10_000; call++) budget.recordCall();
    let spent = 0;
    while (budget.trySpend()) spent++;
    expect(spent).toBe(RETRY_BUDGET.reserve);
  });
});

describe('outlier policy', () => {
  it('defaults maxEjectionPercent to 50', () => {
    const topology = withServiceChanged(validTopology(), 'color', (s) => ({
      ...s,
      outlierDetection: { consecutive5xx: 3, ejectMs: 2000 },
    }));
    expect(outlierPolicyOf(findService(topology, 'color'))).toEqual({
      consecutive5xx: 3,
      ejectMs: 2000,
      maxEjectionPercent: 50,
    });
    expect(outlierPolicyOf(findService(topology, 'client'))).toBeUndefined();
  });

  it('ejects the percent’s share of the versions, never the last one', () => {
    const policy = (maxEjectionPercent: number) => ({
      consecutive5xx: 1,
      ejectMs: 1,
      maxEjectionPercent,
    });
    expect(maxEjectedVersions(policy(50), 2)).toBe(1);
    expect(maxEjectedVersions(policy(50), 3)).toBe(1);
    expect(maxEjectedVersions(policy(100), 3)).toBe(2);
    expect(maxEjectedVersions(policy(100), 1)).toBe(0);
    expect(maxEjectedVersions(policy(10), 2)).toBe(0);
  });
});

describe('decideFault', () => {
  const rolls =
    (...values: number[]) =>
    () =>
      values.shift() ?? 0;

  it('delays and aborts when the rolls fall under the percents, each on its own roll', () => {
    const faults = { abort: { percent: 50, status: 503 }, delay: { percent: 10, ms: 200 } };
    expect(decideFault(faults, rolls(0.05, 0.49))).toEqual({ abortStatus: 503, delayMs: 200 });
    expect(decideFault(faults, rolls(0.1, 0.5))).toEqual({ delayMs: 0 });
    expect(decideFault(faults, rolls(0.99, 0.0))).toEqual({ abortStatus: 503, delayMs: 0 });
  });

  it('does nothing without faults', () => {
    expect(decideFault(undefined, rolls(0))).toEqual({ delayMs: 0 });
    expect(decideFault({ delay: { percent: 100, ms: 5 } }, rolls(0.999))).toEqual({ delayMs: 5 });
  });
});

describe('callerRetryEnv', () => {
  it('maps each retried backend’s env var to its retries, and is empty without any', () => {
    const topology = validTopology();
    expect(callerRetryEnv(topology, findService(topology, 'client'))).toEqual({});
    const retried = withServiceChanged(topology, 'color', (s) => ({
      ...s,
      retries: { attempts: 2, on: ['5xx'] },
    }));
    const env = callerRetryEnv(retried, findService(retried, 'client'));
    expect(JSON.parse(env.UPSTREAM_RETRIES!)).toEqual({
      COLOR_BACKEND: { attempts: 2, on: ['5xx'] },
    });
  });
});
