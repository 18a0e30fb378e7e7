import { versionEnv, type ServiceSpec } from '@color-teller/topology';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { AppHealthProbe } from './app-health-probe';
import type { ServicePart } from './mesh-flavor';
import { pascalCase } from './private/names';
import { ServiceVersion } from './service-version';

export interface MeshedServiceProps {
  readonly cluster: ecs.ICluster;
  readonly serviceSpec: ServiceSpec;
  /** The image every version of the service runs; versions differ only by env. */
  readonly image: ecs.ContainerImage;
  /**
   * How each version's app container is health-checked.
   * @default - with the image's `node` (a Node service of this repository)
   */
  readonly healthProbe?: AppHealthProbe;
  /** The base URL of a backend by service name (from the mesh, for the topology's services). */
  readonly backendUrl: (service: string) => string;
  readonly logKey: IKey;
  /**
   * Env every version gets besides the topology's (set by the system, never by the topology).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The flavor's hooks and the pieces it composes, for every version.
   * @default - none
   */
  readonly parts?: readonly ServicePart[];
}

/** A service of the topology: one `ServiceVersion` per version (IDs: the versions' names in PascalCase). */
export class MeshedService extends Construct {
  readonly serviceSpec: ServiceSpec;
  readonly versions: readonly ServiceVersion[];

  constructor(scope: Construct, id: string, props: MeshedServiceProps) {
    super(scope, id);
    this.serviceSpec = props.serviceSpec;
    this.versions = props.serviceSpec.versions.map(
      (versionSpec) =>
        new ServiceVersion(this, pascalCase(versionSpec.name), {
          cluster: props.cluster,
          serviceSpec: props.serviceSpec,
          versionSpec,
          image: props.image,
          ...(props.healthProbe ? { healthProbe: props.healthProbe } : {}),
          environment: {
            ...props.environment,
            ...versionEnv(props.serviceSpec, versionSpec, props.backendUrl),
          },
          logKey: props.logKey,
          parts: props.parts,
        }),
    );
  }

  /** The version named `name` in the topology. */
  versionNamed(name: string): ServiceVersion {
    const version = this.versions.find((v) => v.versionSpec.name === name);
    if (!version) {
      throw new Error(
        `service "${this.serviceSpec.name}" has no version "${name}": use one of ${this.versions.map((v) => v.versionSpec.name).join(', ')}`,
      );
    }
    return version;
  }

  /** Every version of this service deploys after every version of `server`. */
  deploysAfter(server: MeshedService): void {
    for (const client of this.versions) {
      for (const target of server.versions) {
        client.fargateService.node.addDependency(target.fargateService);
      }
    }
  }

  /** Admits each version of `client` on this service's port, security group to security group. */
  admitCallsFrom(client: MeshedService): void {
    for (const caller of client.versions) {
      for (const target of this.versions) {
        target.securityGroup.connections.allowFrom(
          caller.securityGroup,
          ec2.Port.tcp(this.serviceSpec.port),
          `from ${caller.qualifiedName}`,
        );
      }
    }
  }
}
