/**
 * Maps an App Mesh system onto a topology: a virtual service becomes a service (its router's
 * weighted nodes its versions, header matches its routes), listeners give port and health path,
 * node backends give `backends`, the gateway's `/` route (or the ALB's service) the ingress,
 * outside DNS nodes the `externals`. What does not carry over becomes a {@link Gap}.
 */
import {
  backendEnvVar,
  TopologyError,
  validateTopology,
  type BackendRef,
  type ExternalSpec,
  type ServiceSpec,
  type Topology,
  type VersionSpec,
} from '@color-teller/topology';
import { ImportError } from './errors';
import type { Gap, ReadEntry } from './findings';
import { IngressMapper } from './map-ingress';
import { hasMatch, RouteMapper } from './map-routes';
import { TaskMapper } from './map-tasks';
import {
  MappingContext,
  timeoutsAt,
  type Candidate,
  type MappedService,
  type MapOptions,
  type Mutable,
} from './mapping-context';
import { optional, placeOf, required, valueAt, type AppMeshModel, type Found } from './model';
import { dnsLabel, firstLabel, shortNodeNames, versionNames } from './naming';
import { asNumber, outlierFrom } from './traffic-policy';

export type { MapOptions } from './mapping-context';

export interface ImportResult {
  readonly topology: Topology;
  readonly read: readonly ReadEntry[];
  readonly gaps: readonly Gap[];
  /** Values the importer chose or could not carry, each naming what to check. */
  readonly notes: readonly string[];
  /** Services whose task definition was not in the input. */
  readonly placeholders: readonly string[];
}

/** The name App Mesh gives a node's listener protocols that a topology service carries. */
const HTTP_PROTOCOLS = ['http', 'http2', 'grpc'];

class TopologyMapper {
  private readonly ctx: MappingContext;
  private readonly routes: RouteMapper;
  private readonly tasks: TaskMapper;
  private readonly ingressOf: IngressMapper;

  constructor(model: AppMeshModel, options: MapOptions) {
    this.ctx = new MappingContext(model, options);
    this.routes = new RouteMapper(this.ctx);
    this.tasks = new TaskMapper(this.ctx);
    this.ingressOf = new IngressMapper(this.ctx);
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
      ingress: { service: this.ingressOf.ingress(names, services) },
      ...(externals.length > 0 ? { externals } : {}),
    };
    this.mapMesh(externals);
    this.checkTopology(topology);
    return {
      topology,
      read: this.ctx.readEntries(),
      gaps: this.ctx.gaps,
      notes: this.ctx.notes,
      placeholders: this.ctx.placeholders,
    };
  }

  /** A DNS-discovered node on 443 that no task runs is an outside HTTPS host. */
  private isExternal(node: Found): boolean {
    const hostname = optional(node, ['Spec', 'ServiceDiscovery', 'DNS', 'Hostname']);
    const port = asNumber(optional(node, ['Spec', 'Listeners', 0, 'PortMapping', 'Port']));
    return !this.ctx.bindings.has(node) && typeof hostname === 'string' && port === 443;
  }

  private providerNode(virtualService: Found): Found | undefined {
    const name = optional(virtualService, ['Spec', 'Provider', 'VirtualNode', 'VirtualNodeName']);
    return typeof name === 'string'
      ? this.ctx.nodeNamed(name, virtualService, ['Spec', 'Provider', 'VirtualNode'])
      : undefined;
  }

  private mapExternals(): ExternalSpec[] {
    const externals: ExternalSpec[] = [];
    for (const [vsName, virtualService] of this.ctx.virtualServices) {
      const node = this.providerNode(virtualService);
      if (!node || !this.isExternal(node)) continue;
      const hostname = required(
        node,
        ['Spec', 'ServiceDiscovery', 'DNS', 'Hostname'],
        'the outside host name',
      );
      const nodeName = this.ctx.nodeNames.get(node)!;
      const name = dnsLabel(nodeName.replace(/^external-/, '')) || firstLabel(hostname);
      const external = { name, baseUrl: `https://${hostname}` };
      externals.push(external);
      this.ctx.externals.set(name, external);
      this.ctx.targets.set(vsName, name);
      this.ctx.wentTo.set(virtualService, `external "${name}"`);
      this.ctx.wentTo.set(node, `external "${name}" (https://${hostname})`);
    }
    return externals;
  }

  /** Every service to be: one per virtual service, then one per node nothing else covers. */
  private candidates(): Candidate[] {
    const candidates: Candidate[] = [];
    const covered = new Set<Found>();
    for (const [vsName, virtualService] of this.ctx.virtualServices) {
      if (this.ctx.targets.has(vsName)) continue;
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
        const router = this.ctx
          .all('AWS::AppMesh::VirtualRouter')
          .find((r) => optional(r, ['VirtualRouterName']) === routerName);
        if (!router) {
          throw new ImportError(
            placeOf(virtualService, ['Spec', 'Provider', 'VirtualRouter']),
            `names virtual router "${routerName}", which no given template defines: fix the name, or give the template that defines it`,
          );
        }
        routes = this.routes.routesOf(router);
        // The catch-all route's targets first: they are the versions' order.
        const plans = routes
          .flatMap((r) => this.routes.routePlan(r) ?? [])
          .sort((a, b) => Number(hasMatch(a)) - Number(hasMatch(b)));
        nodes = [...new Set(plans.flatMap((p) => p.targets.map((t) => t.node)))];
        this.ctx.wentTo.set(router, `the versions of service "${firstLabel(vsName)}"`);
      } else {
        this.ctx.wentTo.set(virtualService, 'not carried: it has no provider (no node, no router)');
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
    const loose = [...this.ctx.nodeNames.keys()].filter(
      (n) => !covered.has(n) && !this.ctx.wentTo.has(n),
    );
    const short = shortNodeNames([...this.ctx.nodeNames.values()]);
    for (const node of loose) {
      candidates.push({
        name: short.get(this.ctx.nodeNames.get(node)!)!,
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
      this.ctx.wentTo.set(candidate.origin, 'not carried: its routes name no virtual node');
      return undefined;
    }
    const listener = ['Spec', 'Listeners', 0];
    const protocol = String(optional(first, [...listener, 'PortMapping', 'Protocol']) ?? 'http');
    if (!HTTP_PROTOCOLS.includes(protocol)) {
      this.ctx.gap(
        'tcp-listener',
        first,
        `node "${this.ctx.nodeNames.get(first)}" listens for ${protocol}: service "${candidate.name}" is not imported`,
        [...listener],
      );
      for (const node of candidate.nodes)
        this.ctx.wentTo.set(node, `not carried: a ${protocol} listener`);
      this.ctx.wentTo.set(candidate.origin, `not carried: a ${protocol} service`);
      if (candidate.virtualServiceName) this.ctx.dropped.add(candidate.virtualServiceName);
      return undefined;
    }
    const port = Number(required(first, [...listener, 'PortMapping', 'Port'], 'the listener port'));
    const shortNames = shortNodeNames([...this.ctx.nodeNames.values()]);
    const names = versionNames(
      candidate.name,
      candidate.nodes.map((n) => shortNames.get(this.ctx.nodeNames.get(n)!)!),
    );
    const versionOf = new Map(candidate.nodes.map((node, i) => [node, names[i]!]));
    const spec: Mutable<ServiceSpec> & Record<string, unknown> = {
      name: candidate.name,
      codePath: `services/${candidate.name}`,
      port,
      healthPath: this.healthPath(candidate, first),
      versions: [],
    };
    this.ctx.servicePlaces.set(candidate.name, placeOf(candidate.origin));
    for (const node of candidate.nodes) this.checkNode(node, spec, port);
    const versions: Mutable<VersionSpec>[] = candidate.nodes.map((node) => ({
      name: versionOf.get(node)!,
    }));
    const timeouts = this.routes.mapRoutes(candidate, spec, versions, versionOf);
    if (versions.length > 1 && candidate.routes.length === 0) {
      versions.forEach((v) => (v.weight = 1));
    }
    spec.versions = versions;
    const listenerTimeouts = timeoutsAt(first, [...listener, 'Timeout', protocol.toUpperCase()]);
    const chosen = timeouts ?? listenerTimeouts;
    if (chosen) spec.timeouts = chosen;
    this.tasks.mapTasks(candidate, spec, versions);
    this.ctx.wentTo.set(
      candidate.origin,
      candidate.virtualServiceName
        ? `service "${candidate.name}"`
        : `service "${candidate.name}" (version "${versions[0]!.name}")`,
    );
    for (const node of candidate.nodes) {
      this.ctx.wentTo.set(node, `service "${candidate.name}", version "${versionOf.get(node)}"`);
    }
    return { name: candidate.name, spec, candidate };
  }

  private healthPath(candidate: Candidate, node: Found): string {
    const path = optional(node, ['Spec', 'Listeners', 0, 'HealthCheck', 'Path']);
    if (typeof path === 'string' && path.startsWith('/')) return path;
    const fromAlb = this.albHealthPath(candidate);
    if (fromAlb) return fromAlb;
    this.ctx.notes.push(
      `service "${candidate.name}": node "${this.ctx.nodeNames.get(node)}" has no HTTP health check, so healthPath is "/": set it to the path that answers 200 when the service is healthy`,
    );
    return '/';
  }

  /** The ALB target group's health check path, when the service's task is behind one. */
  private albHealthPath(candidate: Candidate): string | undefined {
    for (const node of candidate.nodes) {
      const ecsService = this.ctx.bindings.get(node)?.ecsService;
      const balancers = ecsService?.raw.LoadBalancers;
      if (!Array.isArray(balancers)) continue;
      for (const group of this.ctx.all('AWS::ElasticLoadBalancingV2::TargetGroup')) {
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
    const name = this.ctx.nodeNames.get(node);
    const listeners = (valueAt(node, ['Spec', 'Listeners']) ?? []) as Record<string, unknown>[];
    listeners.forEach((listener, index) => {
      const at = ['Spec', 'Listeners', index];
      const protocol = (listener.PortMapping as { Protocol?: unknown } | undefined)?.Protocol;
      if (protocol === 'grpc' || protocol === 'http2') {
        this.ctx.gap('grpc-http2', node, `node "${name}" listens for ${String(protocol)}`, [...at]);
      }
      const listenerPort = asNumber((listener.PortMapping as { Port?: unknown } | undefined)?.Port);
      if (index > 0) {
        this.ctx.gap(
          'other',
          node,
          `node "${name}" has another listener on ${listenerPort}: only the first (${port}) is carried`,
          [...at],
        );
      }
      if (listener.TLS)
        this.ctx.gap('tls', node, `node "${name}" terminates TLS on its listener`, [...at, 'TLS']);
      if (listener.OutlierDetection) {
        this.mapOutlier(node, spec, listener.OutlierDetection as Record<string, unknown>, [
          ...at,
          'OutlierDetection',
        ]);
      }
      if (listener.ConnectionPool) {
        this.ctx.gap(
          'connection-pool',
          node,
          `node "${name}" bounds its connections (${JSON.stringify(listener.ConnectionPool)})`,
          [...at, 'ConnectionPool'],
        );
      }
    });
    if (valueAt(node, ['Spec', 'Logging', 'AccessLog'])) {
      this.ctx.gap('access-log', node, `node "${name}" writes an Envoy access log`, [
        'Spec',
        'Logging',
      ]);
    }
    if (valueAt(node, ['Spec', 'BackendDefaults', 'ClientPolicy', 'TLS'])) {
      this.ctx.gap(
        'tls',
        node,
        `node "${name}" validates its backends' certificates (backend defaults)`,
        ['Spec', 'BackendDefaults'],
      );
    }
    const backends = (valueAt(node, ['Spec', 'Backends']) ?? []) as Record<string, unknown>[];
    backends.forEach((backend, index) => {
      if ((backend.VirtualService as { ClientPolicy?: unknown } | undefined)?.ClientPolicy) {
        this.ctx.gap('tls', node, `node "${name}" has a TLS client policy for a backend`, [
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
    const name = this.ctx.nodeNames.get(node);
    const carried = outlierFrom(detection);
    if (carried && spec.outlierDetection === undefined) {
      spec.outlierDetection = carried.spec;
      this.ctx.gap(
        'outlier-detection',
        node,
        `node "${name}": carried as outlierDetection ${JSON.stringify(carried.spec)}; not carried: ${carried.dropped.join('; ')}`,
        path,
      );
      return;
    }
    this.ctx.gap(
      'outlier-detection',
      node,
      `node "${name}": ${JSON.stringify(detection)} is not carried`,
      path,
    );
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
        this.ctx.virtualServiceNamed(vsName, node, path);
        if (this.ctx.dropped.has(vsName)) {
          this.ctx.gap(
            'tcp-listener',
            node,
            `backend ${vsName} of service "${spec.name}" is not imported (not HTTP)`,
            path,
          );
          return;
        }
        const target =
          this.ctx.targets.get(vsName) ??
          candidates.find((c) => c.virtualServiceName === vsName)?.name;
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
    const external = this.ctx.externals.get(target);
    if (external && value.startsWith(external.baseUrl)) {
      // The caller's env holds the whole base URL, path included.
      external.baseUrl = value.replace(/\/+$/, '');
    } else if (!/^https?:\/\//.test(value)) {
      this.ctx.notes.push(
        `service "${spec.name}": ${envVar} held "${value}"; it now holds the backend's URL (http://host:port): make the service read a URL`,
      );
    }
    return envVar === backendEnvVar({ service: target })
      ? { service: target }
      : { service: target, envVar };
  }

  private mapMesh(externals: readonly ExternalSpec[]): void {
    for (const mesh of this.ctx.all('AWS::AppMesh::Mesh')) {
      const filter = optional(mesh, ['Spec', 'EgressFilter', 'Type']) ?? 'DROP_ALL';
      if (filter === 'ALLOW_ALL') {
        this.ctx.wentTo.set(
          mesh,
          'the system; its egress filter ALLOW_ALL is not carried: every flavor lets tasks reach only the hosts in `externals`',
        );
        this.ctx.notes.push(
          "the mesh let tasks call any outside host (ALLOW_ALL): add each outside HTTPS API your services call to `externals` and to the caller's `backends`",
        );
      } else {
        this.ctx.wentTo.set(
          mesh,
          `the system; its egress filter DROP_ALL: tasks reach only the mesh and the externals (${externals.map((e) => e.name).join(', ') || 'none'})`,
        );
      }
    }
  }

  private systemName(): string {
    const mesh = this.ctx.all('AWS::AppMesh::Mesh')[0];
    const meshName = mesh && optional(mesh, ['MeshName']);
    // A name CDK generated (`StackSystemMesh1A2B3C4D`) says nothing: take the namespace's.
    if (typeof meshName === 'string' && !/[0-9A-F]{8}$/.test(meshName) && dnsLabel(meshName)) {
      return dnsLabel(meshName);
    }
    return firstLabel(this.namespace());
  }

  private namespace(): string {
    const counts = new Map<string, number>();
    for (const name of this.ctx.virtualServices.keys()) {
      const suffix = name.slice(name.indexOf('.') + 1);
      if (name.includes('.') && suffix.includes('.'))
        counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (best) return best.toLowerCase();
    const namespace = this.ctx.all('AWS::ServiceDiscovery::PrivateDnsNamespace')[0];
    const name = namespace && optional(namespace, ['Name']);
    return typeof name === 'string' ? name.toLowerCase() : 'mesh.local';
  }

  private checkTopology(topology: Topology): void {
    try {
      validateTopology(topology);
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      const service = /service "([^"]+)"/.exec(error.problems[0] ?? '')?.[1];
      const place = (service && this.ctx.servicePlaces.get(service)) || {
        file: this.ctx.model.stacks[0]!.file,
      };
      throw new ImportError(place, `the imported topology fails validation: ${error.message}`);
    }
  }
}

function withoutKey(env: Readonly<Record<string, string>> | undefined, key: string) {
  if (!env || !(key in env)) return env;
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => name !== key));
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** The topology an App Mesh system becomes, with what was read and what did not carry over. */
export function mapToTopology(model: AppMeshModel, options: MapOptions = {}): ImportResult {
  return new TopologyMapper(model, options).map();
}
