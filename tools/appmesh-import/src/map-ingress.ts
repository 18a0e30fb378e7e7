/**
 * Which service the ingress fronts: the virtual gateway's route `/`, else the ECS service behind
 * the load balancer, else `--ingress`, else the one service no other calls.
 */
import { loadBalancedTasks } from './binding';
import { ImportError } from './errors';
import { required, valueAt } from './model';
import type { MappedService, MappingContext } from './mapping-context';
import { firstLabel } from './naming';

export class IngressMapper {
  constructor(private readonly ctx: MappingContext) {}

  ingress(names: ReadonlySet<string>, services: readonly MappedService[]): string {
    const files = this.ctx.model.stacks.map((s) => s.file).join(', ');
    if (this.ctx.options.ingress !== undefined) {
      if (!names.has(this.ctx.options.ingress)) {
        throw new ImportError(
          { file: files },
          `--ingress "${this.ctx.options.ingress}" is not an imported service: use one of ${[...names].join(', ')}`,
        );
      }
      return this.ctx.options.ingress;
    }
    const fromGateway = this.gatewayIngress();
    if (fromGateway) return fromGateway;
    for (const task of loadBalancedTasks(this.ctx.model)) {
      const node = [...this.ctx.bindings].find(([, b]) => b.task === task)?.[0];
      const service = node && services.find((s) => s.candidate.nodes.includes(node));
      if (service) {
        this.ctx.notes.push(
          `the ingress is service "${service.name}": its ECS service is behind the load balancer`,
        );
        return service.name;
      }
    }
    const called = new Set(services.flatMap((s) => (s.spec.backends ?? []).map((b) => b.service)));
    const uncalled = [...names].filter((n) => !called.has(n));
    if (uncalled.length === 1) {
      this.ctx.notes.push(
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
    for (const gateway of this.ctx.all('AWS::AppMesh::VirtualGateway')) {
      this.ctx.wentTo.set(
        gateway,
        'the ingress (the load balancer fronts the ingress service directly)',
      );
      const listeners = (valueAt(gateway, ['Spec', 'Listeners']) ?? []) as Record<
        string,
        unknown
      >[];
      listeners.forEach((listener, index) => {
        if (listener.TLS)
          this.ctx.gap('tls', gateway, `gateway ${gateway.id} terminates TLS`, [
            'Spec',
            'Listeners',
            index,
            'TLS',
          ]);
      });
      if (valueAt(gateway, ['Spec', 'Logging', 'AccessLog'])) {
        this.ctx.gap('access-log', gateway, `gateway ${gateway.id} writes an Envoy access log`, [
          'Spec',
          'Logging',
        ]);
      }
    }
    for (const route of this.ctx.all('AWS::AppMesh::GatewayRoute')) {
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
      this.ctx.virtualServiceNamed(vsName, route, targetPath);
      const target = this.ctx.targets.get(vsName) ?? firstLabel(vsName);
      const onlyRoot =
        kind === 'HttpRoute' && match.Prefix === '/' && Object.keys(match).length === 1;
      if (onlyRoot && ingress === undefined) {
        ingress = target;
        this.ctx.wentTo.set(route, `ingress: service "${target}"`);
      } else {
        const what =
          Object.entries(match)
            .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
            .join(', ') || kind;
        this.ctx.gap('gateway-route', route, `gateway route ${route.id} (${what}) to ${vsName}`, [
          'Spec',
          kind ?? 'HttpRoute',
          'Match',
        ]);
        this.ctx.wentTo.set(route, 'not carried: a gateway route other than "/"');
      }
    }
    return ingress;
  }
}
