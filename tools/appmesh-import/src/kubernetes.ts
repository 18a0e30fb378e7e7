/**
 * The App Mesh controller's Kubernetes resources (`appmesh.k8s.aws/v1beta2`: Mesh, VirtualNode,
 * VirtualRouter with its routes, VirtualService, VirtualGateway, GatewayRoute) read as the
 * CloudFormation resources they stand for, so that one mapping serves both. Resources refer to
 * each other by Kubernetes name (`virtualNodeRef.name`); a virtual service is known by its
 * `awsName`, else its name, which is the DNS name callers use.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { CFN_ACRONYMS } from './cfn-spelling';
import { ImportError } from './errors';
import type { CfnResource, LoadedTemplate } from './template';

const API_GROUP = 'appmesh.k8s.aws/';

/** Keys whose CloudFormation spelling is not the capitalized Kubernetes one. */
const SPELLING: Readonly<Record<string, string>> = {
  ...CFN_ACRONYMS,
  awsCloudMap: 'AWSCloudMap',
};

/** A Kubernetes spec in CloudFormation's spelling: `portMapping` → `PortMapping`. */
function cfnSpelling(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cfnSpelling);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      SPELLING[key] ?? key.charAt(0).toUpperCase() + key.slice(1),
      cfnSpelling(item),
    ]),
  );
}

interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: Record<string, unknown>;
}

type Ref = { readonly name?: string } | undefined;

/** The spec without the Kubernetes-only fields (selectors) and what is mapped separately. */
function without(spec: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([key]) => !keys.includes(key)));
}

/** A Deployment (or another `apps/v1` workload): its pods' labels and containers. */
interface Workload extends Manifest {
  readonly spec?: {
    readonly template?: {
      readonly metadata?: { readonly labels?: Record<string, string> };
      readonly spec?: {
        readonly containers?: readonly {
          readonly name?: string;
          readonly image?: string;
          readonly env?: readonly { readonly name?: string; readonly value?: unknown }[];
          readonly ports?: readonly { readonly containerPort?: number }[];
        }[];
      };
    };
  };
}

/**
 * A workload whose pods a virtual node selects, as the task definition it stands for: its
 * containers, and the Envoy the controller's injector adds, which names the node in
 * `APPMESH_VIRTUAL_NODE_NAME`.
 */
function taskOfWorkload(
  workload: Workload,
  nodes: readonly { node: string; labels: Record<string, string> }[],
): CfnResource | undefined {
  const labels = workload.spec?.template?.metadata?.labels ?? {};
  const selected = nodes.find(
    ({ labels: wanted }) =>
      Object.keys(wanted).length > 0 &&
      Object.entries(wanted).every(([key, value]) => labels[key] === value),
  );
  if (!selected) return undefined;
  const containers = (workload.spec?.template?.spec?.containers ?? []).map((container) => ({
    Name: container.name,
    Image: container.image,
    Environment: (container.env ?? [])
      .filter((entry) => entry.value !== undefined)
      .map((entry) => ({ Name: entry.name, Value: String(entry.value) })),
    PortMappings: (container.ports ?? []).map((port) => ({ ContainerPort: port.containerPort })),
  }));
  const envoy = {
    Name: 'envoy',
    Environment: [
      { Name: 'APPMESH_VIRTUAL_NODE_NAME', Value: `mesh/k8s/virtualNode/${selected.node}` },
    ],
  };
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: { Family: workload.metadata?.name, ContainerDefinitions: [...containers, envoy] },
  };
}

/** Whether the text holds App Mesh controller resources. */
export function isAppMeshKubernetes(text: string): boolean {
  return new RegExp(`^apiVersion:\\s*['"]?${API_GROUP.replace('.', '\\.')}`, 'm').test(text);
}

/** The manifests of an App Mesh controller YAML file as a template of CloudFormation resources. */
export function parseKubernetes(file: string, text: string): LoadedTemplate {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(documents)) {
    throw new ImportError({ file }, 'not YAML: an empty stream');
  }
  const resources: Record<string, CfnResource> = {};
  const lines = new Map<string, number>();
  const manifests: { manifest: Manifest; line: number }[] = [];
  const workloads: { document: Workload; line: number }[] = [];
  for (const document of documents) {
    const problem = document.errors[0];
    if (problem) {
      throw new ImportError(
        { file, line: lineCounter.linePos(problem.pos[0]).line },
        `not YAML: ${problem.message.split('\n')[0]}`,
      );
    }
    const manifest = document.toJS() as Manifest | null;
    if (manifest?.apiVersion === 'apps/v1') {
      workloads.push({
        document: manifest as Workload,
        line: lineCounter.linePos(document.range[0]).line,
      });
    }
    if (!manifest?.apiVersion?.startsWith(API_GROUP)) continue;
    manifests.push({ manifest, line: lineCounter.linePos(document.range[0]).line });
  }
  const serviceNames = new Map(
    manifests
      .filter(({ manifest }) => manifest.kind === 'VirtualService')
      .map(({ manifest }) => [
        manifest.metadata?.name,
        String(manifest.spec?.awsName ?? manifest.metadata?.name),
      ]),
  );
  const serviceName = (ref: Ref) => (ref?.name && serviceNames.get(ref.name)) ?? ref?.name;
  const add = (id: string, line: number, resource: CfnResource) => {
    resources[id] = resource;
    lines.set(id, line);
  };
  const nodeSelectors = manifests
    .filter(({ manifest }) => manifest.kind === 'VirtualNode')
    .map(({ manifest }) => ({
      node: String(manifest.metadata?.name),
      labels: ((manifest.spec?.podSelector as { matchLabels?: Record<string, string> } | undefined)
        ?.matchLabels ?? {}) as Record<string, string>,
    }));
  for (const { document, line } of workloads) {
    const task = taskOfWorkload(document, nodeSelectors);
    if (task) add(`${document.kind}/${String(document.metadata?.name)}`, line, task);
  }
  for (const { manifest, line } of manifests) {
    const name = String(manifest.metadata?.name);
    const spec = manifest.spec ?? {};
    const id = `${manifest.kind}/${name}`;
    switch (manifest.kind) {
      case 'Mesh':
        add(id, line, {
          Type: 'AWS::AppMesh::Mesh',
          Properties: {
            MeshName: spec.awsName ?? name,
            Spec: cfnSpelling({ egressFilter: spec.egressFilter }) as object,
          },
        });
        break;
      case 'VirtualNode': {
        const backends = (
          (spec.backends ?? []) as { virtualService?: { virtualServiceRef?: Ref } }[]
        ).map((backend) => ({
          VirtualService: {
            VirtualServiceName: serviceName(backend.virtualService?.virtualServiceRef),
          },
        }));
        const rest = without(spec, ['backends', 'podSelector', 'awsName']);
        add(id, line, {
          Type: 'AWS::AppMesh::VirtualNode',
          Properties: {
            VirtualNodeName: name,
            Spec: { ...(cfnSpelling(rest) as object), Backends: backends },
          },
        });
        break;
      }
      case 'VirtualRouter': {
        add(id, line, {
          Type: 'AWS::AppMesh::VirtualRouter',
          Properties: { VirtualRouterName: name, Spec: { Listeners: cfnSpelling(spec.listeners) } },
        });
        for (const route of (spec.routes ?? []) as Record<string, unknown>[]) {
          const { name: routeName, priority, ...kinds } = route;
          const body = cfnSpelling(kinds) as Record<
            string,
            {
              Action?: {
                WeightedTargets?: { VirtualNodeRef?: { Name?: string }; Weight?: unknown }[];
              };
            }
          >;
          for (const kind of Object.values(body)) {
            const targets = kind.Action?.WeightedTargets ?? [];
            kind.Action!.WeightedTargets = targets.map((t) => ({
              VirtualNode: t.VirtualNodeRef?.Name,
              Weight: t.Weight,
            })) as never;
          }
          add(`${id}/${String(routeName)}`, line, {
            Type: 'AWS::AppMesh::Route',
            Properties: {
              RouteName: routeName,
              VirtualRouterName: name,
              Spec: { Priority: priority, ...body },
            },
          });
        }
        break;
      }
      case 'VirtualService': {
        const provider = (spec.provider ?? {}) as {
          virtualRouter?: { virtualRouterRef?: Ref };
          virtualNode?: { virtualNodeRef?: Ref };
        };
        add(id, line, {
          Type: 'AWS::AppMesh::VirtualService',
          Properties: {
            VirtualServiceName: serviceName({ name }),
            Spec: {
              Provider: provider.virtualRouter
                ? {
                    VirtualRouter: {
                      VirtualRouterName: provider.virtualRouter.virtualRouterRef?.name,
                    },
                  }
                : provider.virtualNode
                  ? { VirtualNode: { VirtualNodeName: provider.virtualNode.virtualNodeRef?.name } }
                  : {},
            },
          },
        });
        break;
      }
      case 'VirtualGateway': {
        const rest = without(spec, ['podSelector', 'namespaceSelector', 'gatewayRouteSelector']);
        add(id, line, {
          Type: 'AWS::AppMesh::VirtualGateway',
          Properties: { VirtualGatewayName: name, Spec: cfnSpelling(rest) },
        });
        break;
      }
      case 'GatewayRoute': {
        const body = cfnSpelling(spec) as Record<
          string,
          { Action?: { Target?: { VirtualService?: { VirtualServiceRef?: { Name?: string } } } } }
        >;
        for (const kind of Object.values(body)) {
          const target = kind?.Action?.Target;
          if (target?.VirtualService) {
            target.VirtualService = {
              VirtualServiceName: serviceName({
                name: target.VirtualService.VirtualServiceRef?.Name,
              }),
            } as never;
          }
        }
        add(id, line, {
          Type: 'AWS::AppMesh::GatewayRoute',
          Properties: { GatewayRouteName: name, Spec: body },
        });
        break;
      }
      default:
        break;
    }
  }
  return {
    file,
    template: { Resources: resources },
    lineOf: (path) => (path[0] === 'Resources' ? lines.get(String(path[1])) : undefined),
  };
}
