// A local router process: one service's traffic split across its versions (header and cookie
// routes first, then weights), through the same proxy as the gateway.
import {
  createServiceApp,
  env,
  loadConfig,
  registerProxy,
  runService,
  serverSettings,
} from '@color-teller/service-kit';
import { ROUTER_CONFIG_ENV } from '../plan';
import { createVersionChooser } from './choose';
import { routerConfigVariable } from './config';

const config = loadConfig({
  ...serverSettings(0),
  [ROUTER_CONFIG_ENV]: routerConfigVariable,
  UPSTREAM_CONNECT_TIMEOUT_MS: env.integer({ min: 1, max: 600_000, fallback: 2000 }),
  UPSTREAM_RESPONSE_TIMEOUT_MS: env.integer({ min: 1, max: 600_000, fallback: 5000 }),
});
const plan = config[ROUTER_CONFIG_ENV];
const upstreams = new Map(plan.upstreams.map((u) => [u.name, new URL(u.url)]));
const choose = createVersionChooser(plan.upstreams, plan.routes);

const app = createServiceApp({ name: `${plan.service}-router`, logLevel: config.LOG_LEVEL });
await registerProxy(app, {
  prefix: '',
  upstream: (request) => upstreams.get(choose(request.headers))!,
  connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
});
await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
