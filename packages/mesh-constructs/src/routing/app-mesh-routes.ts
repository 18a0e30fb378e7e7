/** App Mesh's routes of one service as plain data: the renderer maps versions to virtual nodes. */
import {
  cookieRouteRegex,
  timeoutsOf,
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
  /** Only the weighted default route retries. */
  readonly retry?: AppMeshRetryPlan;
}

function headerMatchOf(route: VersionRoute): AppMeshHeaderMatch {
  if (route.whenHeader) {
    return { name: route.whenHeader.name.toLowerCase(), exact: route.whenHeader.equals };
  }
  return { name: 'cookie', regex: cookieRouteRegex(route.whenCookie!) };
}

/** The topology's routes in order, then the weighted default route that retries. */
export function appMeshRoutes(service: ServiceSpec): AppMeshRoutePlan[] {
  const { perRequestMs, idleMs } = timeoutsOf(service);
  const timeouts = { pathPrefix: '/', perRequestTimeoutMs: perRequestMs, idleTimeoutMs: idleMs };
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
    retry: {
      httpEvents: ['server-error', 'gateway-error'],
      tcpEvents: ['connection-error'],
      attempts: 2,
      perTryTimeoutMs: perRequestMs,
    },
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
