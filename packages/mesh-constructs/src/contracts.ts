/**
 * The contracts between the system, its flavor and its add-ons. Types only, and they name
 * interfaces, never the constructs that implement them: flavors and add-ons import this module
 * without importing `MeshedSystem`, `MeshedService`, `ServiceVersion` or `MeshIngress`, so there is
 * no import cycle.
 */
import type { ServiceSpec, Topology, VersionSpec } from '@color-teller/topology';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HardenedServiceProps } from './private/hardening';

/** One version of a service as one Fargate service (implemented by `ServiceVersion`). */
export interface IServiceVersion extends Construct {
  readonly serviceSpec: ServiceSpec;
  readonly versionSpec: VersionSpec;
  /** `<service>-<version>`, e.g. `color-red`. */
  readonly qualifiedName: string;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly logGroup: logs.ILogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly appContainer: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly fargateService: ecs.FargateService;
}

/** A service of the topology with all its versions (implemented by `MeshedService`). */
export interface IMeshedService extends Construct {
  readonly serviceSpec: ServiceSpec;
  readonly versions: readonly IServiceVersion[];
  /** The version named `name` in the topology; throws naming the versions there are. */
  versionNamed(name: string): IServiceVersion;
  /** Admits each version of `client` on this service's port, security group to security group. */
  admitCallsFrom(client: IMeshedService): void;
  /** Every version of this service deploys after every version of `server`. */
  deploysAfter(server: IMeshedService): void;
}

export interface IngressTargetOptions {
  readonly service: ecs.FargateService;
  readonly containerName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** @default - the traffic port */
  readonly healthCheckPort?: number;
  /**
   * Add a second target group for ECS native blue/green, canary and linear deployments: the
   * listener rule forwards to both (weights 100/0) and ECS shifts the weights.
   * @default false
   */
  readonly alternateTargets?: boolean;
}

export interface IngressTarget {
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly rule: elbv2.ApplicationListenerRule;
  /** Present when `alternateTargets` was asked for. */
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** Targets' 5xx a minute over both groups: after a shift the alternate group serves the live revision. */
  readonly serverErrors: cloudwatch.IMetric;
}

/** The one way in (implemented by `MeshIngress`). */
export interface IMeshIngress extends Construct {
  readonly listener: elbv2.IApplicationListener;
  /** Sends every path to `options.service` through a listener rule. */
  addTarget(id: string, options: IngressTargetOptions): IngressTarget;
}

/** What a flavor gets once, when it is bound to a system. */
export interface MeshBindContext {
  readonly topology: Topology;
  readonly vpc: ec2.IVpc;
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
  readonly version: IServiceVersion;
  readonly target: IngressTarget;
}

/** A service of the flavor's own that the ALB fronts in front of the versions (App Mesh's gateway). */
export interface IngressGateway {
  /** The dashboard row's title, e.g. `ingress gateway`. */
  readonly title: string;
  readonly service: ecs.FargateService;
  readonly target: IngressTarget;
  /** The topology's service behind the gateway: its `scaling` sizes the gateway too. */
  readonly fronts: ServiceSpec;
}

/** What the ALB fronts once the flavor has attached the ingress. */
export interface IngressAttachment {
  /** Versions the ALB sends traffic to directly. */
  readonly fronted: readonly IngressBinding[];
  /** @default - none */
  readonly gateways?: readonly IngressGateway[];
}

/**
 * A single-job piece of every service version, called in this order for each version. Props hooks
 * get the props being built and return them; the others get finished resources.
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
  versionReady?(version: IServiceVersion): void;
  /** Called once the ALB fronts `version` directly. */
  ingressTargetReady?(version: IServiceVersion, target: IngressTarget): void;
  /** Called once the ALB fronts a gateway of the flavor's own. */
  ingressGatewayReady?(gateway: IngressGateway): void;
}

/** A metric a graph can label by its source. */
export type SourceMetric = cloudwatch.Metric | cloudwatch.MathExpression;

/** One version's inbound requests as one source (the ALB, Service Connect, Lattice) measures them. */
export interface TrafficMetrics {
  /** Where the figures come from, shown in each line's label, e.g. `Service Connect`. */
  readonly source: string;
  readonly requests: SourceMetric;
  readonly serverErrors: SourceMetric;
  /** The 99th percentile of the response time, in milliseconds. */
  readonly latencyP99Ms: SourceMetric;
}

/**
 * A flavor bound to one system: discovery and routing. Its own version hooks run first, then the
 * add-ons', in the order of the system's list. The optional members tell add-ons what the flavor
 * measures and does itself.
 */
export interface BoundMeshFlavor extends ServicePart {
  /** The base URL a client's env holds for `serviceSpec`; may be a token resolved at synthesis. */
  backendUrl(serviceSpec: ServiceSpec): string;
  /** Routing between a service's versions, once they all exist. */
  serviceReady?(service: IMeshedService): void;
  /** Lets every version of `client` call `server` along this flavor's path (after every `serviceReady`). */
  connect(client: IMeshedService, server: IMeshedService): void;
  /** Routes the ingress's traffic to `service`. */
  attachIngress(ingress: IMeshIngress, service: IMeshedService): IngressAttachment;
  /**
   * The flavor's own figures for a version's inbound requests (the dashboard add-on shows them).
   * @default - only the ALB's figures
   */
  trafficMetrics?(version: IServiceVersion): TrafficMetrics | undefined;
  /**
   * Server errors of a version the ALB does not front (the rollback alarms add-on watches them).
   * @default - such versions get no rollback alarm
   */
  serverErrors?(version: IServiceVersion): cloudwatch.IMetric | undefined;
  /** Markdown under the dashboard's header: what the flavor does not publish. @default - none */
  readonly dashboardNote?: string;
  /**
   * Asked once by the tracing add-on, before any version renders: returns true when the flavor's
   * own proxies trace (it then turns that on); false or absent, the add-on adds a collector.
   */
  traceWithOwnProxies?(): boolean;
  /**
   * The flavor whose AWS endpoints (see `AWS_ENDPOINT_NAMES`) the tasks resolve: the DNS firewall
   * add-on allows those and the topology's externals.
   * @default - the DNS firewall add-on adds nothing
   */
  readonly egressNamesOf?: string;
}

/** How services find and call each other, before it is bound to a system (see `MeshFlavor`). */
export interface IMeshFlavor {
  /** Names the flavor in errors, outputs and stack names, e.g. `service-connect`. */
  readonly name: string;
  /** What this flavor cannot express in `topology`; one message per problem, naming the fix. */
  validate(topology: Topology): string[];
  /** The flavor's discovery and routing for one system; called once per system. */
  bind(scope: Construct, context: MeshBindContext): BoundMeshFlavor;
}

/** What an add-on gets when it is bound to a system: the bound flavor among the rest. */
export interface AddOnContext extends MeshBindContext {
  /** The flavor's name, e.g. `vpc-lattice`. */
  readonly flavorName: string;
  readonly flavor: BoundMeshFlavor;
}

/**
 * A single-job piece the system composes around its flavor (tracing, scaling, alarms, …). Bound
 * once per system, after the flavor and before any service renders; it may add system-wide
 * resources under `scope` and returns the hooks it runs for every version.
 */
export interface MeshAddOn {
  /** Names the add-on in a list (`defaultAddOns().filter((a) => a.name !== 'dashboard')`). */
  readonly name: string;
  bind(scope: Construct, context: AddOnContext): ServicePart;
}
