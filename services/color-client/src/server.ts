import {
  callerRetryInterceptors,
  loadConfig,
  runService,
  startTracing,
  startUpstreamSigning,
} from '@color-teller/service-kit';
import { buildClientApp } from './app';
import { clientSettings } from './config';

const config = loadConfig(clientSettings);
const app = await buildClientApp({
  colorBackend: config.COLOR_BACKEND,
  version: config.VERSION,
  staticDir: config.STATIC_DIR,
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
await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
