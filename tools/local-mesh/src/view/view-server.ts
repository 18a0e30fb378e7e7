import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { LocalMeshError } from '../errors';
import { LOOPBACK } from '../ports';
import { handleFaultControl, type FaultControls } from './fault-control';
import type { MeshView } from './mesh-view';
import { VIEW_PAGE } from './page';

export interface ViewServer {
  readonly url: string;
  close(): Promise<void>;
}

// An OTLP batch of the services' spans is a few kB; anything far larger is refused.
const MAX_OTLP_BYTES = 1024 * 1024;
const PUSH_EVERY_MS = 1000;

/**
 * Serves the live view on loopback: the page, its server-sent events (a snapshot a second),
 * a trace's spans, an OTLP/HTTP JSON receiver at `/v1/traces` for the services' exporters, and
 * the fault control at `/faults` when `faults` is given.
 */
export async function startViewServer(
  view: MeshView,
  port: number,
  faults?: FaultControls,
): Promise<ViewServer> {
  const listeners = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'GET' && path === '/') return sendPage(response);
    if (request.method === 'GET' && path === '/events') return subscribe(response, listeners, view);
    if (request.method === 'GET' && path.startsWith('/traces/')) {
      return sendJson(response, 200, view.trace(path.slice('/traces/'.length)));
    }
    if (request.method === 'POST' && path === '/v1/traces')
      return receiveOtlp(request, response, view);
    if (faults && path === '/faults' && (request.method === 'POST' || request.method === 'DELETE'))
      return handleFaultControl(request, response, faults);
    sendJson(response, 404, { error: 'not_found' });
  });
  const timer = setInterval(() => {
    if (listeners.size === 0) return;
    const event = `data: ${JSON.stringify(view.snapshot())}\n\n`;
    for (const listener of listeners) listener.write(event);
  }, PUSH_EVERY_MS);
  server.listen({ host: LOOPBACK, port });
  try {
    await once(server, 'listening');
  } catch (error) {
    clearInterval(timer);
    throw new LocalMeshError(
      `the live view cannot listen on port ${port}: ${(error as Error).message}; free it or pass --no-live-view`,
    );
  }
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${LOOPBACK}:${bound}`,
    close: async () => {
      clearInterval(timer);
      for (const listener of listeners) listener.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function sendPage(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(VIEW_PAGE);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function subscribe(response: ServerResponse, listeners: Set<ServerResponse>, view: MeshView): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(`data: ${JSON.stringify(view.snapshot())}\n\n`);
  listeners.add(response);
  response.on('close', () => listeners.delete(response));
}

function receiveOtlp(request: IncomingMessage, response: ServerResponse, view: MeshView): void {
  if (!(request.headers['content-type'] ?? '').includes('json')) {
    request.resume();
    return sendJson(response, 415, { error: 'send OTLP/HTTP as JSON (application/json)' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_OTLP_BYTES) {
      sendJson(response, 413, { error: `an export may hold at most ${MAX_OTLP_BYTES} bytes` });
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    try {
      view.ingestOtlp(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      sendJson(response, 200, {});
    } catch {
      sendJson(response, 400, { error: 'the body is not JSON' });
    }
  });
}
