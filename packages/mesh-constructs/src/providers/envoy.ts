/** The containers App Mesh puts in a task: Envoy (sidecar or gateway) and the X-Ray daemon. */
import { Aws } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import {
  ENVOY_ADMIN_PORT,
  ENVOY_IMAGE,
  ENVOY_UID,
  XRAY_DAEMON_IMAGE,
  XRAY_DAEMON_PORT,
  containerMemoryLimitsMiB,
  envoyNofileLimit,
} from '../private/defaults';
import { grantXrayWrite } from '../parts/tracing';
import { envoyHealthCheck } from '../private/health-checks';

export const ENVOY_CONTAINER_NAME = 'envoy';
const ENVOY_TMP_VOLUME = 'envoy-tmp';

export interface EnvoyOptions {
  /** ARN of the virtual node or virtual gateway whose configuration Envoy streams. */
  readonly resourceArn: string;
  readonly logGroup: logs.ILogGroup;
  readonly tracing: boolean;
  readonly memoryLimitMiB: number;
  /** @default - none: a sidecar receives traffic through the proxy configuration */
  readonly portMappings?: ecs.PortMapping[];
}

/**
 * Envoy as App Mesh runs it: pinned image, user 1337 (the proxy configuration's ignored UID),
 * LIVE health check, raised open-file limit, read-only root with a writable /tmp for its bootstrap.
 */
export function addEnvoy(taskDefinition: ecs.TaskDefinition, options: EnvoyOptions) {
  taskDefinition.addVolume({ name: ENVOY_TMP_VOLUME });
  const envoy = taskDefinition.addContainer(ENVOY_CONTAINER_NAME, {
    image: ecs.ContainerImage.fromRegistry(ENVOY_IMAGE),
    essential: true,
    user: String(ENVOY_UID),
    readonlyRootFilesystem: true,
    memoryLimitMiB: options.memoryLimitMiB,
    environment: {
      APPMESH_RESOURCE_ARN: options.resourceArn,
      ...(options.tracing ? { ENABLE_ENVOY_XRAY_TRACING: '1' } : {}),
    },
    portMappings: options.portMappings,
    healthCheck: envoyHealthCheck(),
    logging: ecs.LogDriver.awsLogs({ logGroup: options.logGroup, streamPrefix: 'envoy' }),
  });
  envoy.addUlimits({
    name: ecs.UlimitName.NOFILE,
    softLimit: envoyNofileLimit(),
    hardLimit: envoyNofileLimit(),
  });
  envoy.addMountPoints({ sourceVolume: ENVOY_TMP_VOLUME, containerPath: '/tmp', readOnly: false });
  return envoy;
}

/** The X-Ray daemon Envoy sends its spans to over UDP 2000; user 1337 so it bypasses Envoy. */
export function addXrayDaemon(taskDefinition: ecs.TaskDefinition, logGroup: logs.ILogGroup) {
  const daemon = taskDefinition.addContainer('xray-daemon', {
    image: ecs.ContainerImage.fromRegistry(XRAY_DAEMON_IMAGE),
    essential: false,
    user: String(ENVOY_UID),
    readonlyRootFilesystem: true,
    memoryLimitMiB: containerMemoryLimitsMiB().xrayDaemon,
    environment: { AWS_REGION: Aws.REGION },
    portMappings: [{ containerPort: XRAY_DAEMON_PORT, protocol: ecs.Protocol.UDP }],
    logging: ecs.LogDriver.awsLogs({ logGroup, streamPrefix: 'xray' }),
  });
  grantXrayWrite(taskDefinition);
  return daemon;
}

/** Envoy's admin port, which the ALB health-checks on a gateway. */
export const ENVOY_HEALTH = { port: ENVOY_ADMIN_PORT, path: '/server_info' } as const;
