// One calling service's egress forwarder: its declared externals under /<name>, over HTTPS
// (certificates checked), through the same proxy as the gateway; any other name gets 403.
import {
  createServiceApp,
  loadConfig,
  registerProxy,
  runService,
  serverSettings,
  startTracing,
  upstreamSettings,
} from '@color-teller/service-kit';
import { EGRESS_CONFIG_ENV, egressConfigVariable } from './config';
import { EGRESS_HEALTH_PATH } from './health';
import { egressRefusal, externalNameOf } from './refusal';

const config = loadConfig({
  ...serverSettings(0),
  [EGRESS_CONFIG_ENV]: egressConfigVariable,
  ...upstreamSettings(),
});
const plan = config[EGRESS_CONFIG_ENV];

const name = `${plan.caller}-egress`;
const app = createServiceApp({
  name,
  logLevel: config.LOG_LEVEL,
  headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  tracing: await startTracing(name),
  onNotFound: (request, reply) =>
    reply.code(403).send(egressRefusal(plan, externalNameOf(request.raw.url ?? ''))),
});
app.get(EGRESS_HEALTH_PATH, async () => ({ status: 'up' }));
for (const external of plan.externals) {
  const baseUrl = new URL(external.baseUrl);
  await registerProxy(app, {
    prefix: `/${external.name}`,
    upstream: () => baseUrl,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  });
}
await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
