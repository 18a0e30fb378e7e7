/** Tracing pieces: least-privilege X-Ray writes, and the OpenTelemetry collector sidecar. */
import { Aws, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ServicePart, VersionIdentity, VersionTask } from '../mesh-flavor';
import { COLLECTOR_UID, OTLP_HTTP_PORT, containerMemoryLimitsMiB } from '../private/defaults';
import { collectorConfig } from '../private/collector';
import { PINNED_IMAGES } from '../private/pinned-images';
import { ecrPublicImageViaCache } from './ecr-public-cache';
import { collectorHealthCheck } from '../private/health-checks';

/** X-Ray's write actions take no resource ARNs, so `*` is the narrowest resource there is. */
export function xrayWriteStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'XRayWrite',
    actions: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
    resources: ['*'],
  });
}

/** Lets the task write traces to X-Ray, acknowledging the unavoidable `*` on its role. */
export function grantXrayWrite(taskDefinition: ecs.TaskDefinition): void {
  taskDefinition.addToTaskRolePolicy(xrayWriteStatement());
  Validations.of(taskDefinition.taskRole).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray write actions (PutTraceSegments, PutTelemetryRecords, sampling) support no resource-level permissions',
  });
}

/**
 * The apps emit OpenTelemetry (switched on by the standard `OTEL_*` env) to a collector sidecar
 * on localhost, which writes to X-Ray: for flavors whose proxy emits no traces.
 */
export class OpenTelemetryTracing implements ServicePart {
  appContainerProps(
    version: VersionIdentity,
    props: ecs.ContainerDefinitionOptions,
  ): ecs.ContainerDefinitionOptions {
    return {
      ...props,
      environment: {
        ...props.environment,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_HTTP_PORT}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_SERVICE_NAME: version.serviceSpec.name,
        OTEL_RESOURCE_ATTRIBUTES: `service.version=${version.versionSpec.name}`,
      },
    };
  }

  taskReady(task: VersionTask): void {
    const collector = task.taskDefinition.addContainer('otel-collector', {
      image: ecrPublicImageViaCache(task.taskDefinition, PINNED_IMAGES.collector),
      essential: false,
      user: COLLECTOR_UID,
      readonlyRootFilesystem: true,
      memoryLimitMiB: containerMemoryLimitsMiB().collector,
      environment: {
        AOT_CONFIG_CONTENT: collectorConfig(containerMemoryLimitsMiB().collector),
        AWS_REGION: Aws.REGION,
      },
      healthCheck: collectorHealthCheck(),
      logging: ecs.LogDriver.awsLogs({ logGroup: task.logGroup, streamPrefix: 'otel' }),
    });
    task.appContainer.addContainerDependencies({
      container: collector,
      // The first spans are lost if the app starts before the collector listens.
      condition: ecs.ContainerDependencyCondition.HEALTHY,
    });
    grantXrayWrite(task.taskDefinition);
  }
}
