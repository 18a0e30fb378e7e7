import {
  callerRetryInterceptors,
  loadConfig,
  runService,
  startTracing,
  startUpstreamSigning,
} from '@color-teller/service-kit/server';
import { clientSettings } from './config';
import { startGateway } from './gateway';

const config = loadConfig(clientSettings);
const gateway = await startGateway({
  colorBackend: config.COLOR_BACKEND,
  connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  trustForwardedFrom: config.TRUST_FORWARDED_FROM,
  logLevel: config.LOG_LEVEL,
  headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  tracing: await startTracing('color-client'),
  upstreamHeaders: await startUpstreamSigning(config.UPSTREAM_SIGV4_SERVICE),
  upstreamInterceptors: callerRetryInterceptors(
    config.UPSTREAM_RETRIES,
    config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  ),
});
// The proxied route answers from here. Fastify and the page (the version, health and page
// routes) load when one of those is first asked for, or a second after start.
gateway.buildAppWhenNeeded(async () => {
  try {
    const { buildPageApp } = await import('./app');
    await (
      await buildPageApp(gateway, { version: config.VERSION, staticDir: config.STATIC_DIR })
    ).ready();
  } catch (error) {
    gateway.log.fatal({ err: error }, 'the page app could not be built');
    gateway.log.flush();
    process.exit(1);
  }
}, 1_000);
await runService({
  app: gateway,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
