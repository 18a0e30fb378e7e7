/**
 * The resources an App Mesh system is made of, gathered from every given template with their
 * properties resolved, each remembering where it was read.
 */
import { ImportError, type Place } from './errors';
import { checkReferences, firstUnresolved, Resolver, Unresolved } from './intrinsics';
import type { LoadedTemplate } from './template';

/** One resource as read: its type, resolved properties and place. */
export interface Found {
  readonly stack: LoadedTemplate;
  readonly id: string;
  readonly type: string;
  /** Resolved; unknowable leaves are {@link Unresolved}. */
  readonly props: Record<string, unknown>;
  /** The raw properties, for following references (e.g. an env var that names a node). */
  readonly raw: Record<string, unknown>;
}

export const APP_MESH_TYPES = [
  'AWS::AppMesh::Mesh',
  'AWS::AppMesh::VirtualNode',
  'AWS::AppMesh::VirtualRouter',
  'AWS::AppMesh::Route',
  'AWS::AppMesh::VirtualService',
  'AWS::AppMesh::VirtualGateway',
  'AWS::AppMesh::GatewayRoute',
] as const;

/** What else the mapping reads: tasks, their ECS services, Cloud Map and the ALB's target groups. */
const RELATED_TYPES = [
  'AWS::ECS::TaskDefinition',
  'AWS::ECS::Service',
  'AWS::ServiceDiscovery::Service',
  'AWS::ServiceDiscovery::PrivateDnsNamespace',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
];

export interface AppMeshModel {
  readonly resolver: Resolver;
  readonly stacks: readonly LoadedTemplate[];
  /** By type, in the order the templates list them. */
  readonly byType: ReadonlyMap<string, readonly Found[]>;
  /** Resources of other types, which the import does not read. */
  readonly ignored: number;
}

export function placeOf(found: Found, path: readonly (string | number)[] = []): Place {
  const full = ['Resources', found.id, ...(path.length ? ['Properties', ...path] : [])];
  return { file: found.stack.file, line: found.stack.lineOf(full), resource: found.id };
}

/** The value at `path` of a resource's resolved properties. */
export function valueAt(found: Found, path: readonly (string | number)[]): unknown {
  let node: unknown = found.props;
  for (const key of path) {
    if (node instanceof Unresolved) return node;
    node = (node as Record<string | number, unknown> | undefined)?.[key];
  }
  return node;
}

/** A value the topology needs: its absence or an unresolvable value is an error at its place. */
export function required(found: Found, path: readonly (string | number)[], what: string): string {
  const value = valueAt(found, path);
  if (value === undefined) {
    throw new ImportError(placeOf(found, path), `${what} is missing (${path.join('.')})`);
  }
  const unresolved = firstUnresolved(value);
  if (unresolved) {
    throw new ImportError(placeOf(found, path), `${what} cannot be resolved: ${unresolved.reason}`);
  }
  return String(value);
}

/** A value that may be absent; unresolvable is reported as absent by the caller's choice. */
export function optional(found: Found, path: readonly (string | number)[]): unknown {
  const value = valueAt(found, path);
  return firstUnresolved(value) ? undefined : value;
}

export function readModel(
  stacks: readonly LoadedTemplate[],
  parameters: Readonly<Record<string, string>>,
): AppMeshModel {
  stacks.forEach(checkReferences);
  const resolver = new Resolver(stacks, parameters);
  const byType = new Map<string, Found[]>();
  let ignored = 0;
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources)) {
      const wanted =
        (APP_MESH_TYPES as readonly string[]).includes(resource.Type) ||
        RELATED_TYPES.includes(resource.Type);
      if (!wanted) {
        ignored += 1;
        continue;
      }
      if (resource.Condition && resolver.condition(stack, resource.Condition) === false) continue;
      const raw = resource.Properties ?? {};
      const props = resolver.resolve(stack, raw) as Record<string, unknown>;
      const list = byType.get(resource.Type) ?? [];
      list.push({ stack, id, type: resource.Type, props, raw });
      byType.set(resource.Type, list);
    }
  }
  const meshCount = APP_MESH_TYPES.reduce((sum, type) => sum + (byType.get(type)?.length ?? 0), 0);
  if (meshCount === 0) {
    throw new ImportError(
      { file: stacks.map((s) => s.file).join(', '), line: stacks[0]?.lineOf(['Resources']) },
      'holds no App Mesh resources (AWS::AppMesh::*): give the template(s) that define the mesh',
    );
  }
  return { resolver, stacks, byType, ignored };
}

export function resourcesOf(model: AppMeshModel, type: string): readonly Found[] {
  return model.byType.get(type) ?? [];
}
