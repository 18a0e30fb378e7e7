import { loadConfig, runService, startTracing } from '@color-teller/service-kit';
import { buildBackendApp } from './app';
import { backendSettings } from './config';

const config = loadConfig(backendSettings);
await runService({
  app: buildBackendApp({
    color: config.COLOR,
    logLevel: config.LOG_LEVEL,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    tracing: await startTracing('color-backend'),
  }),
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
