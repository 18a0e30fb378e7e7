import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatedListener } from '../src/request-gate';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A server that answers every request `200 <url>` after `delayMs`, behind the gate; `seen` lists what reached it. */
async function gatedServer(limit: number, delayMs = 0): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer(
    gatedListener((request, response) => {
      seen.push(request.url ?? '');
      setTimeout(() => response.end(`app ${request.url}`), delayMs);
    }, limit),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

/** Writes `requests` in one go on one connection and returns all it reads until the server closes it (or `untilText` arrives). */
function exchange(port: number, requests: string, untilText?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (untilText !== undefined && text.includes(untilText)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(requests);
  });
}

function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
}

const get = (target: string) => `GET ${target} HTTP/1.1\r\nHost: service\r\n\r\n`;

describe('gatedListener', () => {
  it('refuses an absolute-form target with 400 JSON, closes, and never calls the app', async () => {
    const { port, seen } = await gatedServer(8);
    const text = await exchange(port, get('http://169.254.169.254/latest/meta-data'));
    expect(statuses(text)).toEqual([400]);
    expect(text).toMatch(/content-type: application\/json/i);
    expect(text).toMatch(/connection: close/i);
    expect(text).not.toMatch(/retry-after/i);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(text).toMatch(new RegExp(`content-length: ${Buffer.byteLength(body)}\\r\\n`, 'i'));
    expect(JSON.parse(body)).toEqual({
      error: 'bad_request',
      message: 'the request target must be a path starting with / and without a #fragment',
    });
    expect(seen).toEqual([]);
  });

  it('refuses a target with a #fragment, and one that does not start with /', async () => {
    const { port, seen } = await gatedServer(8);
    expect(statuses(await exchange(port, get('/color#x')))).toEqual([400]);
    expect(statuses(await exchange(port, get('color')))).toEqual([400]);
    expect(seen).toEqual([]);
  });

  it('passes paths and OPTIONS * to the app', async () => {
    const { port, seen } = await gatedServer(8);
    const close = 'Connection: close\r\n';
    const path = await exchange(port, `GET /color?x=1 HTTP/1.1\r\nHost: s\r\n${close}\r\n`);
    expect(statuses(path)).toEqual([200]);
    expect(path).toContain('app /color?x=1');
    const star = await exchange(port, `OPTIONS * HTTP/1.1\r\nHost: s\r\n${close}\r\n`);
    expect(statuses(star)).toEqual([200]);
    expect(seen).toEqual(['/color?x=1', '*']);
  });

  it('answers the pipelined requests up to the limit, then 503 with Retry-After, and closes', async () => {
    const { port, seen } = await gatedServer(2, 50);
    const text = await exchange(port, get('/1') + get('/2') + get('/3') + get('/4'));
    expect(statuses(text)).toEqual([200, 200, 503]);
    expect(text).toContain('app /1');
    expect(text).toContain('app /2');
    expect(text).toMatch(/retry-after: 1\r\n/i);
    expect(text).toContain(
      '{"error":"too_many_requests_on_connection","message":"too many pipelined requests on one connection: wait for answers, or open another"}',
    );
    expect(seen).toEqual(['/1', '/2']);
  });

  it('counts only the requests still unanswered: one at a time stays under a limit of one', async () => {
    const { port, seen } = await gatedServer(1);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    for (const n of [1, 2, 3]) {
      socket.write(get(`/${n}`));
      await new Promise<void>((resolve) => {
        const check = () => (text.includes(`app /${n}`) ? resolve() : setTimeout(check, 5));
        check();
      });
    }
    socket.destroy();
    expect(statuses(text)).toEqual([200, 200, 200]);
    expect(seen).toEqual(['/1', '/2', '/3']);
  });

  it('counts each connection on its own', async () => {
    const { port } = await gatedServer(1, 50);
    const [first, second] = await Promise.all([
      exchange(port, get('/a'), 'app /a'),
      exchange(port, get('/b'), 'app /b'),
    ]);
    expect(statuses(first)).toEqual([200]);
    expect(statuses(second)).toEqual([200]);
  });
});
