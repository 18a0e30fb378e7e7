import { describe, expect, it } from 'vitest';
import { RETRY_BUDGET, RetryBudget, settleRetries } from '@color-teller/topology';
import type { RetriesSpec } from '@color-teller/topology';
import type { FastifyInstance } from 'fastify';
import { createServiceApp } from '../src/http-app';
import { registerProxy } from '../src/proxy';
import type { ProxyOptions } from '../src/proxy';
import { retryInterceptor } from '../src/upstream-retry';
import { callerRetryInterceptors, upstreamRetriesVariable } from '../src/upstream-retry-env';
import { cleanupAfterEach, unusedPort } from '../testing';
import type { RecordingServer } from '../testing';

const { defer, recording } = cleanupAfterEach();

/** A proxy to `upstream` whose calls are retried by `spec` (one budget), deadline `deadlineMs`. */
async function retryingProxy(
  upstream: URL,
  spec: RetriesSpec,
  extra: Partial<Parameters<typeof retryInterceptor>[0]> = {},
  deadlineMs = 2000,
): Promise<URL> {
  const retries = { policy: settleRetries(spec), budget: new RetryBudget() };
  return proxyWith(upstream, {
    responseTimeoutMs: deadlineMs,
    interceptors: [retryInterceptor({ policyFor: () => retries, deadlineMs, ...extra })],
  });
}

async function proxyWith(upstream: URL, options: Partial<ProxyOptions>): Promise<URL> {
  const app: FastifyInstance = createServiceApp({ name: 'retry-test', logLevel: 'silent' });
  await registerProxy(app, { prefix: '', upstream: () => upstream, ...options });
  defer(() => app.close());
  return new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
}

/** An upstream that answers 503 to its first `failures` requests, then 200 `ok`. */
function failingFirst(failures: number): Promise<RecordingServer> {
  let seen = 0;
  return recording((_request, response) => {
    seen += 1;
    response.statusCode = seen <= failures ? 503 : 200;
    response.end(seen <= failures ? 'down' : 'ok');
  });
}

describe('retryInterceptor', () => {
  it('retries a 503 and passes on the answer of the try that worked', async () => {
    const upstream = await failingFirst(2);
    const proxy = await retryingProxy(upstream.url, { attempts: 2 });
    const response = await fetch(new URL('/color', proxy));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(upstream.requests).toHaveLength(3);
  });

  it('gives up after `attempts` more tries and passes on the last answer', async () => {
    const upstream = await failingFirst(100);
    const proxy = await retryingProxy(upstream.url, { attempts: 2 });
    const response = await fetch(new URL('/color', proxy));
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('down');
    expect(upstream.requests).toHaveLength(3);
  });

  it('does not retry an answer outside the policy’s conditions (500 is not a gateway error)', async () => {
    const upstream = await recording((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    const proxy = await retryingProxy(upstream.url, { attempts: 3 });
    expect((await fetch(new URL('/color', proxy))).status).toBe(500);
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries POST only when the policy allows it, and never replays a body it sent', async () => {
    const upstream = await failingFirst(100);
    const idempotentOnly = await retryingProxy(upstream.url, { attempts: 2 });
    expect((await fetch(new URL('/w', idempotentOnly), { method: 'POST' })).status).toBe(503);
    expect(upstream.requests).toHaveLength(1);

    const everyMethod = await retryingProxy(upstream.url, { attempts: 2, nonIdempotent: true });
    expect((await fetch(new URL('/w', everyMethod), { method: 'POST' })).status).toBe(503);
    expect(upstream.requests).toHaveLength(4);

    const withBody = await fetch(new URL('/w', everyMethod), {
      method: 'POST',
      body: 'streamed once',
      headers: { 'content-type': 'text/plain' },
    });
    expect(withBody.status).toBe(503);
    expect(upstream.requests).toHaveLength(5);
    expect(upstream.requests[4]!.body).toBe('streamed once');
  });

  it('sends the next try where `nextOrigin` says, after a refused connection', async () => {
    const healthy = await failingFirst(0);
    const refused = new URL(`http://127.0.0.1:${await unusedPort()}`);
    const proxy = await retryingProxy(
      refused,
      { attempts: 1 },
      { nextOrigin: () => healthy.url.origin },
    );
    const response = await fetch(new URL('/color', proxy));
    expect(response.status).toBe(200);
    expect(healthy.requests[0]!.headers.host).toBe(healthy.url.host);
  });

  it('never tries past the deadline against a hung upstream: per-try limits, then 504', async () => {
    const hung = await recording(() => {});
    const proxy = await retryingProxy(hung.url, { attempts: 10, perTryTimeoutMs: 100 }, {}, 450);
    const response = await fetch(new URL('/color', proxy));
    expect(response.status).toBe(504);
    // 450 ms hold at most five 100 ms tries (the last cut by the deadline), never the 11 allowed.
    expect(hung.requests.length).toBeGreaterThanOrEqual(2);
    expect(hung.requests.length).toBeLessThanOrEqual(5);
  });

  it('keeps a hung upstream’s retries within the budget and every call within its deadline', async () => {
    const hung = await recording(() => {});
    const proxy = await retryingProxy(hung.url, { attempts: 5, perTryTimeoutMs: 100 }, {}, 1000);
    const calls = 40;
    const statuses = await Promise.all(
      Array.from({ length: calls }, async () => (await fetch(new URL('/color', proxy))).status),
    );
    expect(statuses.every((status) => status === 504)).toBe(true);
    // Unbudgeted, 40 calls would make 200 retries; the budget allows the reserve plus 8.
    const retries = hung.requests.length - calls;
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(
      RETRY_BUDGET.reserve + (calls * RETRY_BUDGET.percent) / 100,
    );
  });

  it('keeps retries within the budget: the reserve plus 20% of the calls', async () => {
    const upstream = await failingFirst(10_000);
    const proxy = await retryingProxy(upstream.url, { attempts: 3 });
    const calls = 60;
    for (let call = 0; call < calls; call++) {
      expect((await fetch(new URL('/color', proxy))).status).toBe(503);
    }
    const retries = upstream.requests.length - calls;
    expect(retries).toBeGreaterThan(RETRY_BUDGET.reserve);
    expect(retries).toBeLessThanOrEqual(
      RETRY_BUDGET.reserve + (calls * RETRY_BUDGET.percent) / 100,
    );
  });
});

describe('UPSTREAM_RETRIES', () => {
  it('reads each backend’s retries by the origin in its env var, and rejects bad ones', () => {
    const source = { COLOR_BACKEND: 'http://color.local:8080/x' };
    const parsed = upstreamRetriesVariable.parse('{"COLOR_BACKEND":{"attempts":2}}', source);
    expect([...parsed!]).toEqual([['http://color.local:8080', settleRetries({ attempts: 2 })]]);
    expect(upstreamRetriesVariable.parse('{"COLOR_BACKEND":{"attempts":0}}', source)).toBe(
      undefined,
    );
    expect(upstreamRetriesVariable.parse('{"OTHER":{"attempts":1}}', source)).toBe(undefined);
    expect(upstreamRetriesVariable.parse('[1]', source)).toBe(undefined);
    expect(upstreamRetriesVariable.parse('{', source)).toBe(undefined);
  });

  it('makes a caller retry its backend through the proxy', async () => {
    const upstream = await failingFirst(1);
    const retries = upstreamRetriesVariable.parse('{"COLOR_BACKEND":{"attempts":1}}', {
      COLOR_BACKEND: upstream.url.href,
    })!;
    const proxy = await proxyWith(upstream.url, {
      interceptors: callerRetryInterceptors(retries, 2000),
    });
    expect((await fetch(new URL('/color', proxy))).status).toBe(200);
    expect(callerRetryInterceptors(new Map(), 2000)).toEqual([]);
  });
});
