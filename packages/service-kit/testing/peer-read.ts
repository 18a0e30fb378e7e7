import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

const ESTABLISHED = '01';

/** The bytes waiting unread in the server's end of `socket`, from Linux's /proc/net/tcp; undefined until it exists. */
function unreadByServer(socket: Socket): number | undefined {
  const serverPort = socket.remotePort?.toString(16).toUpperCase().padStart(4, '0');
  const clientPort = socket.localPort?.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local = '', remote = '', state, queues = ''] = line.trim().split(/\s+/);
    if (local.endsWith(`:${serverPort}`) && remote.endsWith(`:${clientPort}`)) {
      if (state !== ESTABLISHED) return undefined;
      return parseInt(queues.split(':')[1] ?? '', 16);
    }
  }
  return undefined;
}

/**
 * Resolves once the server has read everything sent on `socket` (IPv4 loopback, Linux): a
 * flushed write only says the bytes left this process, not that the server has seen them.
 */
export async function untilServerHasRead(socket: Socket, deadlineMs = 5_000): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (unreadByServer(socket) !== 0) {
    if (performance.now() > deadline) {
      throw new Error(`the server did not read what was sent within ${deadlineMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
