// Peer: fastify 5 with @fastify/http-proxy, registered as its README shows.
import Fastify from 'fastify';
import proxy from '@fastify/http-proxy';

export async function startFastifyHttpProxy(
  upstream: string,
  port: number,
): Promise<() => Promise<void>> {
  const app = Fastify({ logger: false });
  await app.register(proxy, { upstream });
  await app.listen({ host: '127.0.0.1', port });
  return () => app.close();
}
