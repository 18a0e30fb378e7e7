import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface StandInUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests whose headers arrived so far. */
  received(): number;
  close(): Promise<void>;
}

async function listening(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * An HTTP upstream that receives every request and answers none: a stalled (SIGSTOPped) backend
 * whose connections still open. `onRequest` may answer some anyway.
 */
export async function stalledUpstream(
  onRequest?: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<StandInUpstream> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    received += 1;
    onRequest?.(request, response);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listening(server);
  return { url, received: () => received, close: closer(server, sockets) };
}

/** An upstream that answers every request with `answer`, raw bytes that node:http would refuse to write. */
export async function rawUpstream(answer: string): Promise<StandInUpstream> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      head = '';
      received += 1;
      // One answer a connection, then closed: what it sent is all there is.
      socket.end(answer);
    });
  });
  const url = await listening(server);
  return { url, received: () => received, close: closer(server, sockets) };
}
