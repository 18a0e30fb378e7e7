import { versionEnv, type ServiceSpec } from '@color-teller/topology';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { MeshProvider } from './mesh-provider';
import { pascalCase } from './private/names';
import { ServiceVersion } from './service-version';

export interface MeshedServiceProps {
  readonly cluster: ecs.ICluster;
  readonly provider: MeshProvider;
  readonly service: ServiceSpec;
  /** The image every version of the service runs; versions differ only by env. */
  readonly image: ecs.ContainerImage;
  /** The base URL of a backend by service name (from the provider, for the topology's services). */
  readonly backendUrl: (service: string) => string;
  readonly logKey: IKey;
}

/**
 * A service of the topology: one `ServiceVersion` per version (IDs are the versions' names in
 * PascalCase) and the provider's routing between them.
 */
export class MeshedService extends Construct {
  readonly spec: ServiceSpec;
  readonly versions: readonly ServiceVersion[];
  private readonly provider: MeshProvider;

  constructor(scope: Construct, id: string, props: MeshedServiceProps) {
    super(scope, id);
    this.spec = props.service;
    this.provider = props.provider;
    this.versions = props.service.versions.map(
      (version) =>
        new ServiceVersion(this, pascalCase(version.name), {
          cluster: props.cluster,
          provider: props.provider,
          service: props.service,
          version,
          image: props.image,
          environment: versionEnv(props.service, version, props.backendUrl),
          logKey: props.logKey,
        }),
    );
    props.provider.afterVersions(this);
  }

  /**
   * Lets every version of this service call `server`: the server admits this service's security
   * groups on its port, the mesh learns the dependency, and the server deploys first (a Service
   * Connect client only sees servers that existed when its task started).
   */
  connectTo(server: MeshedService): void {
    for (const client of this.versions) {
      for (const target of server.versions) {
        target.securityGroup.connections.allowFrom(
          client.securityGroup,
          ec2.Port.tcp(server.spec.port),
          `from ${client.qualifiedName}`,
        );
        client.service.node.addDependency(target.service);
      }
      this.provider.connect(client, server);
    }
  }
}
