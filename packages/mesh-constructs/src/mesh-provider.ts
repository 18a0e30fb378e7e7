import type { Topology } from '@color-teller/topology';
import type { Construct } from 'constructs';
import type { MeshBindContext, MeshFlavor, MeshFlavorName, SystemMesh } from './mesh-flavor';
import { AppMeshFlavor, type AppMeshProviderProps } from './providers/app-mesh';
import {
  ServiceConnectFlavor,
  type ServiceConnectProviderProps,
} from './providers/service-connect';
import { VpcLatticeFlavor, type VpcLatticeProviderProps } from './providers/vpc-lattice';

/**
 * How services find and call each other on ECS. Services never see the flavor: only the URLs
 * (and switches such as request signing) in their env change. Binding a provider to a system
 * returns that system's own `SystemMesh`, so one provider can serve several systems.
 */
export class MeshProvider {
  /** ECS Service Connect with OpenTelemetry to X-Ray: how AWS runs a mesh on ECS in 2026. */
  static serviceConnect(props: ServiceConnectProviderProps = {}): MeshProvider {
    return new MeshProvider(new ServiceConnectFlavor(props));
  }

  /** Amazon VPC Lattice: weighted target groups, header rules and IAM auth between services. */
  static vpcLattice(props: VpcLatticeProviderProps = {}): MeshProvider {
    return new MeshProvider(new VpcLatticeFlavor(props));
  }

  /** AWS App Mesh with Envoy sidecars, as the article built it (App Mesh retired 2026-09-30). */
  static appMesh(props: AppMeshProviderProps = {}): MeshProvider {
    return new MeshProvider(new AppMeshFlavor(props));
  }

  private constructor(private readonly implementation: MeshFlavor) {}

  get flavor(): MeshFlavorName {
    return this.implementation.name;
  }

  /** What this flavor cannot express in `topology`; one message per problem, naming the fix. */
  validate(topology: Topology): string[] {
    return this.implementation.validate(topology);
  }

  /** The flavor's discovery and routing for one system, with the pieces it composes. */
  bind(scope: Construct, context: MeshBindContext): SystemMesh {
    return this.implementation.bind(scope, context);
  }
}

/** A flavor that can no longer deploy: what stopped it and which flavor replaces it. */
export interface FlavorRetirement {
  /** ISO date, e.g. `2026-09-30`. */
  readonly on: string;
  readonly successor: MeshFlavorName;
}

export interface MeshFlavorEntry {
  readonly name: MeshFlavorName;
  /** The AWS product, e.g. `App Mesh`. */
  readonly title: string;
  /** One line: what the flavor renders. */
  readonly summary: string;
  /** The provider with its default props. */
  readonly provider: () => MeshProvider;
  /** @default - the flavor deploys */
  readonly retired?: FlavorRetirement;
}

/** Every flavor the library renders, the default first. */
export const MESH_FLAVORS: readonly MeshFlavorEntry[] = [
  {
    name: 'service-connect',
    title: 'ECS Service Connect',
    summary: 'ECS Service Connect, OpenTelemetry to X-Ray, ECS native canary/linear/blue-green',
    provider: () => MeshProvider.serviceConnect(),
  },
  {
    name: 'vpc-lattice',
    title: 'VPC Lattice',
    summary: 'VPC Lattice service network, weighted target groups, header rules, IAM auth',
    provider: () => MeshProvider.vpcLattice(),
  },
  {
    name: 'appmesh',
    title: 'App Mesh',
    summary: "the article's App Mesh design, element by element; synthesizes, never deploys",
    provider: () => MeshProvider.appMesh(),
    retired: { on: '2026-09-30', successor: 'vpc-lattice' },
  },
];

/** The entry named `name`, or undefined for a name that is not a flavor. */
export function meshFlavorNamed(name: string): MeshFlavorEntry | undefined {
  return MESH_FLAVORS.find((entry) => entry.name === name);
}
