import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingServer } from '@color-teller/service-kit/testing';
import type { RecordingServer } from '@color-teller/service-kit/testing';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { exchange } from './support/exchange';

const started: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.stop();
});

async function gatewayWith(env: Record<string, string> = {}) {
  const upstream: RecordingServer = await startRecordingServer();
  started.push({ stop: () => upstream.close() });
  const gateway: ServiceProcess = await startService('client', {
    env: { COLOR_BACKEND: upstream.url.origin, ...env },
  });
  started.push(gateway);
  return { upstream, gateway };
}

const request = (target: string, headers = '') =>
  `GET ${target} HTTP/1.1\r\nHost: gw\r\n${headers}Connection: close\r\n\r\n`;

const FORGED = 'X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Real-IP: 6.6.6.6\r\n';

describe('headers the gateway takes from its callers (finding 7)', () => {
  it('replaces X-Forwarded-For and -Proto and drops X-Real-IP from an untrusted caller', async () => {
    const { upstream, gateway } = await gatewayWith();
    const answer = await exchange(gateway.port, request('/gateway/color/color', FORGED));
    expect(answer.statuses).toEqual([200]);
    const seen = upstream.requests[0]!.headers;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-real-ip']).toBeUndefined();
  });

  it('keeps them from a peer in TRUST_FORWARDED_FROM, appending itself to X-Forwarded-For', async () => {
    const { upstream, gateway } = await gatewayWith({ TRUST_FORWARDED_FROM: '127.0.0.0/8' });
    await exchange(gateway.port, request('/gateway/color/color', FORGED));
    const seen = upstream.requests[0]!.headers;
    expect(seen['x-forwarded-for']).toBe('6.6.6.6, 127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(seen['x-real-ip']).toBe('6.6.6.6');
  });

  it.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`],
    ['an all-zero parent id', `00-${'1'.repeat(32)}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${'1'.repeat(32)}-${'1'.repeat(16)}-01`],
  ])('starts a new trace instead of forwarding a traceparent with %s', async (_what, forbidden) => {
    const { upstream, gateway } = await gatewayWith();
    await exchange(gateway.port, request('/gateway/color/color', `traceparent: ${forbidden}\r\n`));
    const sent = upstream.requests[0]!.headers['traceparent'];
    expect(sent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    expect(sent).not.toBe(forbidden);
  });

  it.each([
    ['a #fragment', '/gateway/color/color#top'],
    ['absolute-form to the gateway itself', 'http://gw/gateway/color/color'],
    ['absolute-form to another host', 'http://example.com/gateway/color/color'],
    ['absolute-form to a page route', 'http://example.com/'],
    ['absolute-form to the version route', 'http://gw/gateway/version'],
  ])('answers 400 to a request target with %s, calling nobody', async (_what, target) => {
    const { upstream, gateway } = await gatewayWith();
    const answer = await exchange(gateway.port, request(target));
    expect(answer.statuses).toEqual([400]);
    expect(upstream.requests).toHaveLength(0);
  });
});
