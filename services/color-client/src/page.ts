import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathOf } from '@color-teller/service-kit/server';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// Vite puts content-hashed files under /assets/: their name changes when they do.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// Everything else (index.html, favicon) is revalidated, so a deploy shows at once.
const REVALIDATE = 'no-cache';

/** Whether `staticDir` holds a built page. */
export function isPageBuilt(staticDir: string): boolean {
  return existsSync(join(staticDir, 'index.html'));
}

/** A client-side route of the page: GET of a path that is not the API, not an asset, not a file. */
export function isPageRoute(method: string, url: string): boolean {
  const path = pathOf(url);
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/gateway' || path.startsWith('/gateway/') || path.startsWith('/assets/')) {
    return false;
  }
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}

/** The not-found answer when the page is served: its HTML for client routes, else JSON 404/405. */
export function pageFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return isPageRoute(request.method, request.url)
    ? reply.sendFile('index.html')
    : reply.sendNotFound();
}

/** Serves the built page's files from `staticDir`; hashed assets are cached for good. */
export async function registerPage(app: FastifyInstance, staticDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: staticDir,
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (reply, path) => {
      const isAsset = path.startsWith(join(staticDir, 'assets'));
      reply.header('cache-control', isAsset ? IMMUTABLE : REVALIDATE);
    },
  });
}
