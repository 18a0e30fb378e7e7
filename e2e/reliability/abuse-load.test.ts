import { afterEach, describe, expect, it } from 'vitest';
import {
  readRssMb,
  startBackendAndGateway,
  startService,
} from '../../bench/src/harness/service-process';
import { get } from '../../bench/src/harness/http-probe';
import { finalStatuses } from './support/exchange';
import { connect } from './support/raw-http';
import { stalledUpstream } from './support/stand-in-upstream';
import { sleep } from './support/traffic';

// The app container's hard limit in the cloud is 192 MiB; stay well under it.
const RSS_LIMIT_MB = 150;

const started: { stop(): Promise<unknown> }[] = [];
const stand = <T extends { stop(): Promise<unknown> }>(thing: T): T => (started.push(thing), thing);
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.stop();
});

/** The highest RSS of `pid` over `ms`, sampled every 100 ms from /proc. */
async function peakRssMb(pid: number, ms: number): Promise<number> {
  let peak = 0;
  for (const until = performance.now() + ms; performance.now() < until; await sleep(100)) {
    peak = Math.max(peak, await readRssMb(pid));
  }
  return peak;
}

const GET_COLOR = 'GET /gateway/color/color HTTP/1.1\r\nHost: gw\r\n\r\n';

describe('the gateway under abusive load', () => {
  it('keeps its RSS under the limit with 400 connections holding a half-sent 1 MB body (finding 1)', async () => {
    const system = stand(await startBackendAndGateway());
    const bodyBytes = 1_000_000;
    const connections = 400;
    const allButLast = Buffer.alloc(bodyBytes - 1, 'x');
    const sockets = await Promise.all(
      Array.from({ length: connections }, () => connect(system.client.port)),
    );
    const received = sockets.map(() => '');
    sockets.forEach((socket, i) => {
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => (received[i] += chunk.toString('latin1')));
      socket.write(
        `POST /gateway/color/color HTTP/1.1\r\nHost: gw\r\nContent-Type: text/plain\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
      );
      // The same buffer each time: the test itself holds one copy.
      socket.write(allButLast);
    });
    const peak = await peakRssMb(system.client.pid, 3000);
    const health = await get(`${system.client.url}/health`, { timeoutMs: 5000 });
    for (const socket of sockets) socket.destroy();

    expect(peak, `gateway peak RSS ${peak.toFixed(1)} MB`).toBeLessThan(RSS_LIMIT_MB);
    expect(health.status).toBe(200);
    expect(system.client.isAlive()).toBe(true);
    // Whoever got an answer early got a refusal or the backend's own, never a gateway failure.
    const early = received.flatMap((text) => finalStatuses(text));
    expect(early.filter((status) => status === 500 || status === 502)).toEqual([]);
  });

  it('keeps its RSS under the limit when one write pipelines 50,000 requests (finding 2)', async () => {
    const system = stand(await startBackendAndGateway());
    const socket = await connect(system.client.port);
    socket.on('error', () => {});
    let answers = '';
    socket.on('data', (chunk: Buffer) => (answers += chunk.toString('latin1')));
    socket.write(GET_COLOR.repeat(50_000));
    const peak = await peakRssMb(system.client.pid, 3000);
    socket.destroy();
    expect(peak, `gateway peak RSS ${peak.toFixed(1)} MB`).toBeLessThan(RSS_LIMIT_MB);
    const statuses = finalStatuses(answers);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });

  it('sends at most 8 of one connection’s pipelined requests upstream at once (finding 2)', async () => {
    const upstream = await stalledUpstream();
    stand({ stop: () => upstream.close() });
    const gateway = stand(await startService('client', { env: { COLOR_BACKEND: upstream.url } }));
    const socket = await connect(gateway.port);
    socket.on('error', () => {});
    socket.write(GET_COLOR.repeat(1000));
    await sleep(1000);
    socket.destroy();
    expect(upstream.received()).toBeGreaterThan(0);
    expect(upstream.received(), 'calls sent upstream').toBeLessThanOrEqual(8);
  });

  it('answers 300 concurrent callers of a stalled backend within the deadline, shedding the excess with a fast 503 (finding 4)', async () => {
    const deadlineMs = 2000;
    const upstream = await stalledUpstream();
    stand({ stop: () => upstream.close() });
    const gateway = stand(
      await startService('client', {
        env: { COLOR_BACKEND: upstream.url, UPSTREAM_RESPONSE_TIMEOUT_MS: String(deadlineMs) },
      }),
    );
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const startedAt = performance.now();
        const response = await get(`${gateway.url}/gateway/color/color`, { timeoutMs: 8000 });
        return { ...response, ms: performance.now() - startedAt };
      }),
    );
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const shed = outcomes.filter((o) => o.status === 503);
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([503, 504]));
    // The deadline counts from the call, so a queued call gets its 504 in time too.
    expect(slowest, `slowest answer after ${Math.round(slowest)} ms`).toBeLessThan(
      deadlineMs + 2500,
    );
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.every((o) => o.headers['retry-after'] === '1')).toBe(true);
    expect(Math.max(...shed.map((o) => o.ms))).toBeLessThan(1500);
  });
});
