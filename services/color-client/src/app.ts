import { createServiceApp } from '@color-teller/service-kit';
import type { ServiceServer } from '@color-teller/service-kit/server';
import type { FastifyInstance } from 'fastify';

import { startGateway, type GatewayOptions } from './gateway';
import { isPageBuilt, pageFallback, registerPage } from './page';

export interface PageAppOptions {
  /** Shown by `GET /gateway/version`. */
  readonly version: string;
  /** The built page (`web/dist`); when it holds no index.html only the gateway API is served. */
  readonly staticDir: string;
}

export type ClientAppOptions = GatewayOptions & PageAppOptions;

/**
 * What the gateway serves besides the proxy: `/gateway/version`, `/health` and the page, as a
 * fastify app on the gateway's server. Ready when this resolves.
 */
export async function buildPageApp(
  server: ServiceServer,
  options: PageAppOptions,
): Promise<FastifyInstance> {
  const pageBuilt = isPageBuilt(options.staticDir);
  const app = createServiceApp({
    name: 'color-client',
    server,
    ...(pageBuilt ? { onNotFound: pageFallback } : {}),
  });
  const version = { version: options.version };
  app.get('/gateway/version', async () => version);
  app.get('/health', async () => ({ status: 'up' }));
  if (pageBuilt) await registerPage(app, options.staticDir);
  else {
    app.log.warn(
      { staticDir: options.staticDir },
      'page not built (no index.html): serving the gateway API only; build it with `npm run build:web -w @color-teller/color-client`',
    );
  }
  return app;
}

/** The article's color-teller-client: a gateway to the backend plus the page. Built without listening. */
export async function buildClientApp(options: ClientAppOptions): Promise<FastifyInstance> {
  return buildPageApp(await startGateway(options), options);
}
