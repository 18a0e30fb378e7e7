import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { LocalMeshError } from './errors';

export const LOOPBACK = '127.0.0.1';

/** Binds `port` on loopback and releases it: the port number it got, or the listen error. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The first port of the kernel's ephemeral range (Linux), or undefined elsewhere. The kernel
 * hands out ports from that range to every `listen(0)` and every outgoing connection, so a port
 * taken from it and released can be taken again before the service it was meant for binds it.
 */
function ephemeralRangeStart(): number | undefined {
  try {
    const start = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(start) && start > 1024 ? start : undefined;
  } catch {
    return undefined;
  }
}

// Below the ephemeral range, ports are chosen at random from this many: two runners rarely
// draw the same one, and nothing else takes one by itself.
const SPAN_BELOW_EPHEMERAL = 16_384;

/** Binds `port` on loopback and keeps it; undefined when it is taken. */
function hold(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => resolve(server));
  });
}

/**
 * `count` distinct ports that were free on loopback a moment ago. Where the kernel says which
 * ports it hands out by itself, they are drawn from below that range (so that no connection
 * takes one before the service binds it); elsewhere the OS chooses. All are held open until
 * every one is known, so that none is handed out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const rangeStart = ephemeralRangeStart();
  const lowest = rangeStart === undefined ? 0 : Math.max(1025, rangeStart - SPAN_BELOW_EPHEMERAL);
  const held: Server[] = [];
  try {
    for (let attempt = 0; held.length < count && attempt < count * 20; attempt++) {
      const port =
        rangeStart === undefined ? 0 : lowest + Math.floor(Math.random() * (rangeStart - lowest));
      const server = await hold(port);
      if (server) held.push(server);
    }
    if (held.length < count)
      throw new LocalMeshError(`could not find ${count} free ports on ${LOOPBACK}`);
    return held.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Fails with a one-line {@link LocalMeshError} when `port` is already taken on loopback. */
export async function assertPortFree(port: number, what: string, fix: string): Promise<void> {
  try {
    await probe(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new LocalMeshError(`Port ${port} (${what}) is already in use: ${fix}`);
    }
    if (code === 'EACCES') {
      throw new LocalMeshError(`Port ${port} (${what}) needs privileges this user lacks: ${fix}`);
    }
    throw error;
  }
}
