/**
 * Maps an App Mesh system onto a topology: a virtual service becomes a service (its router's
 * weighted nodes its versions, header matches its routes), listeners give port and health path,
 * node backends give `backends`, the gateway's `/` route (or the ALB's service) the ingress,
 * outside DNS nodes the `externals`. What does not carry over becomes a {@link Gap}.
 */
import {
  backendEnvVar,
  imageReferenceProblem,
  cookieRouteRegex,
  TopologyError,
  validateTopology,
  type BackendRef,
  type ExternalSpec,
  type ServiceSpec,
  type TimeoutsSpec,
  type Topology,
  type VersionRoute,
  type VersionSpec,
} from '@color-teller/topology';
import { appContainer, bindTasks, loadBalancedTasks, type TaskBinding } from './binding';
import { ImportError, type Place } from './errors';
import type { Gap, GapKind, ReadEntry } from './findings';
import { Unresolved } from './intrinsics';
import {
  APP_MESH_TYPES,
  optional,
  placeOf,
  required,
  resourcesOf,
  valueAt,
  type AppMeshModel,
  type Found,
} from './model';
import { dnsLabel, firstLabel, shortNodeNames, versionNames } from './naming';
import { asNumber, outlierFrom, retriesFrom, timeoutsFrom } from './traffic-policy';

export interface MapOptions {
  /** The service the ingress fronts, when the templates do not say. */
  readonly ingress?: string;
}

export interface ImportResult {
  readonly topology: Topology;
  readonly read: readonly ReadEntry[];
  readonly gaps: readonly Gap[];
  /** Values the importer chose or could not carry, each naming what to check. */
  readonly notes: readonly string[];
  /** Services whose task definition was not in the input. */
  readonly placeholders: readonly string[];
}

/** Renderers set these; a task's own values are dropped. */
const RENDERER_ENV = ['PORT', 'HOST'];

/** The name App Mesh gives a node's listener protocols that a topology service carries. */
const HTTP_PROTOCOLS = ['http', 'http2', 'grpc'];

/** The property that names a resource of each type. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::AppMesh::Mesh': 'MeshName',
  'AWS::AppMesh::VirtualNode': 'VirtualNodeName',
  'AWS::AppMesh::VirtualRouter': 'VirtualRouterName',
  'AWS::AppMesh::Route': 'RouteName',
  'AWS::AppMesh::VirtualService': 'VirtualServiceName',
  'AWS::AppMesh::VirtualGateway': 'VirtualGatewayName',
  'AWS::AppMesh::GatewayRoute': 'GatewayRouteName',
};

const ROUTE_KINDS = ['HttpRoute', 'Http2Route', 'GrpcRoute', 'TcpRoute'] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Candidate {
  name: string;
  /** The virtual service's name (its DNS name), absent for a node no virtual service provides. */
  readonly virtualServiceName?: string;
  readonly origin: Found;
  readonly nodes: Found[];
  readonly routes: Found[];
}

interface RoutePlan {
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

class TopologyMapper {
  private readonly wentTo = new Map<Found, string>();
  private readonly gaps: Gap[] = [];
  private readonly notes: string[] = [];
  private readonly placeholders: string[] = [];
  private readonly bindings: Map<Found, TaskBinding>;
  private readonly nodeNames = new Map<Found, string>();
  private readonly virtualServices = new Map<string, Found>();
  /** Where each service came from, for placing topology validation problems. */
  private readonly servicePlaces = new Map<string, Place>();
  /** Virtual service name → topology service or external name. */
  private readonly targets = new Map<string, string>();
  /** By name; a caller's env may give the base URL's path. */
  private readonly externals = new Map<string, Mutable<ExternalSpec>>();
  /** Virtual service names of what could not be carried, e.g. a TCP service. */
  private readonly dropped = new Set<string>();

  constructor(
    private readonly model: AppMeshModel,
    private readonly options: MapOptions,
  ) {
    this.bindings = bindTasks(model);
    for (const node of this.all('AWS::AppMesh::VirtualNode')) {
      this.nodeNames.set(node, required(node, ['VirtualNodeName'], 'the virtual node name'));
    }
    for (const virtualService of this.all('AWS::AppMesh::VirtualService')) {
      const name = required(virtualService, ['VirtualServiceName'], 'the virtual service name');
      this.virtualServices.set(name, virtualService);
    }
  }

  map(): ImportResult {
    const externals = this.mapExternals();
    const candidates = this.candidates();
    const services = candidates.flatMap((c) => this.mapService(c) ?? []);
    for (const service of services) this.mapBackends(service, candidates);
    const names = new Set(services.map((s) => s.name));
    const topology: Topology = {
      name: this.systemName(),
      namespace: this.namespace(),
      services: services.map((s) => s.spec),
      ingress: { service: this.ingress(names, services) },
      ...(externals.length > 0 ? { externals } : {}),
    };
    this.mapMesh(externals);
    this.checkTopology(topology);
    return {
      topology,
      read: this.readEntries(),
      gaps: this.gaps,
      notes: this.notes,
      placeholders: this.placeholders,
    };
  }

  private all(type: string): readonly Found[] {
    return resourcesOf(this.model, type);
  }

  private gap(kind: GapKind, found: Found, detail: string, path: (string | number)[] = []) {
    this.gaps.push({ kind, place: placeOf(found, path), detail });
  }

  private nodeNamed(name: string, from: Found, path: (string | number)[]): Found {
    const node = [...this.nodeNames].find(([, n]) => n === name)?.[0];
    if (!node) {
      throw new ImportError(
        placeOf(from, path),
        `names virtual node "${name}", which no given template defines: fix the name, or give the template that defines it`,
      );
    }
    return node;
  }

  private virtualServiceNamed(name: string, from: Found, path: (string | number)[]): Found {
    const found = this.virtualServices.get(name);
    if (!found) {
      throw new ImportError(
        placeOf(from, path),
        `names virtual service "${name}", which no given template defines: fix the name, or give the template that defines it`,
      );
    }
    return found;
  }

  /** A DNS-discovered node on 443 that no task runs is an outside HTTPS host. */
  private isExternal(node: Found): boolean {
    const hostname = optional(node, ['Spec', 'ServiceDiscovery', 'DNS', 'Hostname']);
    const port = asNumber(optional(node, ['Spec', 'Listeners', 0, 'PortMapping', 'Port']));
    return !this.bindings.has(node) && typeof hostname === 'string' && port === 443;
  }

  private providerNode(virtualService: Found): Found | undefined {
    const name = optional(virtualService, ['Spec', 'Provider', 'VirtualNode', 'VirtualNodeName']);
    return typeof name === 'string'
      ? this.nodeNamed(name, virtualService, ['Spec', 'Provider', 'VirtualNode'])
      : undefined;
  }

  private mapExternals(): ExternalSpec[] {
    const externals: ExternalSpec[] = [];
    for (const [vsName, virtualService] of this.virtualServices) {
      const node = this.providerNode(virtualService);
      if (!node || !this.isExternal(node)) continue;
      const hostname = required(
        node,
        ['Spec', 'ServiceDiscovery', 'DNS', 'Hostname'],
        'the outside host name',
      );
      const nodeName = this.nodeNames.get(node)!;
      const name = dnsLabel(nodeName.replace(/^external-/, '')) || firstLabel(hostname);
      const external = { name, baseUrl: `https://${hostname}` };
      externals.push(external);
      this.externals.set(name, external);
      this.targets.set(vsName, name);
      this.wentTo.set(virtualService, `external "${name}"`);
      this.wentTo.set(node, `external "${name}" (https://${hostname})`);
    }
    return externals;
  }

  private routesOf(router: Found): Found[] {
    const routerName = required(router, ['VirtualRouterName'], 'the virtual router name');
    const routes = this.all('AWS::AppMesh::Route').filter(
      (route) =>
        required(route, ['VirtualRouterName'], "the route's virtual router name") === routerName,
    );
    const priority = (route: Found) => {
      const spec = route.props.Spec as Record<string, unknown> | undefined;
      return asNumber(spec?.Priority) ?? Number.POSITIVE_INFINITY;
    };
    return [...routes].sort((a, b) => priority(a) - priority(b));
  }

  private routePlan(route: Found): RoutePlan | undefined {
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
          node: this.nodeNamed(nodeName, route, [...path, 'VirtualNode']),
          weight: weight ?? 0,
        };
      }),
    };
  }

  /** Every service to be: one per virtual service, then one per node nothing else covers. */
  private candidates(): Candidate[] {
    const candidates: Candidate[] = [];
    const covered = new Set<Found>();
    for (const [vsName, virtualService] of this.virtualServices) {
      if (this.targets.has(vsName)) continue;
      const node = this.providerNode(virtualService);
      const routerName = optional(virtualService, [
        'Spec',
        'Provider',
        'VirtualRouter',
        'VirtualRouterName',
      ]);
      let nodes: Found[] = [];
      let routes: Found[] = [];
      if (node) {
        nodes = [node];
      } else if (typeof routerName === 'string') {
        const router = this.all('AWS::AppMesh::VirtualRouter').find(
          (r) => optional(r, ['VirtualRouterName']) === routerName,
        );
        if (!router) {
          throw new ImportError(
            placeOf(virtualService, ['Spec', 'Provider', 'VirtualRouter']),
            `names virtual router "${routerName}", which no given template defines: fix the name, or give the template that defines it`,
          );
        }
        routes = this.routesOf(router);
        // The catch-all route's targets first: they are the versions' order.
        const plans = routes
          .flatMap((r) => this.routePlan(r) ?? [])
          .sort((a, b) => Number(hasMatch(a)) - Number(hasMatch(b)));
        nodes = [...new Set(plans.flatMap((p) => p.targets.map((t) => t.node)))];
        this.wentTo.set(router, `the versions of service "${firstLabel(vsName)}"`);
      } else {
        this.wentTo.set(virtualService, 'not carried: it has no provider (no node, no router)');
        continue;
      }
      nodes.forEach((n) => covered.add(n));
      candidates.push({
        name: firstLabel(vsName),
        virtualServiceName: vsName,
        origin: virtualService,
        nodes,
        routes,
      });
    }
    const loose = [...this.nodeNames.keys()].filter((n) => !covered.has(n) && !this.wentTo.has(n));
    const short = shortNodeNames([...this.nodeNames.values()]);
    for (const node of loose) {
      candidates.push({
        name: short.get(this.nodeNames.get(node)!)!,
        origin: node,
        nodes: [node],
        routes: [],
      });
    }
    const taken = new Set<string>();
    for (const candidate of candidates) {
      let name = candidate.name;
      for (let n = 2; taken.has(name); n += 1) name = `${candidate.name}-${n}`;
      candidate.name = name;
      taken.add(name);
    }
    return candidates;
  }

  private mapService(candidate: Candidate): MappedService | undefined {
    const [first] = candidate.nodes;
    if (!first) {
      this.wentTo.set(candidate.origin, 'not carried: its routes name no virtual node');
      return undefined;
    }
    const listener = ['Spec', 'Listeners', 0];
    const protocol = String(optional(first, [...listener, 'PortMapping', 'Protocol']) ?? 'http');
    if (!HTTP_PROTOCOLS.includes(protocol)) {
      this.gap(
        'tcp-listener',
        first,
        `node "${this.nodeNames.get(first)}" listens for ${protocol}: service "${candidate.name}" is not imported`,
        [...listener],
      );
      for (const node of candidate.nodes)
        this.wentTo.set(node, `not carried: a ${protocol} listener`);
      this.wentTo.set(candidate.origin, `not carried: a ${protocol} service`);
      if (candidate.virtualServiceName) this.dropped.add(candidate.virtualServiceName);
      return undefined;
    }
    const port = Number(required(first, [...listener, 'PortMapping', 'Port'], 'the listener port'));
    const shortNames = shortNodeNames([...this.nodeNames.values()]);
    const names = versionNames(
      candidate.name,
      candidate.nodes.map((n) => shortNames.get(this.nodeNames.get(n)!)!),
    );
    const versionOf = new Map(candidate.nodes.map((node, i) => [node, names[i]!]));
    const spec: Mutable<ServiceSpec> & Record<string, unknown> = {
      name: candidate.name,
      codePath: `services/${candidate.name}`,
      port,
      healthPath: this.healthPath(candidate, first),
      versions: [],
    };
    this.servicePlaces.set(candidate.name, placeOf(candidate.origin));
    for (const node of candidate.nodes) this.checkNode(node, spec, port);
    const versions: Mutable<VersionSpec>[] = candidate.nodes.map((node) => ({
      name: versionOf.get(node)!,
    }));
    const timeouts = this.mapRoutes(candidate, spec, versions, versionOf);
    if (versions.length > 1 && candidate.routes.length === 0) {
      versions.forEach((v) => (v.weight = 1));
    }
    spec.versions = versions;
    const listenerTimeouts = this.timeoutsOf(first, [
      ...listener,
      'Timeout',
      protocol.toUpperCase(),
    ]);
    const chosen = timeouts ?? listenerTimeouts;
    if (chosen) spec.timeouts = chosen;
    this.mapTasks(candidate, spec, versions);
    this.wentTo.set(
      candidate.origin,
      candidate.virtualServiceName
        ? `service "${candidate.name}"`
        : `service "${candidate.name}" (version "${versions[0]!.name}")`,
    );
    for (const node of candidate.nodes) {
      this.wentTo.set(node, `service "${candidate.name}", version "${versionOf.get(node)}"`);
    }
    return { name: candidate.name, spec, candidate };
  }

  private healthPath(candidate: Candidate, node: Found): string {
    const path = optional(node, ['Spec', 'Listeners', 0, 'HealthCheck', 'Path']);
    if (typeof path === 'string' && path.startsWith('/')) return path;
    const fromAlb = this.albHealthPath(candidate);
    if (fromAlb) return fromAlb;
    this.notes.push(
      `service "${candidate.name}": node "${this.nodeNames.get(node)}" has no HTTP health check, so healthPath is "/": set it to the path that answers 200 when the service is healthy`,
    );
    return '/';
  }

  /** The ALB target group's health check path, when the service's task is behind one. */
  private albHealthPath(candidate: Candidate): string | undefined {
    for (const node of candidate.nodes) {
      const ecsService = this.bindings.get(node)?.ecsService;
      const balancers = ecsService?.raw.LoadBalancers;
      if (!Array.isArray(balancers)) continue;
      for (const group of this.all('AWS::ElasticLoadBalancingV2::TargetGroup')) {
        const referencesGroup = JSON.stringify(balancers).includes(`"${group.id}"`);
        const path = optional(group, ['HealthCheckPath']);
        if (referencesGroup && typeof path === 'string') return path;
      }
    }
    return undefined;
  }

  /** Node settings no flavor carries. */
  private checkNode(
    node: Found,
    spec: Mutable<ServiceSpec> & Record<string, unknown>,
    port: number,
  ): void {
    const name = this.nodeNames.get(node);
    const listeners = (valueAt(node, ['Spec', 'Listeners']) ?? []) as Record<string, unknown>[];
    listeners.forEach((listener, index) => {
      const at = ['Spec', 'Listeners', index];
      const protocol = (listener.PortMapping as { Protocol?: unknown } | undefined)?.Protocol;
      if (protocol === 'grpc' || protocol === 'http2') {
        this.gap('grpc-http2', node, `node "${name}" listens for ${String(protocol)}`, [...at]);
      }
      const listenerPort = asNumber((listener.PortMapping as { Port?: unknown } | undefined)?.Port);
      if (index > 0) {
        this.gap(
          'other',
          node,
          `node "${name}" has another listener on ${listenerPort}: only the first (${port}) is carried`,
          [...at],
        );
      }
      if (listener.TLS)
        this.gap('tls', node, `node "${name}" terminates TLS on its listener`, [...at, 'TLS']);
      if (listener.OutlierDetection) {
        this.mapOutlier(node, spec, listener.OutlierDetection as Record<string, unknown>, [
          ...at,
          'OutlierDetection',
        ]);
      }
      if (listener.ConnectionPool) {
        this.gap(
          'connection-pool',
          node,
          `node "${name}" bounds its connections (${JSON.stringify(listener.ConnectionPool)})`,
          [...at, 'ConnectionPool'],
        );
      }
    });
    if (valueAt(node, ['Spec', 'Logging', 'AccessLog'])) {
      this.gap('access-log', node, `node "${name}" writes an Envoy access log`, [
        'Spec',
        'Logging',
      ]);
    }
    if (valueAt(node, ['Spec', 'BackendDefaults', 'ClientPolicy', 'TLS'])) {
      this.gap(
        'tls',
        node,
        `node "${name}" validates its backends' certificates (backend defaults)`,
        ['Spec', 'BackendDefaults'],
      );
    }
    const backends = (valueAt(node, ['Spec', 'Backends']) ?? []) as Record<string, unknown>[];
    backends.forEach((backend, index) => {
      if ((backend.VirtualService as { ClientPolicy?: unknown } | undefined)?.ClientPolicy) {
        this.gap('tls', node, `node "${name}" has a TLS client policy for a backend`, [
          'Spec',
          'Backends',
          index,
        ]);
      }
    });
  }

  /** The first node's outlier detection becomes the service's; what differs is reported. */
  private mapOutlier(
    node: Found,
    spec: Record<string, unknown>,
    detection: Record<string, unknown>,
    path: (string | number)[],
  ): void {
    const name = this.nodeNames.get(node);
    const carried = outlierFrom(detection);
    if (carried && spec.outlierDetection === undefined) {
      spec.outlierDetection = carried.spec;
      this.gap(
        'outlier-detection',
        node,
        `node "${name}": carried as outlierDetection ${JSON.stringify(carried.spec)}; not carried: ${carried.dropped.join('; ')}`,
        path,
      );
      return;
    }
    this.gap(
      'outlier-detection',
      node,
      `node "${name}": ${JSON.stringify(detection)} is not carried`,
      path,
    );
  }

  private timeoutsOf(found: Found, path: (string | number)[]): TimeoutsSpec | undefined {
    return timeoutsFrom(optional(found, path));
  }

  /** Weights from the first catch-all route, header matches as routes; returns its timeouts. */
  private mapRoutes(
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
        this.wentTo.set(route, 'not carried: it has no HTTP, HTTP/2, gRPC or TCP route');
        continue;
      }
      const base = ['Spec', plan.kind];
      if (plan.kind !== 'HttpRoute') {
        this.gap(
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
        this.gap(
          'request-match',
          route,
          `route ${route.id} matches ${other.join(', ')}: not carried`,
          [...base, 'Match'],
        );
        this.wentTo.set(route, 'not carried: it matches more than headers');
        continue;
      }
      this.mapRetries(route, plan, spec);
      if (headers.length === 0 && plan.kind !== 'GrpcRoute') {
        if (weighted) {
          this.wentTo.set(
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
        this.servicePlaces.set(candidate.name, placeOf(route, [...base, 'Action']));
        this.wentTo.set(route, `the weights of service "${candidate.name}"`);
        continue;
      }
      const carried = this.headerRoute(route, plan, headers, versionOf);
      if (carried) {
        routes.push(carried);
        this.wentTo.set(route, `route ${routes.length} of service "${candidate.name}"`);
      } else {
        this.wentTo.set(route, 'not carried: see what no flavor expresses');
      }
    }
    if (routes.length > 0) spec.routes = routes;
    if (!weighted) return undefined;
    return this.timeoutsOf(weighted.route, ['Spec', weighted.kind, 'Timeout']);
  }

  private headerRoute(
    route: Found,
    plan: RoutePlan,
    headers: Record<string, unknown>[],
    versionOf: Map<Found, string>,
  ): VersionRoute | undefined {
    const path = ['Spec', plan.kind, 'Match', 'Headers'];
    if (headers.length !== 1) {
      this.gap(
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
      this.gap(
        'header-match',
        route,
        `route ${route.id} splits its matches by weight: all of them go to "${versionOf.get(heaviest.node)}"`,
        ['Spec', plan.kind, 'Action'],
      );
    }
    const version = versionOf.get(heaviest.node)!;
    if (header.Invert === true) {
      this.gap(
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
    this.gap(
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
        this.gap('retries', route, `route ${route.id}: ${what} is not carried`, path);
      }
      return;
    }
    this.gap(
      'retries',
      route,
      `route ${route.id} retries ${String(policy.MaxRetries)} times: not carried (${spec.retries ? 'the service already retries as its first route says' : 'the topology holds no such policy'})`,
      path,
    );
  }

  /** Env, image and size from the task definitions bound to the service's nodes. */
  private mapTasks(
    candidate: Candidate,
    spec: Mutable<ServiceSpec> & Record<string, unknown>,
    versions: Mutable<VersionSpec>[],
  ): void {
    const bound = candidate.nodes.map((node) => this.bindings.get(node));
    if (bound.every((b) => b === undefined)) {
      this.placeholders.push(candidate.name);
      spec.codePath = placeholderCodePath(candidate.name);
      return;
    }
    const envs = candidate.nodes.map((node, index) => {
      const binding = bound[index];
      if (!binding) {
        this.notes.push(
          `service "${candidate.name}", version "${versions[index]!.name}": no task definition runs node "${this.nodeNames.get(node)}"; it gets the service's env only`,
        );
        return undefined;
      }
      this.wentTo.set(
        binding.task,
        `service "${candidate.name}", version "${versions[index]!.name}" (bound by ${binding.how})`,
      );
      return this.taskEnv(candidate.name, binding, spec.port);
    });
    const present = envs.filter((e): e is Record<string, string> => e !== undefined);
    const shared = Object.fromEntries(
      Object.entries(present[0] ?? {}).filter(
        ([key, value]) => present.every((e) => e[key] === value) && present.length === envs.length,
      ),
    );
    if (Object.keys(shared).length > 0) spec.env = shared;
    envs.forEach((env, index) => {
      const own = Object.fromEntries(Object.entries(env ?? {}).filter(([key]) => !(key in shared)));
      if (Object.keys(own).length > 0) versions[index]!.env = own;
    });
    const firstBinding = bound.find((b) => b !== undefined)!;
    const container = appContainer(firstBinding.task, spec.port);
    const image = container?.Image;
    if (image instanceof Unresolved || image === undefined) {
      required(
        firstBinding.task,
        ['ContainerDefinitions', containerIndex(firstBinding.task, container), 'Image'],
        `the image of service "${candidate.name}"`,
      );
    }
    const problem = imageReferenceProblem(image);
    if (problem) {
      this.notes.push(
        `service "${candidate.name}": its tasks run image "${String(image)}", which ${problem.replace(/^is /, 'is ')}; set \`image\` by hand`,
      );
    } else {
      spec.image = String(image);
    }
    const images = new Set(bound.map((b) => b && appContainer(b.task, spec.port)?.Image));
    if (images.size > 1) {
      this.notes.push(
        `service "${candidate.name}": its versions run different images (${[...images].join(', ')}); a topology service has one image, ${String(image)} was kept`,
      );
    }
    if (spec.image) {
      this.notes.push(
        `service "${candidate.name}": the cloud runs its image; to run it with \`npm start\`, give it a \`command\` and point codePath at its code`,
      );
    }
    const cpu = asNumber(optional(firstBinding.task, ['Cpu']));
    const memory = asNumber(optional(firstBinding.task, ['Memory']));
    if (cpu !== undefined && memory !== undefined) spec.size = { cpu, memoryLimitMiB: memory };
  }

  /** The app container's env; values only deployment knows are left out and noted. */
  private taskEnv(service: string, binding: TaskBinding, port: number): Record<string, string> {
    const container = appContainer(binding.task, port);
    const env: Record<string, string> = {};
    for (const entry of container?.Environment ?? []) {
      const name = String(entry.Name);
      if (RENDERER_ENV.includes(name)) continue;
      if (
        typeof entry.Value === 'string' ||
        typeof entry.Value === 'number' ||
        typeof entry.Value === 'boolean'
      ) {
        env[name] = String(entry.Value);
      } else {
        this.notes.push(
          `service "${service}": env ${name} of task ${binding.task.id} is known only at deployment (${(entry.Value as Unresolved | undefined)?.reason ?? 'no value'}); set it by hand`,
        );
      }
    }
    return env;
  }

  private mapBackends(service: MappedService, candidates: readonly Candidate[]): void {
    const { candidate, spec } = service;
    const backends: BackendRef[] = [];
    for (const node of candidate.nodes) {
      const list = (valueAt(node, ['Spec', 'Backends']) ?? []) as Record<string, unknown>[];
      list.forEach((backend, index) => {
        const path = ['Spec', 'Backends', index, 'VirtualService', 'VirtualServiceName'];
        if (backend.VirtualService === undefined) return;
        const vsName = required(node, path, "the backend's virtual service name");
        this.virtualServiceNamed(vsName, node, path);
        if (this.dropped.has(vsName)) {
          this.gap(
            'tcp-listener',
            node,
            `backend ${vsName} of service "${spec.name}" is not imported (not HTTP)`,
            path,
          );
          return;
        }
        const target =
          this.targets.get(vsName) ?? candidates.find((c) => c.virtualServiceName === vsName)?.name;
        if (!target || target === spec.name || backends.some((b) => b.service === target)) return;
        backends.push(this.backendRef(spec, target, vsName));
      });
    }
    if (backends.length > 0) spec.backends = backends;
  }

  /** The env var that held the backend's name in the caller's task, else the default one. */
  private backendRef(spec: Mutable<ServiceSpec>, target: string, vsName: string): BackendRef {
    const envs = [spec.env ?? {}, ...spec.versions.map((v) => v.env ?? {})];
    const held = envs
      .flatMap((env) => Object.entries(env))
      .find(([, value]) => value.includes(vsName));
    if (!held) return { service: target };
    const [envVar, value] = held;
    spec.env = withoutKey(spec.env, envVar);
    for (const version of spec.versions as Mutable<VersionSpec>[])
      version.env = withoutKey(version.env, envVar);
    const external = this.externals.get(target);
    if (external && value.startsWith(external.baseUrl)) {
      // The caller's env holds the whole base URL, path included.
      external.baseUrl = value.replace(/\/+$/, '');
    } else if (!/^https?:\/\//.test(value)) {
      this.notes.push(
        `service "${spec.name}": ${envVar} held "${value}"; it now holds the backend's URL (http://host:port): make the service read a URL`,
      );
    }
    return envVar === backendEnvVar({ service: target })
      ? { service: target }
      : { service: target, envVar };
  }

  private ingress(names: ReadonlySet<string>, services: readonly MappedService[]): string {
    const files = this.model.stacks.map((s) => s.file).join(', ');
    if (this.options.ingress !== undefined) {
      if (!names.has(this.options.ingress)) {
        throw new ImportError(
          { file: files },
          `--ingress "${this.options.ingress}" is not an imported service: use one of ${[...names].join(', ')}`,
        );
      }
      return this.options.ingress;
    }
    const fromGateway = this.gatewayIngress();
    if (fromGateway) return fromGateway;
    for (const task of loadBalancedTasks(this.model)) {
      const node = [...this.bindings].find(([, b]) => b.task === task)?.[0];
      const service = node && services.find((s) => s.candidate.nodes.includes(node));
      if (service) {
        this.notes.push(
          `the ingress is service "${service.name}": its ECS service is behind the load balancer`,
        );
        return service.name;
      }
    }
    const called = new Set(services.flatMap((s) => (s.spec.backends ?? []).map((b) => b.service)));
    const uncalled = [...names].filter((n) => !called.has(n));
    if (uncalled.length === 1) {
      this.notes.push(
        `the ingress is service "${uncalled[0]}", the only service no other calls (no virtual gateway or load balancer in the input): check it, or pass --ingress`,
      );
      return uncalled[0]!;
    }
    throw new ImportError(
      { file: files },
      `cannot tell which service the ingress fronts (no virtual gateway route "/", no load-balanced ECS service): pass --ingress <service>, one of ${[...names].join(', ')}`,
    );
  }

  private gatewayIngress(): string | undefined {
    let ingress: string | undefined;
    for (const gateway of this.all('AWS::AppMesh::VirtualGateway')) {
      this.wentTo.set(
        gateway,
        'the ingress (the load balancer fronts the ingress service directly)',
      );
      const listeners = (valueAt(gateway, ['Spec', 'Listeners']) ?? []) as Record<
        string,
        unknown
      >[];
      listeners.forEach((listener, index) => {
        if (listener.TLS)
          this.gap('tls', gateway, `gateway ${gateway.id} terminates TLS`, [
            'Spec',
            'Listeners',
            index,
            'TLS',
          ]);
      });
      if (valueAt(gateway, ['Spec', 'Logging', 'AccessLog'])) {
        this.gap('access-log', gateway, `gateway ${gateway.id} writes an Envoy access log`, [
          'Spec',
          'Logging',
        ]);
      }
    }
    for (const route of this.all('AWS::AppMesh::GatewayRoute')) {
      const spec = (route.props.Spec ?? {}) as Record<string, unknown>;
      const kind = ['HttpRoute', 'Http2Route', 'GrpcRoute'].find((k) => spec[k] !== undefined);
      const body = (kind ? spec[kind] : {}) as Record<string, unknown>;
      const match = (body.Match ?? {}) as Record<string, unknown>;
      const targetPath = [
        'Spec',
        kind ?? 'HttpRoute',
        'Action',
        'Target',
        'VirtualService',
        'VirtualServiceName',
      ];
      const vsName = required(route, targetPath, "the gateway route's target");
      this.virtualServiceNamed(vsName, route, targetPath);
      const target = this.targets.get(vsName) ?? firstLabel(vsName);
      const onlyRoot =
        kind === 'HttpRoute' && match.Prefix === '/' && Object.keys(match).length === 1;
      if (onlyRoot && ingress === undefined) {
        ingress = target;
        this.wentTo.set(route, `ingress: service "${target}"`);
      } else {
        const what =
          Object.entries(match)
            .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
            .join(', ') || kind;
        this.gap('gateway-route', route, `gateway route ${route.id} (${what}) to ${vsName}`, [
          'Spec',
          kind ?? 'HttpRoute',
          'Match',
        ]);
        this.wentTo.set(route, 'not carried: a gateway route other than "/"');
      }
    }
    return ingress;
  }

  private mapMesh(externals: readonly ExternalSpec[]): void {
    for (const mesh of this.all('AWS::AppMesh::Mesh')) {
      const filter = optional(mesh, ['Spec', 'EgressFilter', 'Type']) ?? 'DROP_ALL';
      if (filter === 'ALLOW_ALL') {
        this.wentTo.set(
          mesh,
          'the system; its egress filter ALLOW_ALL is not carried: every flavor lets tasks reach only the hosts in `externals`',
        );
        this.notes.push(
          "the mesh let tasks call any outside host (ALLOW_ALL): add each outside HTTPS API your services call to `externals` and to the caller's `backends`",
        );
      } else {
        this.wentTo.set(
          mesh,
          `the system; its egress filter DROP_ALL: tasks reach only the mesh and the externals (${externals.map((e) => e.name).join(', ') || 'none'})`,
        );
      }
    }
  }

  private systemName(): string {
    const mesh = this.all('AWS::AppMesh::Mesh')[0];
    const meshName = mesh && optional(mesh, ['MeshName']);
    // A name CDK generated (`StackSystemMesh1A2B3C4D`) says nothing: take the namespace's.
    if (typeof meshName === 'string' && !/[0-9A-F]{8}$/.test(meshName) && dnsLabel(meshName)) {
      return dnsLabel(meshName);
    }
    return firstLabel(this.namespace());
  }

  private namespace(): string {
    const counts = new Map<string, number>();
    for (const name of this.virtualServices.keys()) {
      const suffix = name.slice(name.indexOf('.') + 1);
      if (name.includes('.') && suffix.includes('.'))
        counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (best) return best.toLowerCase();
    const namespace = this.all('AWS::ServiceDiscovery::PrivateDnsNamespace')[0];
    const name = namespace && optional(namespace, ['Name']);
    return typeof name === 'string' ? name.toLowerCase() : 'mesh.local';
  }

  private checkTopology(topology: Topology): void {
    try {
      validateTopology(topology);
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      const service = /service "([^"]+)"/.exec(error.problems[0] ?? '')?.[1];
      const place = (service && this.servicePlaces.get(service)) || {
        file: this.model.stacks[0]!.file,
      };
      throw new ImportError(place, `the imported topology fails validation: ${error.message}`);
    }
  }

  private readEntries(): ReadEntry[] {
    const types = [...APP_MESH_TYPES, 'AWS::ECS::TaskDefinition'];
    return types.flatMap((type) =>
      this.all(type).flatMap((found) => {
        const wentTo = this.wentTo.get(found);
        if (type === 'AWS::ECS::TaskDefinition' && !wentTo) return [];
        const name = optional(found, [NAME_PROPERTY[type] ?? 'Family']);
        return [
          {
            type,
            name: typeof name === 'string' ? name : found.id,
            place: placeOf(found),
            wentTo: wentTo ?? 'not carried',
          },
        ];
      }),
    );
  }
}

interface MappedService {
  readonly name: string;
  readonly spec: Mutable<ServiceSpec> & Record<string, unknown>;
  readonly candidate: Candidate;
}

/** Whether a route matches more than every path. */
function hasMatch(plan: RoutePlan): boolean {
  const match = (plan.spec.Match ?? {}) as Record<string, unknown>;
  return Object.entries(match).some(([key, value]) => !(key === 'Prefix' && value === '/'));
}

function withoutKey(env: Readonly<Record<string, string>> | undefined, key: string) {
  if (!env || !(key in env)) return env;
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => name !== key));
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function containerIndex(task: Found, container: unknown): number {
  const list = (task.props.ContainerDefinitions ?? []) as unknown[];
  return Math.max(0, list.indexOf(container));
}

/**
 * The codePath of a service with no task definition in the input: a folder that does not exist,
 * whose name says what to fill in. Synthesis reads `<codePath>/Dockerfile` when a service has no
 * `image`, and stops there naming this path.
 */
export function placeholderCodePath(service: string): string {
  return `fill-in/the-folder-with-the-dockerfile-of-${service}`;
}

/** The topology an App Mesh system becomes, with what was read and what did not carry over. */
export function mapToTopology(model: AppMeshModel, options: MapOptions = {}): ImportResult {
  return new TopologyMapper(model, options).map();
}
