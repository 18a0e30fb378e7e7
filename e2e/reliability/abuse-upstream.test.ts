import { afterEach, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { exchange } from './support/exchange';
import { connect } from './support/raw-http';
import { rawUpstream, stalledUpstream, type StandInUpstream } from './support/stand-in-upstream';
import { sleep } from './support/traffic';

// Short, so that every test here ends within a few seconds.
const deadlineMs = 1500;
// The gateway checks its deadlines to the millisecond; this is for a loaded machine.
const slackMs = 1500;

const started: { stop(): Promise<unknown> }[] = [];
const stand = <T extends { stop(): Promise<unknown> }>(thing: T): T => (started.push(thing), thing);
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.stop();
});

async function gatewayIn(front: StandInUpstream): Promise<ServiceProcess> {
  stand({ stop: () => front.close() });
  return stand(
    await startService('client', {
      env: { COLOR_BACKEND: front.url, UPSTREAM_RESPONSE_TIMEOUT_MS: String(deadlineMs) },
    }),
  );
}

const get = (path: string) =>
  `GET /gateway/color${path} HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n`;

describe('the gateway against a hostile or stalled upstream', () => {
  it('passes a POST with Expect: 100-continue on and returns the upstream answer (finding 3)', async () => {
    const upstream = await stalledUpstream((request, response) => {
      request.resume();
      request.on('end', () => response.end('{"seen":true}'));
    });
    const gateway = await gatewayIn(upstream);
    const answer = await exchange(
      gateway.port,
      'POST /gateway/color/color HTTP/1.1\r\nHost: gw\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\nhello',
    );
    expect(answer.statuses).toEqual([200]);
    expect(answer.text).toContain('{"seen":true}');
  });

  it('passes a 304 with Content-Length on as a 304 (finding 6)', async () => {
    const gateway = await gatewayIn(
      await rawUpstream(
        'HTTP/1.1 304 Not Modified\r\nContent-Type: application/json\r\nContent-Length: 13\r\nETag: "a"\r\n\r\n',
      ),
    );
    const answer = await exchange(gateway.port, get('/color'));
    expect(answer.statuses).toEqual([304]);
  });

  it.each([
    ['an invalid status line', 'HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}'],
    [
      'a header value with a bare CR',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Odd: a\rb\r\n\r\n{}',
    ],
    ['a header name with a space', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX Odd: a\r\n\r\n{}'],
    ['a Content-Length that is not a number', 'HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\n{}'],
    [
      'a body shorter than its Content-Length',
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{}',
    ],
    [
      'a control character in a header value',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Odd: a\x01b\r\n\r\n{}',
    ],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['a status above 599', 'HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\n{}'],
    [
      'a 1xx status as the final answer',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n',
    ],
    ['a header with no name', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n: empty\r\n\r\n{}'],
  ])('answers 502, not 500, to an upstream answer with %s (finding 6)', async (_what, answer) => {
    const gateway = await gatewayIn(await rawUpstream(answer));
    const result = await exchange(gateway.port, get('/color'), deadlineMs + slackMs);
    expect(result.statuses).toEqual([502]);
  });

  it('ends an answer that drips one byte at a time at the per-request deadline (finding 5)', async () => {
    const upstream = await stalledUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // Each byte comes well within any idle timeout; only a whole-request deadline ends it.
      const drip = setInterval(() => response.write('.'), 300);
      response.on('close', () => clearInterval(drip));
    });
    const gateway = await gatewayIn(upstream);
    const result = await exchange(gateway.port, get('/color'), deadlineMs + slackMs + 2000);
    expect(result.closed).toBe(true);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 100);
    expect(result.elapsedMs).toBeLessThan(deadlineMs + slackMs);
  });

  it('sends nothing upstream for requests whose client left, and aborts those in flight (finding 4)', async () => {
    const upstream = await stalledUpstream();
    const gateway = await gatewayIn(upstream);
    const clients = 200;
    const sockets = await Promise.all(Array.from({ length: clients }, () => connect(gateway.port)));
    for (const socket of sockets) {
      socket.on('error', () => {});
      socket.write(get('/color'));
    }
    await sleep(500);
    const sentWhileConnected = upstream.received();
    for (const socket of sockets) socket.destroy();
    // Past the deadline of the calls in flight: a gateway that still holds the queued ones sends them now.
    await sleep(deadlineMs + slackMs);
    expect(sentWhileConnected).toBeGreaterThan(0);
    expect(upstream.received()).toBe(sentWhileConnected);
  });
});
