import type { ServiceSpec, VersionSpec } from '@color-teller/topology';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServicePart, VersionIdentity, VersionTask } from './mesh-flavor';
import {
  APP_UID,
  containerMemoryLimitsMiB,
  defaultScaling,
  defaultTaskSize,
} from './private/defaults';
import type { AppHealthProbe } from './app-health-probe';
import { appHealthCheck, imageCommandHealthCheck } from './private/health-checks';
import {
  armTaskDefinition,
  closedSecurityGroup,
  encryptedLogGroup,
  hardenedFargateService,
  type HardenedServiceProps,
} from './private/hardening';

export interface ServiceVersionProps {
  readonly cluster: ecs.ICluster;
  readonly serviceSpec: ServiceSpec;
  readonly versionSpec: VersionSpec;
  readonly image: ecs.ContainerImage;
  /**
   * How the app container's health is checked.
   * @default - with the image's `node` (a Node service of this repository)
   */
  readonly healthProbe?: AppHealthProbe;
  /** The app's env: the topology's env for this version with its backends' URLs. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logKey: IKey;
  /**
   * The flavor's hooks and the pieces it composes, applied in order.
   * @default - none: a plain hardened Fargate service
   */
  readonly parts?: readonly ServicePart[];
}

/** The name of the app container in every task. */
export const APP_CONTAINER_NAME = 'app';
/** The name of the app's port mapping (Service Connect and VPC Lattice refer to it by name). */
export const APP_PORT_NAME = 'http';

/**
 * One version of a service as one Fargate service: task definition, app container, security
 * group and logs, with what the parts add at each step.
 */
export class ServiceVersion extends Construct {
  readonly serviceSpec: ServiceSpec;
  readonly versionSpec: VersionSpec;
  readonly qualifiedName: string;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly appContainer: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly fargateService: ecs.FargateService;

  constructor(scope: Construct, id: string, props: ServiceVersionProps) {
    super(scope, id);
    const { serviceSpec, versionSpec } = props;
    const parts = props.parts ?? [];
    this.serviceSpec = serviceSpec;
    this.versionSpec = versionSpec;
    this.qualifiedName = `${serviceSpec.name}-${versionSpec.name}`;
    const identity: VersionIdentity = {
      serviceSpec,
      versionSpec,
      qualifiedName: this.qualifiedName,
    };
    this.cluster = props.cluster;
    this.vpc = props.cluster.vpc;
    this.logGroup = encryptedLogGroup(this, 'Logs', props.logKey);

    const size = serviceSpec.size ?? defaultTaskSize();
    this.taskDefinition = armTaskDefinition(
      this,
      'Task',
      parts.reduce<ecs.FargateTaskDefinitionProps>(
        (built, part) => part.taskDefinitionProps?.(identity, built) ?? built,
        {
          cpu: size.cpu,
          memoryLimitMiB: size.memoryLimitMiB,
        },
      ),
    );
    this.appContainer = this.taskDefinition.addContainer(
      APP_CONTAINER_NAME,
      parts.reduce<ecs.ContainerDefinitionOptions>(
        (built, part) => part.appContainerProps?.(identity, built) ?? built,
        {
          image: props.image,
          environment: {
            ...props.environment,
            PORT: String(serviceSpec.port),
            HOST: '0.0.0.0',
          },
          portMappings: [
            {
              name: APP_PORT_NAME,
              containerPort: serviceSpec.port,
              appProtocol: ecs.AppProtocol.http,
            },
          ],
          user: APP_UID,
          readonlyRootFilesystem: true,
          memoryLimitMiB: containerMemoryLimitsMiB().app,
          ...healthCheckOf(props.healthProbe ?? { kind: 'node' }, serviceSpec),
          essential: true,
          logging: ecs.LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
        },
      ),
    );
    const task: VersionTask = {
      ...identity,
      scope: this,
      taskDefinition: this.taskDefinition,
      appContainer: this.appContainer,
      logGroup: this.logGroup,
    };
    for (const part of parts) part.taskReady?.(task);

    this.securityGroup = closedSecurityGroup(
      this,
      'SecurityGroup',
      this.vpc,
      `${this.qualifiedName}: admits only its callers`,
    );
    this.fargateService = hardenedFargateService(
      this,
      'Service',
      parts.reduce<HardenedServiceProps>(
        (built, part) => part.fargateServiceProps?.(task, built) ?? built,
        {
          cluster: props.cluster,
          taskDefinition: this.taskDefinition,
          securityGroups: [this.securityGroup],
          desiredCount: serviceSpec.scaling?.minTasks ?? defaultScaling().minTasks,
        },
      ),
    );
    for (const part of parts) part.versionReady?.(this);
  }
}

function healthCheckOf(
  probe: AppHealthProbe,
  service: ServiceSpec,
): { healthCheck?: ecs.HealthCheck } {
  switch (probe.kind) {
    case 'node':
      return { healthCheck: appHealthCheck(service.port, service.healthPath) };
    case 'dockerfile':
      return { healthCheck: imageCommandHealthCheck(probe.command) };
    case 'none':
      return {};
  }
}
