import net from 'node:net';

/** Opens a TCP connection to a loopback port. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `request` as raw bytes on a new connection and returns the response's status code, or
 * 0 when the server closed the connection without an answer. Gives up after `timeoutMs`.
 */
export async function rawRequest(port: number, request: string, timeoutMs = 3000): Promise<number> {
  const socket = await connect(port);
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(request.slice(0, 200))}`),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve(match ? Number(match[1]) : 0);
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // The status line is all we need.
      if (/\r\n/.test(received)) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(request);
  });
}

/** Resolves when the server has closed `socket` (end or reset), with whatever it sent. */
export function closedByServer(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}
