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
 * `count` distinct ports that were free on loopback a moment ago, chosen by the OS. All are held
 * open until every one is known, so that none is handed out twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<Server>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
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
