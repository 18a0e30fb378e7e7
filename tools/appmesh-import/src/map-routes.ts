/** A router's routes: weights from the catch-all route, exact header (and cookie) matches as topology routes. */
import {
  cookieRouteRegex,
  type ServiceSpec,
  type TimeoutsSpec,
  type VersionRoute,
  type VersionSpec,
} from '@color-teller/topology';
import { placeOf, required, type Found } from './model';
import { timeoutsAt, type Candidate, type MappingContext, type Mutable } from './mapping-context';
import { asNumber, retriesFrom } from './traffic-policy';

const ROUTE_KINDS = ['HttpRoute', 'Http2Route', 'GrpcRoute', 'TcpRoute'] as const;

export interface RoutePlan {
  readonly route: Found;
  readonly kind: (typeof ROUTE_KINDS)[number];
  readonly spec: Record<string, unknown>;
  readonly targets: { node: Found; weight: number }[];
}

/** Reverses the App Mesh rendering of a cookie route (a regex over the `Cookie` header). */
export function cookieOfRegex(regex: string): { name: string; equals: string } | undefined {
  const prefix = '^(.*;)?[ \\t]*';
  const suffix = '[ \\t]*(;.*)?$';
  if (!regex.startsWith(prefix) || !regex.endsWith(suffix)) return undefined;
  const middle = regex.slice(prefix.length, -suffix.length);
  const open = middle.indexOf('=(');
  const bar = middle.indexOf('|"');
  if (open < 0 || bar < open) return undefined;
  const unescape = (text: string) => text.replace(/\\(.)/g, '$1');
  const cookie = {
    name: unescape(middle.slice(0, open)),
    equals: unescape(middle.slice(open + 2, bar)),
  };
  return cookieRouteRegex(cookie) === regex ? cookie : undefined;
}

/** Whether a route matches more than every path. */
export function hasMatch(plan: RoutePlan): boolean {
  const match = (plan.spec.Match ?? {}) as Record<string, unknown>;
  return Object.entries(match).some(([key, value]) => !(key === 'Prefix' && value === '/'));
}

export class RouteMapper {
  constructor(private readonly ctx: MappingContext) {}

  routesOf(router: Found): Found[] {
    const routerName = required(router, ['VirtualRouterName'], 'the virtual router name');
    const routes = this.ctx
      .all('AWS::AppMesh::Route')
      .filter(
        (route) =>
          required(route, ['VirtualRouterName'], "the route's virtual router name") === routerName,
      );
    const priority = (route: Found) => {
      const spec = route.props.Spec as Record<string, unknown> | undefined;
      return asNumber(spec?.Priority) ?? Number.POSITIVE_INFINITY;
    };
    return [...routes].sort((a, b) => priority(a) - priority(b));
  }

  routePlan(route: Found): RoutePlan | undefined {
    const spec = route.props.Spec as Record<string, unknown> | undefined;
    const kind = ROUTE_KINDS.find((k) => spec?.[k] !== undefined);
    if (!kind) return undefined;
    const body = spec![kind] as Record<string, unknown>;
    const targets = ((body.Action as { WeightedTargets?: unknown[] } | undefined)
      ?.WeightedTargets ?? []) as { VirtualNode?: unknown; Weight?: unknown }[];
    return {
      route,
      kind,
      spec: body,
      targets: targets.map((target, index) => {
        const path = ['Spec', kind, 'Action', 'WeightedTargets', index];
        const nodeName = required(route, [...path, 'VirtualNode'], "the weighted target's node");
        const weight = asNumber(required(route, [...path, 'Weight'], 'the weight'));
        return {
          node: this.ctx.nodeNamed(nodeName, route, [...path, 'VirtualNode']),
          weight: weight ?? 0,
        };
      }),
    };
  }

  /** Weights from the first catch-all route, header matches as routes; returns its timeouts. */
  mapRoutes(
    candidate: Candidate,
    spec: Mutable<ServiceSpec> & Record<string, unknown>,
    versions: Mutable<VersionSpec>[],
    versionOf: Map<Found, string>,
  ): TimeoutsSpec | undefined {
    const routes: VersionRoute[] = [];
    let weighted: RoutePlan | undefined;
    for (const route of candidate.routes) {
      const plan = this.routePlan(route);
      if (!plan) {
        this.ctx.wentTo.set(route, 'not carried: it has no HTTP, HTTP/2, gRPC or TCP route');
        continue;
      }
      const base = ['Spec', plan.kind];
      if (plan.kind !== 'HttpRoute') {
        this.ctx.gap(
          plan.kind === 'TcpRoute' ? 'tcp-listener' : 'grpc-http2',
          route,
          `route ${route.id} is a ${plan.kind}; it is read as an HTTP route`,
          base,
        );
      }
      const match = (plan.spec.Match ?? {}) as Record<string, unknown>;
      const headers = (match.Headers ?? []) as Record<string, unknown>[];
      const other = [
        'Path',
        'Method',
        'QueryParameters',
        'Scheme',
        'Port',
        'ServiceName',
        'MethodName',
        'Metadata',
      ].filter((key) => match[key] !== undefined);
      const prefix = match.Prefix;
      if (prefix !== undefined && prefix !== '/') other.push(`Prefix ${String(prefix)}`);
      if (other.length > 0) {
        this.ctx.gap(
          'request-match',
          route,
          `route ${route.id} matches ${other.join(', ')}: not carried`,
          [...base, 'Match'],
        );
        this.ctx.wentTo.set(route, 'not carried: it matches more than headers');
        continue;
      }
      this.mapRetries(route, plan, spec);
      if (headers.length === 0 && plan.kind !== 'GrpcRoute') {
        if (weighted) {
          this.ctx.wentTo.set(
            route,
            `not carried: route ${weighted.route.id} already takes every request first`,
          );
          continue;
        }
        weighted = plan;
        for (const version of versions) {
          const target = plan.targets.find((t) => versionOf.get(t.node) === version.name);
          if (versions.length > 1) version.weight = target?.weight ?? 0;
        }
        this.ctx.servicePlaces.set(candidate.name, placeOf(route, [...base, 'Action']));
        this.ctx.wentTo.set(route, `the weights of service "${candidate.name}"`);
        continue;
      }
      const carried = this.headerRoute(route, plan, headers, versionOf);
      if (carried) {
        routes.push(carried);
        this.ctx.wentTo.set(route, `route ${routes.length} of service "${candidate.name}"`);
      } else {
        this.ctx.wentTo.set(route, 'not carried: see what no flavor expresses');
      }
    }
    if (routes.length > 0) spec.routes = routes;
    if (!weighted) return undefined;
    return timeoutsAt(weighted.route, ['Spec', weighted.kind, 'Timeout']);
  }

  private headerRoute(
    route: Found,
    plan: RoutePlan,
    headers: Record<string, unknown>[],
    versionOf: Map<Found, string>,
  ): VersionRoute | undefined {
    const path = ['Spec', plan.kind, 'Match', 'Headers'];
    if (headers.length !== 1) {
      this.ctx.gap(
        'header-match',
        route,
        `route ${route.id} needs ${headers.length} headers at once: not carried`,
        path,
      );
      return undefined;
    }
    const header = headers[0]!;
    const name = String(header.Name).toLowerCase();
    const match = (header.Match ?? {}) as Record<string, unknown>;
    const heaviest = [...plan.targets].sort((a, b) => b.weight - a.weight)[0];
    if (!heaviest) return undefined;
    if (plan.targets.length > 1) {
      this.ctx.gap(
        'header-match',
        route,
        `route ${route.id} splits its matches by weight: all of them go to "${versionOf.get(heaviest.node)}"`,
        ['Spec', plan.kind, 'Action'],
      );
    }
    const version = versionOf.get(heaviest.node)!;
    if (header.Invert === true) {
      this.ctx.gap(
        'header-match',
        route,
        `route ${route.id} matches when header ${name} does NOT match: not carried`,
        path,
      );
      return undefined;
    }
    if (typeof match.Exact === 'string')
      return { version, whenHeader: { name, equals: match.Exact } };
    const cookie =
      name === 'cookie' && typeof match.Regex === 'string' ? cookieOfRegex(match.Regex) : undefined;
    if (cookie) return { version, whenCookie: cookie };
    const how = Object.keys(match)[0] ?? 'presence';
    this.ctx.gap(
      'header-match',
      route,
      `route ${route.id} matches header ${name} by ${how} (${JSON.stringify(match[how])}): not carried`,
      path,
    );
    return undefined;
  }

  private mapRetries(route: Found, plan: RoutePlan, spec: Record<string, unknown>): void {
    const policy = plan.spec.RetryPolicy as Record<string, unknown> | undefined;
    if (!policy) return;
    const path = ['Spec', plan.kind, 'RetryPolicy'];
    const carried = retriesFrom(policy);
    if (carried && spec.retries === undefined) {
      spec.retries = carried.spec;
      for (const what of carried.dropped) {
        this.ctx.gap('retries', route, `route ${route.id}: ${what} is not carried`, path);
      }
      return;
    }
    this.ctx.gap(
      'retries',
      route,
      `route ${route.id} retries ${String(policy.MaxRetries)} times: not carried (${spec.retries ? 'the service already retries as its first route says' : 'the topology holds no such policy'})`,
      path,
    );
  }
}
