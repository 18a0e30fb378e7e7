/**
 * Which ECS task runs which virtual node (or gateway): through the Envoy container's
 * `APPMESH_RESOURCE_ARN` / `APPMESH_VIRTUAL_NODE_NAME`, or through the ECS service's Cloud Map
 * registry when its name is the node's DNS hostname or Cloud Map service.
 */
import { referencedIds } from './intrinsics';
import { optional, resourcesOf, type AppMeshModel, type Found } from './model';

/** The env names Envoy reads its App Mesh resource from (the ARN form is the later one). */
const ENVOY_RESOURCE_VARS = ['APPMESH_RESOURCE_ARN', 'APPMESH_VIRTUAL_NODE_NAME'];

export interface TaskBinding {
  readonly task: Found;
  /** The ECS service that runs the task, when the templates hold it. */
  readonly ecsService?: Found;
  /** How the task was bound, for the report. */
  readonly how: string;
}

export interface ContainerDefinition {
  readonly Name?: unknown;
  readonly Image?: unknown;
  readonly Essential?: unknown;
  readonly Command?: unknown;
  readonly Environment?: readonly { Name?: unknown; Value?: unknown }[];
  readonly PortMappings?: readonly { ContainerPort?: unknown }[];
}

export function containersOf(task: Found): ContainerDefinition[] {
  const list = task.props.ContainerDefinitions;
  return Array.isArray(list) ? (list as ContainerDefinition[]) : [];
}

function isEnvoy(container: ContainerDefinition): boolean {
  const names = (container.Environment ?? []).map((e) => e.Name);
  return (
    names.some((name) => ENVOY_RESOURCE_VARS.includes(String(name))) ||
    container.Name === 'envoy' ||
    String(container.Image).includes('aws-appmesh-envoy')
  );
}

/** Sidecars that are not the application: Envoy, the X-Ray daemon, agents and collectors. */
function isSidecar(container: ContainerDefinition): boolean {
  const text = `${String(container.Name)} ${String(container.Image)}`.toLowerCase();
  return isEnvoy(container) || /xray|cwagent|cloudwatch-agent|otel|collector|fluent/.test(text);
}

/** The application container: not a sidecar, preferably the one listening on `port`. */
export function appContainer(task: Found, port?: number): ContainerDefinition | undefined {
  const apps = containersOf(task).filter((c) => !isSidecar(c));
  return (
    apps.find((c) => (c.PortMappings ?? []).some((p) => Number(p.ContainerPort) === port)) ??
    apps.find((c) => c.Essential !== false) ??
    apps[0]
  );
}

/** The node or gateway an Envoy env var names: by reference, else by the name in its value. */
function envoyTarget(model: AppMeshModel, task: Found): Found | undefined {
  const raw = (task.raw.ContainerDefinitions ?? []) as ContainerDefinition[];
  const candidates = [
    ...resourcesOf(model, 'AWS::AppMesh::VirtualNode'),
    ...resourcesOf(model, 'AWS::AppMesh::VirtualGateway'),
  ];
  for (const container of raw) {
    for (const entry of container.Environment ?? []) {
      if (!ENVOY_RESOURCE_VARS.includes(String(entry.Name))) continue;
      const ids = referencedIds(entry.Value);
      const byReference = candidates.find((c) => c.stack === task.stack && ids.includes(c.id));
      if (byReference) return byReference;
      const value = model.resolver.resolveText(task.stack, entry.Value);
      const match = typeof value === 'string' && /\/virtual(Node|Gateway)\/([^/]+)$/.exec(value);
      if (match) {
        const property = match[1] === 'Node' ? 'VirtualNodeName' : 'VirtualGatewayName';
        const byName = candidates.find((c) => optional(c, [property]) === match[2]);
        if (byName) return byName;
      }
    }
  }
  return undefined;
}

/** The resource in `stack` a raw value refers to (`!Ref X`, `!GetAtt X.Arn`), of one type. */
function referenced(model: AppMeshModel, from: Found, raw: unknown, type: string) {
  const ids = referencedIds(raw);
  return resourcesOf(model, type).find((r) => r.stack === from.stack && ids.includes(r.id));
}

/** The DNS names an ECS service registers its tasks under in Cloud Map. */
function registeredNames(model: AppMeshModel, ecsService: Found): string[] {
  const registries = (ecsService.raw.ServiceRegistries ?? []) as { RegistryArn?: unknown }[];
  return registries.flatMap((registry) => {
    const entry = referenced(
      model,
      ecsService,
      registry.RegistryArn,
      'AWS::ServiceDiscovery::Service',
    );
    const name = entry ? optional(entry, ['Name']) : undefined;
    if (!entry || typeof name !== 'string') return [];
    const dnsConfig = entry.raw.DnsConfig as { NamespaceId?: unknown } | undefined;
    const namespaceRaw = dnsConfig?.NamespaceId ?? entry.raw.NamespaceId;
    const namespace = referenced(
      model,
      entry,
      namespaceRaw,
      'AWS::ServiceDiscovery::PrivateDnsNamespace',
    );
    const namespaceName = namespace && optional(namespace, ['Name']);
    return typeof namespaceName === 'string' ? [name, `${name}.${namespaceName}`] : [name];
  });
}

/** The names a node is discovered by: its DNS hostname, or its Cloud Map service (and FQDN). */
export function discoveryNames(node: Found): string[] {
  const hostname = optional(node, ['Spec', 'ServiceDiscovery', 'DNS', 'Hostname']);
  const cloudMap = optional(node, ['Spec', 'ServiceDiscovery', 'AWSCloudMap']) as
    { ServiceName?: unknown; NamespaceName?: unknown } | undefined;
  const names: string[] = [];
  if (typeof hostname === 'string') names.push(hostname);
  if (typeof cloudMap?.ServiceName === 'string') {
    // A registry whose namespace is not in the input is known by its bare name.
    names.push(cloudMap.ServiceName, `${cloudMap.ServiceName}.${String(cloudMap.NamespaceName)}`);
  }
  return names;
}

/** Every task bound to a node or gateway, by the node's (or gateway's) logical place. */
export function bindTasks(model: AppMeshModel): Map<Found, TaskBinding> {
  const bindings = new Map<Found, TaskBinding>();
  const ecsServices = resourcesOf(model, 'AWS::ECS::Service');
  const serviceOf = (task: Found) =>
    ecsServices.find((s) => referenced(model, s, s.raw.TaskDefinition, task.type) === task);
  for (const task of resourcesOf(model, 'AWS::ECS::TaskDefinition')) {
    const target = envoyTarget(model, task);
    if (target && !bindings.has(target)) {
      bindings.set(target, { task, ecsService: serviceOf(task), how: "its Envoy container's env" });
    }
  }
  const nodes = resourcesOf(model, 'AWS::AppMesh::VirtualNode');
  for (const ecsService of ecsServices) {
    const task = referenced(
      model,
      ecsService,
      ecsService.raw.TaskDefinition,
      'AWS::ECS::TaskDefinition',
    );
    if (!task || [...bindings.values()].some((b) => b.task === task)) continue;
    const names = registeredNames(model, ecsService);
    const node = nodes.find(
      (n) => !bindings.has(n) && discoveryNames(n).some((name) => names.includes(name)),
    );
    if (node) {
      bindings.set(node, { task, ecsService, how: "its ECS service's Cloud Map registry" });
    }
  }
  return bindings;
}

/** The task definitions behind the ALB: the ECS services that list a load balancer target group. */
export function loadBalancedTasks(model: AppMeshModel): Found[] {
  return resourcesOf(model, 'AWS::ECS::Service').flatMap((ecsService) => {
    const balancers = ecsService.raw.LoadBalancers;
    if (!Array.isArray(balancers) || balancers.length === 0) return [];
    const task = referenced(
      model,
      ecsService,
      ecsService.raw.TaskDefinition,
      'AWS::ECS::TaskDefinition',
    );
    return task ? [task] : [];
  });
}
