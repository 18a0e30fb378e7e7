import type { Topology } from '@color-teller/topology';
import type { Construct } from 'constructs';
import type { BoundMeshFlavor, IMeshFlavor, MeshBindContext } from './contracts';
import type { MeshFlavorName } from './mesh-flavors';
import { AppMeshFlavor } from './providers/app-mesh';
import { ServiceConnectFlavor } from './providers/service-connect';
import { VpcLatticeFlavor, type VpcLatticeFlavorProps } from './providers/vpc-lattice';

/**
 * How services find and call each other on ECS. Services never see the flavor: only the URLs (and
 * switches such as request signing) in their env change. `bind()` returns the system's own
 * `BoundMeshFlavor`, so one flavor can serve several systems.
 *
 * Use a static factory for the flavors of this library, or extend this class (or implement
 * `IMeshFlavor`) for your own: it is one file plus its tests.
 */
export abstract class MeshFlavor implements IMeshFlavor {
  /** ECS Service Connect with OpenTelemetry to X-Ray: how AWS runs a mesh on ECS in 2026. */
  static serviceConnect(): IMeshFlavor {
    return new ServiceConnectFlavor();
  }

  /** Amazon VPC Lattice: weighted target groups, header rules and IAM auth between services. */
  static vpcLattice(props: VpcLatticeFlavorProps = {}): IMeshFlavor {
    return new VpcLatticeFlavor(props);
  }

  /** AWS App Mesh with Envoy sidecars, as the article built it (App Mesh retired 2026-09-30). */
  static appMesh(): IMeshFlavor {
    return new AppMeshFlavor();
  }

  /** The flavor of `MESH_FLAVORS` named `name`, with its defaults. */
  static named(name: MeshFlavorName): IMeshFlavor {
    return FACTORIES[name]();
  }

  abstract readonly name: string;

  /** Override to refuse what the flavor cannot express. @default - every topology renders */
  validate(_topology: Topology): string[] {
    return [];
  }

  abstract bind(scope: Construct, context: MeshBindContext): BoundMeshFlavor;
}

/** Typed by `MeshFlavorName`: a name added to `MESH_FLAVORS` without a factory fails to compile. */
const FACTORIES: Record<MeshFlavorName, () => IMeshFlavor> = {
  'service-connect': () => MeshFlavor.serviceConnect(),
  'vpc-lattice': () => MeshFlavor.vpcLattice(),
  appmesh: () => MeshFlavor.appMesh(),
};
