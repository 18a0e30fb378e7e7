/** What every part of the mapping shares: the model, the bindings, names, and what was found. */
import { bindTasks, type TaskBinding } from './binding';
import { ImportError, type Place } from './errors';
import type { Gap, GapKind, ReadEntry } from './findings';
import {
  APP_MESH_TYPES,
  optional,
  placeOf,
  required,
  resourcesOf,
  type AppMeshModel,
  type Found,
} from './model';
import type { ExternalSpec, ServiceSpec, TimeoutsSpec } from '@color-teller/topology';
import { timeoutsFrom } from './traffic-policy';

export interface MapOptions {
  /** The service the ingress fronts, when the templates do not say. */
  readonly ingress?: string;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A service to be: a virtual service (or a lone node) with the nodes that become its versions. */
export interface Candidate {
  name: string;
  /** The virtual service's name (its DNS name), absent for a node no virtual service provides. */
  readonly virtualServiceName?: string;
  readonly origin: Found;
  readonly nodes: Found[];
  readonly routes: Found[];
}

export interface MappedService {
  readonly name: string;
  readonly spec: Mutable<ServiceSpec> & Record<string, unknown>;
  readonly candidate: Candidate;
}

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

/** The timeouts at `path` of a route's or listener's spec; the topology's defaults left out. */
export function timeoutsAt(found: Found, path: (string | number)[]): TimeoutsSpec | undefined {
  return timeoutsFrom(optional(found, path));
}

export class MappingContext {
  readonly wentTo = new Map<Found, string>();
  readonly gaps: Gap[] = [];
  readonly notes: string[] = [];
  readonly placeholders: string[] = [];
  readonly bindings: Map<Found, TaskBinding>;
  readonly nodeNames = new Map<Found, string>();
  readonly virtualServices = new Map<string, Found>();
  /** Where each service came from, for placing topology validation problems. */
  readonly servicePlaces = new Map<string, Place>();
  /** Virtual service name → topology service or external name. */
  readonly targets = new Map<string, string>();
  /** By name; a caller's env may give the base URL's path. */
  readonly externals = new Map<string, Mutable<ExternalSpec>>();
  /** Virtual service names of what could not be carried, e.g. a TCP service. */
  readonly dropped = new Set<string>();

  constructor(
    readonly model: AppMeshModel,
    readonly options: MapOptions,
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

  all(type: string): readonly Found[] {
    return resourcesOf(this.model, type);
  }

  gap(kind: GapKind, found: Found, detail: string, path: (string | number)[] = []) {
    this.gaps.push({ kind, place: placeOf(found, path), detail });
  }

  nodeNamed(name: string, from: Found, path: (string | number)[]): Found {
    const node = [...this.nodeNames].find(([, n]) => n === name)?.[0];
    if (!node) {
      throw new ImportError(
        placeOf(from, path),
        `names virtual node "${name}", which no given template defines: fix the name, or give the template that defines it`,
      );
    }
    return node;
  }

  virtualServiceNamed(name: string, from: Found, path: (string | number)[]): Found {
    const found = this.virtualServices.get(name);
    if (!found) {
      throw new ImportError(
        placeOf(from, path),
        `names virtual service "${name}", which no given template defines: fix the name, or give the template that defines it`,
      );
    }
    return found;
  }

  readEntries(): ReadEntry[] {
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
