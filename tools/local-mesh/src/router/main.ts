// A local router process: one service's traffic split across its versions (header and cookie
// routes first, then weights), through the same proxy as the gateway. It also applies the
// service's traffic policy: it retries and ejects where it picks a version, and injects the
// faults of the version it picked (see docs/traffic-policy.md).
import {
  createServiceApp,
  faultInterceptor,
  loadConfig,
  outcomeInterceptor,
  registerProxy,
  retryInterceptor,
  runService,
  serverSettings,
  startTracing,
  upstreamSettings,
} from '@color-teller/service-kit';
import { RetryBudget } from '@color-teller/topology';
import { ROUTER_CONFIG_ENV } from '../plan';
import { sendToRunner } from './channel';
import { routerConfigVariable } from './config';
import { followRouterFile, routingOf, type Routing } from './live-config';
import { measureRequests } from './measure';
import { OutlierTracker } from './outliers';
import { RetryTally } from './retry-tally';

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

// One budget and one ejection state for the service, kept across plan edits.
const budget = new RetryBudget();
const versionsOf = (r: Routing) => [...r.upstreams.keys()];
// The view learns of ejections and retries over the typed channel; the log line is for people.
const outliers = new OutlierTracker(routing.outlierDetection, versionsOf(routing), (event) => {
  sendToRunner({ type: 'ejection', service: plan.service, event });
  app.log.warn(
    { service: plan.service, ...event },
    event.kind === 'ejected' ? 'version ejected' : 'version returned',
  );
});
const tally = new RetryTally((figures) =>
  sendToRunner({ type: 'retries', service: plan.service, ...figures }),
);
type Headers = Parameters<Routing['choose']>[0];
const pick = (headers: Headers) =>
  routing.upstreams.get(routing.choose(headers, (version) => outliers.isEjected(version)))!;

await registerProxy(app, {
  prefix: '',
  upstream: (request) => {
    tally.call();
    const upstream = pick(request.headers);
    // The view counts the edge to the version picked first; a retry's new pick is tallied apart.
    meter.chose(request, routing.versionOf.get(upstream.origin)!);
    return upstream;
  },
  onAnswered: meter.answered,
  connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  responseTimeoutMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
  trustForwardedFrom: config.TRUST_FORWARDED_FROM,
  // Innermost first: faults act as the version's own failures, which ejection and retries see.
  interceptors: [
    faultInterceptor((origin) => routing.faultsOf.get(origin)),
    outcomeInterceptor((origin, ok) => {
      const version = routing.versionOf.get(origin);
      if (version !== undefined) outliers.record(version, ok);
    }),
    retryInterceptor({
      policyFor: () => routing.retries && { policy: routing.retries, budget },
      deadlineMs: config.UPSTREAM_RESPONSE_TIMEOUT_MS,
      // A retry picks a version again, by weight among those not ejected.
      nextOrigin: (previous) => {
        tally.retry();
        return pick((previous.headers ?? {}) as Headers).origin;
      },
    }),
  ],
});
// The runner rewrites this file when the topology's weights, routes or policy change: no restart.
followRouterFile(
  process.env,
  (next) => {
    routing = next;
    outliers.reconfigure(next.outlierDetection, versionsOf(next));
  },
  app.log,
);
app.addHook('onClose', async () => tally.stop());
await runService({
  app,
  host: config.HOST,
  port: config.PORT,
  drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
});
