import { loadConfig, runService, startTracing } from '@color-teller/service-kit';
import { buildBackendApp } from './app';
import { knownHexOf } from './color-hex';
import { backendSettings } from './config';

const config = loadConfig(backendSettings);
// Loaded only when configured: its HTTP client costs start-up time a backend without it never needs.
const colorNames = config.COLORNAMES_BACKEND && {
  client: (await import('./color-name')).createColorNameClient({
    baseUrl: config.COLORNAMES_BACKEND,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  }),
  // The config check has made sure one of the two is there.
  hex: config.COLOR_HEX ?? knownHexOf(config.COLOR)!,
};
await runService({
  app: buildBackendApp({
    color: config.COLOR,
    logLevel: config.LOG_LEVEL,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    tracing: await startTracing('color-backend'),
    ...(colorNames ? { colorNames } : {}),
  }),
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
