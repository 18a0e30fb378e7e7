import type { ServiceSpec, VersionSpec } from '@color-teller/topology';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { MeshProvider } from './mesh-provider';
import {
  APP_UID,
  containerMemoryLimitsMiB,
  defaultScaling,
  defaultTaskSize,
} from './private/defaults';
import { appHealthCheck } from './private/health-checks';
import {
  armTaskDefinition,
  closedSecurityGroup,
  encryptedLogGroup,
  hardenedFargateService,
} from './private/hardening';

export interface ServiceVersionProps {
  readonly cluster: ecs.ICluster;
  readonly provider: MeshProvider;
  readonly service: ServiceSpec;
  readonly version: VersionSpec;
  readonly image: ecs.ContainerImage;
  /** The app's env: the topology's env for this version with its backends' URLs. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logKey: IKey;
}

/** The name of the app container in every task. */
export const APP_CONTAINER_NAME = 'app';
/** The name of the app's port mapping (Service Connect refers to it by name). */
export const APP_PORT_NAME = 'http';

/**
 * One version of a service as one Fargate service: task definition, app container, security
 * group, logs, scaling, plus whatever the mesh provider adds at each step of its lifecycle.
 */
export class ServiceVersion extends Construct {
  readonly spec: ServiceSpec;
  readonly version: VersionSpec;
  /** `<service>-<version>`, e.g. `color-red`: the name of its node in a mesh. */
  readonly qualifiedName: string;
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly appContainer: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly service: ecs.FargateService;
  readonly scaling?: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: ServiceVersionProps) {
    super(scope, id);
    const { provider, service: spec, version } = props;
    this.spec = spec;
    this.version = version;
    this.qualifiedName = `${spec.name}-${version.name}`;
    this.cluster = props.cluster;
    this.vpc = props.cluster.vpc;
    this.logGroup = encryptedLogGroup(this, 'Logs', props.logKey);

    const size = spec.size ?? defaultTaskSize();
    this.taskDefinition = armTaskDefinition(this, 'Task', {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryLimitMiB,
      ...provider.beforeTaskDefinition(this),
    });
    this.appContainer = this.taskDefinition.addContainer(APP_CONTAINER_NAME, {
      image: props.image,
      environment: { ...props.environment, PORT: String(spec.port), HOST: '0.0.0.0' },
      portMappings: [
        { name: APP_PORT_NAME, containerPort: spec.port, appProtocol: ecs.AppProtocol.http },
      ],
      user: APP_UID,
      readonlyRootFilesystem: true,
      memoryLimitMiB: containerMemoryLimitsMiB().app,
      healthCheck: appHealthCheck(spec.port, spec.healthPath),
      essential: true,
      logging: ecs.LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: 'app' }),
    });
    provider.afterAppContainer(this);

    this.securityGroup = closedSecurityGroup(
      this,
      'SecurityGroup',
      this.vpc,
      `${this.qualifiedName}: admits only its callers`,
    );
    const scaling = spec.scaling;
    this.service = hardenedFargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      securityGroups: [this.securityGroup],
      desiredCount: scaling?.minTasks ?? defaultScaling().minTasks,
      ...provider.serviceExtras(this),
    });
    provider.afterService(this);

    if (scaling) {
      this.scaling = this.service.autoScaleTaskCount({
        minCapacity: scaling.minTasks,
        maxCapacity: scaling.maxTasks,
      });
      this.scaling.scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: scaling.targetCpuPercent ?? defaultScaling().targetCpuPercent,
      });
    }
  }
}
