// Peer: express 5 with http-proxy-middleware, mounted as its README shows.
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { listen } from './listen';

export function startHttpProxyMiddleware(
  upstream: string,
  port: number,
): Promise<() => Promise<void>> {
  const app = express();
  app.use('/', createProxyMiddleware({ target: upstream, changeOrigin: true }));
  return listen(app, port);
}
