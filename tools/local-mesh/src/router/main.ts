// A local router process: one service's traffic split across its versions (header and cookie
// routes first, then weights), through the same proxy as the gateway.
import {
  createServiceApp,
  loadConfig,
  registerProxy,
  runService,
  serverSettings,
  startTracing,
  upstreamSettings,
} from '@color-teller/service-kit';
import { ROUTER_CONFIG_ENV } from '../plan';
import { routerConfigVariable } from './config';
import { followRouterFile, routingOf } from './live-config';
import { measureRequests } from './measure';

const config = loadConfig({
  ...serverSettings(0),
  [ROUTER_CONFIG_ENV]: routerConfigVariable,
  ...upstreamSettings(),
});
const plan = config[ROUTER_CONFIG_ENV];
let routing = routingOf(plan);

const name = `${plan.service}-router`;
const app = createServiceApp({
  name,
  logLevel: config.LOG_LEVEL,
  headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  tracing: await startTracing(name),
});
const meter = measureRequests(app, plan.service);
await registerProxy(app, {
  prefix: '',
  upstream: (request) => {
    const version = routing.choose(request.headers);
    meter.chose(request, version);
    return routing.upstreams.get(version)!;
  },
  connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  trustForwardedFrom: config.TRUST_FORWARDED_FROM,
});
// The runner rewrites this file when the topology's weights or routes change: no restart.
followRouterFile(process.env, (next) => (routing = next), app.log);
await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
