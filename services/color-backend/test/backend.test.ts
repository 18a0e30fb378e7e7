import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildBackendApp } from '../src/app';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(color = 'blue'): Promise<URL> {
  app = buildBackendApp({ color, logLevel: 'silent' });
  return new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
}

describe('color-backend', () => {
  it('tells its color on GET /color', async () => {
    const base = await start('red');
    const response = await fetch(new URL('/color', base));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ color: 'red' });
  });

  it('says it is up on GET /health', async () => {
    const base = await start();
    const response = await fetch(new URL('/health', base));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up' });
  });

  it('answers HEAD on both paths', async () => {
    const base = await start();
    for (const path of ['/color', '/health']) {
      expect((await fetch(new URL(path, base), { method: 'HEAD' })).status).toBe(200);
    }
  });

  it('answers 405 JSON naming the method and path for any other method', async () => {
    const base = await start();
    for (const path of ['/color', '/health']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        const response = await fetch(new URL(path, base), { method });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, HEAD');
        expect(await response.json()).toMatchObject({ error: 'method_not_allowed', method, path });
      }
    }
  });

  it('answers 404 JSON for any other path', async () => {
    const base = await start();
    for (const path of ['/', '/colors', '/color/extra', '/gateway/color/color']) {
      const response = await fetch(new URL(path, base));
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found', path });
    }
  });

  it('tells browsers not to sniff content types', async () => {
    const base = await start();
    const response = await fetch(new URL('/color', base));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
