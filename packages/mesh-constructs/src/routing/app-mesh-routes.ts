/** App Mesh's routes of one service as plain data: the renderer maps versions to virtual nodes. */
import {
  cookieRouteRegex,
  outlierPolicyOf,
  retryPolicyOf,
  timeoutsOf,
  type RetryCondition,
  type ServiceSpec,
  type VersionRoute,
} from '@color-teller/topology';

/** App Mesh takes weights from 0 to 100. */
export const APP_MESH_MAX_WEIGHT = 100;

/** A request header equal to a value, or matching a regular expression. */
export interface AppMeshHeaderMatch {
  readonly name: string;
  readonly exact?: string;
  readonly regex?: string;
}

export interface AppMeshTarget {
  readonly version: string;
  readonly weight: number;
}

export interface AppMeshRetryPlan {
  readonly httpEvents: readonly ('server-error' | 'gateway-error')[];
  readonly tcpEvents: readonly 'connection-error'[];
  readonly attempts: number;
  readonly perTryTimeoutMs: number;
}

export interface AppMeshRoutePlan {
  /** The route's construct ID, stable across syntheses. */
  readonly id: string;
  /** Lower numbers match first. */
  readonly priority: number;
  readonly pathPrefix: string;
  /** Absent on the weighted default route. */
  readonly header?: AppMeshHeaderMatch;
  readonly targets: readonly AppMeshTarget[];
  readonly perRequestTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** The service's retries, on every route; absent when the topology sets none. */
  readonly retry?: AppMeshRetryPlan;
}

/**
 * Each retry condition as App Mesh's retry events: `server-error` is any 5xx and
 * `gateway-error` 502-504 (App Mesh API reference, HttpRetryPolicy); its one TCP event,
 * `connection-error`, covers both a refused and a broken connection.
 */
const APP_MESH_EVENTS: Readonly<
  Record<RetryCondition, { http?: 'server-error' | 'gateway-error'; tcp?: 'connection-error' }>
> = {
  '5xx': { http: 'server-error' },
  'gateway-error': { http: 'gateway-error' },
  reset: { tcp: 'connection-error' },
  'connect-failure': { tcp: 'connection-error' },
};

/** The topology's retries in App Mesh's terms; undefined when the service has none. */
export function appMeshRetryPlan(service: ServiceSpec): AppMeshRetryPlan | undefined {
  const policy = retryPolicyOf(service);
  if (!policy) return undefined;
  const events = policy.on.map((condition) => APP_MESH_EVENTS[condition]);
  const unique = <T>(values: (T | undefined)[]) =>
    [...new Set(values)].filter((v): v is T => v !== undefined);
  return {
    httpEvents: unique(events.map((e) => e.http)),
    tcpEvents: unique(events.map((e) => e.tcp)),
    attempts: policy.attempts,
    // App Mesh needs a per-retry timeout: without one of our own, a try may take the whole deadline.
    perTryTimeoutMs: policy.perTryTimeoutMs ?? timeoutsOf(service).perRequestMs,
  };
}

/** Envoy's default interval between ejection sweeps, which App Mesh requires to be set. */
export const APP_MESH_OUTLIER_INTERVAL_MS = 10_000;

/** App Mesh's listener outlier detection of the service's virtual nodes, or undefined. */
export function appMeshOutlierPlan(service: ServiceSpec) {
  const policy = outlierPolicyOf(service);
  return (
    policy && {
      maxServerErrors: policy.consecutive5xx,
      baseEjectionMs: policy.ejectMs,
      intervalMs: APP_MESH_OUTLIER_INTERVAL_MS,
      maxEjectionPercent: policy.maxEjectionPercent,
    }
  );
}

function headerMatchOf(route: VersionRoute): AppMeshHeaderMatch {
  if (route.whenHeader) {
    return { name: route.whenHeader.name.toLowerCase(), exact: route.whenHeader.equals };
  }
  return { name: 'cookie', regex: cookieRouteRegex(route.whenCookie!) };
}

/** The topology's routes in order, then the weighted default route; each with the service's retries. */
export function appMeshRoutes(service: ServiceSpec): AppMeshRoutePlan[] {
  const { perRequestMs, idleMs } = timeoutsOf(service);
  const retry = appMeshRetryPlan(service);
  const timeouts = {
    pathPrefix: '/',
    perRequestTimeoutMs: perRequestMs,
    idleTimeoutMs: idleMs,
    ...(retry ? { retry } : {}),
  };
  const routes = service.routes ?? [];
  const matches = routes.map((route, index) => ({
    id: `Match${index}`,
    priority: index,
    header: headerMatchOf(route),
    targets: [{ version: route.version, weight: 1 }],
    ...timeouts,
  }));
  const weighted: AppMeshRoutePlan = {
    id: 'Weighted',
    priority: routes.length,
    targets: service.versions.map((v) => ({ version: v.name, weight: v.weight ?? 1 })),
    ...timeouts,
  };
  return [...matches, weighted];
}

/** The service's weights App Mesh cannot take. */
export function appMeshWeightProblems(service: ServiceSpec): string[] {
  return service.versions
    .filter((version) => (version.weight ?? 1) > APP_MESH_MAX_WEIGHT)
    .map(
      (version) =>
        `service "${service.name}": version "${version.name}" has weight ${version.weight}; App Mesh takes weights from 0 to ${APP_MESH_MAX_WEIGHT}, scale the weights down (e.g. to percentages)`,
    );
}
