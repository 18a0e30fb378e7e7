import type { ServiceSpec, Topology } from '@color-teller/topology';
import type {
  ICluster,
  FargateTaskDefinitionProps,
  FargateServiceProps,
} from 'aws-cdk-lib/aws-ecs';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { MeshIngress } from './ingress';
import type { MeshedService } from './meshed-service';
import type { ServiceVersion } from './service-version';

/** What a provider gets once, before any service is rendered. */
export interface MeshBindContext {
  readonly topology: Topology;
  readonly vpc: IVpc;
  readonly cluster: ICluster;
  /** Key that encrypts every log group the system creates. */
  readonly logKey: IKey;
}

/** The task definition settings a provider must fix before the task definition exists. */
export type TaskDefinitionExtras = Pick<FargateTaskDefinitionProps, 'proxyConfiguration'>;
/** The Fargate service settings a provider adds (discovery, Service Connect, deployment). */
export type ServiceExtras = Partial<
  Pick<
    FargateServiceProps,
    | 'serviceConnectConfiguration'
    | 'cloudMapOptions'
    | 'deploymentStrategy'
    | 'bakeTime'
    | 'canaryConfiguration'
    | 'linearConfiguration'
    | 'deploymentAlarms'
  >
>;

export type MeshFlavor = 'service-connect' | 'appmesh';

/**
 * How services find and call each other on ECS. Services never see the flavor: only the URLs in
 * their env change. Each flavor plugs into one fixed lifecycle, called in this order:
 *
 * 1. `bind` once for the system (namespace, mesh);
 * 2. for each version of each service, backends first: `beforeTaskDefinition`,
 *    `afterAppContainer`, `serviceExtras`, `afterService`;
 * 3. `afterVersions` once per service (routing between versions);
 * 4. `connect` for each client version and each backend it calls;
 * 5. `attachIngress` once, for the service the ingress fronts.
 *
 * Use the static factories: `MeshProvider.serviceConnect()` or `MeshProvider.appMesh()`.
 */
export abstract class MeshProvider {
  /** ECS Service Connect with OpenTelemetry to X-Ray: how AWS runs a mesh on ECS in 2026. */
  static serviceConnect(props: ServiceConnectProviderProps = {}): MeshProvider {
    return providerFactories.serviceConnect(props);
  }

  /** AWS App Mesh with Envoy sidecars, as the article built it (App Mesh retired 2026-09-30). */
  static appMesh(props: AppMeshProviderProps = {}): MeshProvider {
    return providerFactories.appMesh(props);
  }

  abstract readonly flavor: MeshFlavor;

  /** What this flavor cannot express in `topology`; one message per problem, naming the fix. */
  abstract validate(topology: Topology): string[];

  abstract bind(scope: Construct, context: MeshBindContext): void;

  /** The base URL a client's env holds for `service`. */
  abstract backendUrl(service: ServiceSpec): string;

  beforeTaskDefinition(_version: ServiceVersion): TaskDefinitionExtras {
    return {};
  }

  afterAppContainer(_version: ServiceVersion): void {}

  serviceExtras(_version: ServiceVersion): ServiceExtras {
    return {};
  }

  afterService(_version: ServiceVersion): void {}

  afterVersions(_service: MeshedService): void {}

  connect(_client: ServiceVersion, _server: MeshedService): void {}

  /** Routes the ingress's traffic to `service`, directly or through a gateway. */
  abstract attachIngress(ingress: MeshIngress, service: MeshedService): void;
}

export interface ServiceConnectProviderProps {
  /**
   * Send the apps' OpenTelemetry traces to X-Ray through a collector sidecar.
   * @default true
   */
  readonly tracing?: boolean;
}

export interface AppMeshProviderProps {
  /**
   * X-Ray daemon sidecars and `ENABLE_ENVOY_XRAY_TRACING=1` on every Envoy.
   * @default true
   */
  readonly tracing?: boolean;
}

/** Filled by the providers' modules; keeps this file free of import cycles. */
export const providerFactories: {
  serviceConnect: (props: ServiceConnectProviderProps) => MeshProvider;
  appMesh: (props: AppMeshProviderProps) => MeshProvider;
} = {
  serviceConnect: () => {
    throw new Error('import "@color-teller/mesh-constructs" (its index registers the providers)');
  },
  appMesh: () => {
    throw new Error('import "@color-teller/mesh-constructs" (its index registers the providers)');
  },
};
