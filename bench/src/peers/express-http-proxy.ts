// Peer: the article's choice, express-http-proxy on express, mounted as its README shows.
import express from 'express';
import proxy from 'express-http-proxy';
import { listen } from './listen';

export function startExpressHttpProxy(
  upstream: string,
  port: number,
): Promise<() => Promise<void>> {
  const app = express();
  app.use('/', proxy(upstream));
  return listen(app, port);
}
