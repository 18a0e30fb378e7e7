/**
 * The contract a mesh flavor implements. Types only: flavors import it without importing the
 * `MeshProvider` factories, so there is no import cycle.
 */
import type { ServiceSpec, Topology, VersionSpec } from '@color-teller/topology';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { IngressTarget, MeshIngress } from './ingress';
import type { MeshedService } from './meshed-service';
import type { HardenedServiceProps } from './private/hardening';
import type { ServiceVersion } from './service-version';

export type MeshFlavorName = 'service-connect' | 'vpc-lattice' | 'appmesh';

/** What a flavor gets once, when it is bound to a system. */
export interface MeshBindContext {
  readonly topology: Topology;
  readonly vpc: IVpc;
  readonly cluster: ecs.ICluster;
  /** Key that encrypts every log group the system creates. */
  readonly logKey: IKey;
}

/** Which version is being rendered, before any of its resources exist. */
export interface VersionIdentity {
  readonly serviceSpec: ServiceSpec;
  readonly versionSpec: VersionSpec;
  /** `<service>-<version>`, e.g. `color-red`. */
  readonly qualifiedName: string;
}

/** A version's finished task definition and app container: where sidecars attach. */
export interface VersionTask extends VersionIdentity {
  /** The version's construct: scope for what a part adds beside the task. */
  readonly scope: Construct;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly appContainer: ecs.ContainerDefinition;
  readonly logGroup: logs.ILogGroup;
}

/** An ALB target group that fronts one version directly. */
export interface IngressBinding {
  readonly version: ServiceVersion;
  readonly target: IngressTarget;
}

/**
 * A single-job piece of a service version (tracing, scaling, deployment, alarms, or a flavor's
 * discovery), called in this order for each version. Props hooks get the props being built and
 * return them; the others get finished resources.
 */
export interface ServicePart {
  taskDefinitionProps?(
    version: VersionIdentity,
    props: ecs.FargateTaskDefinitionProps,
  ): ecs.FargateTaskDefinitionProps;
  appContainerProps?(
    version: VersionIdentity,
    props: ecs.ContainerDefinitionOptions,
  ): ecs.ContainerDefinitionOptions;
  taskReady?(task: VersionTask): void;
  fargateServiceProps?(task: VersionTask, props: HardenedServiceProps): HardenedServiceProps;
  versionReady?(version: ServiceVersion): void;
  /** Called once the ALB fronts `version` directly. */
  ingressTargetReady?(version: ServiceVersion, target: IngressTarget): void;
}

/**
 * A flavor bound to one system: discovery and routing. Its own version hooks run first, then the
 * shared `parts` it composes, in order.
 */
export interface SystemMesh extends ServicePart {
  readonly parts: readonly ServicePart[];
  /** The base URL a client's env holds for `serviceSpec`. */
  backendUrl(serviceSpec: ServiceSpec): string;
  /** Routing between a service's versions, once they all exist (backends come first). */
  serviceReady?(service: MeshedService): void;
  /** Lets every version of `client` call `server` along this flavor's path. */
  connect(client: MeshedService, server: MeshedService): void;
  /** Routes the ingress's traffic to `service`; returns the targets that front versions directly. */
  attachIngress(ingress: MeshIngress, service: MeshedService): readonly IngressBinding[];
}

/** How services find and call each other, before it is bound to a system. */
export interface MeshFlavor {
  readonly name: MeshFlavorName;
  /** What this flavor cannot express in `topology`; one message per problem, naming the fix. */
  validate(topology: Topology): string[];
  bind(scope: Construct, context: MeshBindContext): SystemMesh;
}
