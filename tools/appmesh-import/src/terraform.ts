/**
 * Terraform's App Mesh resources (`aws_appmesh_*`), as `terraform show -json` prints the state,
 * read as the CloudFormation resources they stand for. Terraform writes nested blocks as lists
 * of one (`spec[0].listener[0].port_mapping[0].port`) and names in snake case; this turns them
 * into CloudFormation's shape so that one mapping serves both.
 */
import { CFN_ACRONYMS } from './cfn-spelling';
import { ImportError } from './errors';
import type { CfnResource, LoadedTemplate } from './template';

/** Terraform's resource type → CloudFormation's type and its name property. */
const TYPES: Readonly<Record<string, readonly [string, string]>> = {
  aws_appmesh_mesh: ['AWS::AppMesh::Mesh', 'MeshName'],
  aws_appmesh_virtual_node: ['AWS::AppMesh::VirtualNode', 'VirtualNodeName'],
  aws_appmesh_virtual_router: ['AWS::AppMesh::VirtualRouter', 'VirtualRouterName'],
  aws_appmesh_route: ['AWS::AppMesh::Route', 'RouteName'],
  aws_appmesh_virtual_service: ['AWS::AppMesh::VirtualService', 'VirtualServiceName'],
  aws_appmesh_virtual_gateway: ['AWS::AppMesh::VirtualGateway', 'VirtualGatewayName'],
  aws_appmesh_gateway_route: ['AWS::AppMesh::GatewayRoute', 'GatewayRouteName'],
};

/** Blocks whose CloudFormation name is not the Pascal case of Terraform's. */
const SPELLING: Readonly<Record<string, string>> = {
  listener: 'Listeners',
  backend: 'Backends',
  weighted_target: 'WeightedTargets',
  header: 'Headers',
  ...CFN_ACRONYMS,
  aws_cloud_map: 'AWSCloudMap',
  http_retry_events: 'HttpRetryEvents',
  tcp_retry_events: 'TcpRetryEvents',
  egress_filter: 'EgressFilter',
};

/** Blocks that are lists in CloudFormation too; every other list of one is a single block. */
const LISTS = new Set(['listener', 'backend', 'weighted_target', 'header']);

function pascal(key: string): string {
  return SPELLING[key] ?? key.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase());
}

function cfnShape(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => cfnShape(item));
    return LISTS.has(key) || items.length !== 1 || typeof value[0] !== 'object' ? items : items[0];
  }
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null && !(Array.isArray(item) && item.length === 0))
      .map(([k, item]) => [pascal(k), cfnShape(item, k)]),
  );
}

interface StateResource {
  readonly address?: string;
  readonly type?: string;
  readonly values?: Record<string, unknown>;
}

interface StateModule {
  readonly resources?: readonly StateResource[];
  readonly child_modules?: readonly StateModule[];
}

function resourcesIn(module: StateModule | undefined): StateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(resourcesIn)];
}

/** Whether a JSON document is `terraform show -json` output. */
export function isTerraformState(document: unknown): boolean {
  return (
    typeof document === 'object' &&
    document !== null &&
    'format_version' in document &&
    'values' in document
  );
}

/** The App Mesh resources of a Terraform state as a template of CloudFormation resources. */
export function parseTerraform(file: string, document: unknown): LoadedTemplate {
  const root = (document as { values?: { root_module?: StateModule } }).values?.root_module;
  const resources: Record<string, CfnResource> = {};
  for (const resource of resourcesIn(root)) {
    const mapping = resource.type && TYPES[resource.type];
    if (!mapping) continue;
    const [type, nameProperty] = mapping;
    const values = resource.values ?? {};
    const spec = cfnShape(values.spec, 'spec') as Record<string, unknown> | undefined;
    const properties: Record<string, unknown> = {
      [nameProperty]: values.name,
      ...(values.mesh_name === undefined ? {} : { MeshName: values.mesh_name }),
      ...(values.virtual_router_name === undefined
        ? {}
        : { VirtualRouterName: values.virtual_router_name }),
      ...(values.virtual_gateway_name === undefined
        ? {}
        : { VirtualGatewayName: values.virtual_gateway_name }),
      Spec: spec ?? {},
    };
    resources[String(resource.address)] = { Type: type, Properties: properties };
  }
  if (Object.keys(resources).length === 0 && !root) {
    throw new ImportError(
      { file },
      'a Terraform state without values.root_module: give the output of `terraform show -json`',
    );
  }
  return { file, template: { Resources: resources }, lineOf: () => undefined };
}
