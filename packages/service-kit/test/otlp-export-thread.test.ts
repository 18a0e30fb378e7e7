import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExportThread } from '../src/otlp-export-thread';
import { cleanupAfterEach } from '../testing';

const { defer } = cleanupAfterEach();

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** A stand-in collector that keeps each export's headers and bytes, and answers with `answer`. */
async function collector(answer: (response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      answer(response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  return { url, received };
}

function exportThread(url: string, compression: 'gzip' | 'none' = 'none') {
  const thread = new ExportThread({
    url,
    headers: async () => ({ 'content-type': 'application/x-protobuf', 'x-tenant': 'blue' }),
    compression,
  });
  defer(() => thread.shutdown());
  return thread;
}

const SPANS = new Uint8Array([10, 20, 30, 40]);

describe('ExportThread', () => {
  it("posts the export's bytes with its headers, and passes the collector's answer back", async () => {
    const { url, received } = await collector((response) => response.end('{"ok":1}'));
    const response = await exportThread(url).send(SPANS, 5_000);
    expect(response).toEqual({ status: 'success', data: new Uint8Array(Buffer.from('{"ok":1}')) });
    expect(received).toHaveLength(1);
    expect([...received[0]!.body]).toEqual([...SPANS]);
    expect(received[0]!.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'x-tenant': 'blue',
    });
  });

  it('compresses with gzip when told to, and says so', async () => {
    const { url, received } = await collector((response) => response.end());
    expect(await exportThread(url, 'gzip').send(SPANS, 5_000)).toEqual({ status: 'success' });
    expect(received[0]!.headers['content-encoding']).toBe('gzip');
    expect([...gunzipSync(received[0]!.body)]).toEqual([...SPANS]);
  });

  it("takes 429 and 5xx gateway answers as worth retrying, after the collector's Retry-After", async () => {
    const { url } = await collector((response) => {
      response.writeHead(503, { 'retry-after': '2' });
      response.end();
    });
    expect(await exportThread(url).send(SPANS, 5_000)).toEqual({
      status: 'retryable',
      retryInMillis: 2000,
    });
  });

  it.each([429, 502, 503, 504])('takes %i as worth retrying', async (status) => {
    const { url } = await collector((response) => {
      response.writeHead(status);
      response.end();
    });
    expect(await exportThread(url).send(SPANS, 5_000)).toStrictEqual({ status: 'retryable' });
  });

  it('reads a Retry-After given as a date, and ignores an empty one', async () => {
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    const retryAfters = [inThreeSeconds, ''];
    const { url } = await collector((response) => {
      response.writeHead(503, { 'retry-after': retryAfters.shift()! });
      response.end();
    });
    const thread = exportThread(url);
    const byDate = await thread.send(SPANS, 5_000);
    // An HTTP date has whole seconds: between 2 and 3 s from now.
    expect(byDate.status === 'retryable' && byDate.retryInMillis).toBeGreaterThan(1_000);
    expect(byDate.status === 'retryable' && byDate.retryInMillis).toBeLessThanOrEqual(3_000);
    expect(await thread.send(SPANS, 5_000)).toStrictEqual({ status: 'retryable' });
  });

  it('fails a 500 or a redirect for good: the same export would fail again', async () => {
    const statuses = [500, 300];
    const { url } = await collector((response) => {
      response.writeHead(statuses.shift()!);
      response.end();
    });
    const thread = exportThread(url);
    expect((await thread.send(SPANS, 5_000)).status).toBe('failure');
    expect((await thread.send(SPANS, 5_000)).status).toBe('failure');
  });

  it('answers an export whose thread died, and starts another thread for the next', async () => {
    // An address that is no URL makes the thread throw outside any handler, and die.
    const thread = exportThread('not a url');
    for (let i = 0; i < 2; i++) {
      const response = await thread.send(SPANS, 5_000);
      expect(response.status).toBe('retryable');
      expect(response.status === 'retryable' && response.error?.message).toBe(
        'no answer from not a url: the export thread failed: Invalid URL',
      );
    }
  });

  it('fails any other refusal, with the status and what the collector said', async () => {
    const { url } = await collector((response) => {
      response.writeHead(400);
      response.end('spans malformed');
    });
    const response = await exportThread(url).send(SPANS, 5_000);
    expect(response.status).toBe('failure');
    expect(response.status === 'failure' && response.error.message).toBe(
      `${url} answered 400: spans malformed`,
    );
  });

  it('takes no answer at all as worth retrying, and says why', async () => {
    const { url } = await collector((response) => response.destroy());
    const response = await exportThread(url).send(SPANS, 5_000);
    expect(response.status).toBe('retryable');
    expect(response.status === 'retryable' && response.error?.message).toMatch(
      new RegExp(`^no answer from ${url}: `),
    );
  });

  it('gives up on a collector that does not answer within the timeout', async () => {
    const { url } = await collector(() => {});
    const response = await exportThread(url).send(SPANS, 200);
    expect(response.status).toBe('retryable');
    expect(response.status === 'retryable' && response.error?.message).toBe(
      `no answer from ${url}: Error: timed out after 200 ms`,
    );
  });

  it('keeps the process up while an export is under way, and lets it exit once answered', async () => {
    // The first export is answered at once, the second after 300 ms.
    let exports = 0;
    const { url } = await collector((response) =>
      setTimeout(() => response.end(), ++exports === 1 ? 0 : 300),
    );
    const fixture = fileURLToPath(new URL('./fixtures/export-twice.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, COLLECTOR_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(killer);
    expect({ code, signal, output }).toEqual({
      code: 0,
      signal: null,
      output: 'success\nsuccess\n',
    });
  });
});
