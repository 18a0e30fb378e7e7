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

/** Which new traces the apps record; a caller's decision (its `traceparent`) is always followed. */
export interface TraceSampling {
  /**
   * New traces each task records a second before `ratio` applies (X-Ray's reservoir).
   * @default 1
   */
  readonly tracesPerSecond?: number;
  /**
   * Share of the other new traces recorded, from 0 to 1.
   * @default 0.05
   */
  readonly ratio?: number;
}

/** The tracing settings the flavors with an OpenTelemetry collector share. */
export interface TracingProviderProps {
  /**
   * Send the apps' OpenTelemetry traces to X-Ray through a collector sidecar.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Which requests are traced.
   * @default - X-Ray's default rule: 1 new trace a second per task, then 5% of the rest
   */
  readonly traceSampling?: TraceSampling;
}

// X-Ray's default sampling rule: the first request each second, then 5% of the others (X-Ray
// developer guide, "Configuring sampling rules"). App Mesh's Envoy sampled by it; X-Ray bills
// every trace recorded, so the apps now sample the same way.
const XRAY_DEFAULT_SAMPLING = { tracesPerSecond: 1, ratio: 0.05 } as const;

/** What is wrong with `sampling`, one message per setting, naming its fix. */
export function traceSamplingProblems(sampling: TraceSampling | undefined): string[] {
  const problems: string[] = [];
  const perSecond = sampling?.tracesPerSecond;
  if (perSecond !== undefined && !(Number.isFinite(perSecond) && perSecond >= 0)) {
    problems.push(
      `traceSampling.tracesPerSecond is ${perSecond}: give 0 or more new traces a second per task`,
    );
  }
  const ratio = sampling?.ratio;
  if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) {
    problems.push(`traceSampling.ratio is ${ratio}: give a share from 0 to 1, such as 0.05`);
  }
  return problems;
}

/**
 * The env the apps' tracing reads (service-kit's `traceSamplingOf`): a reservoir, then the
 * OpenTelemetry standard parent-based trace id ratio.
 */
export function traceSamplingEnv(sampling: TraceSampling = {}): Record<string, string> {
  const perSecond = sampling.tracesPerSecond ?? XRAY_DEFAULT_SAMPLING.tracesPerSecond;
  return {
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(sampling.ratio ?? XRAY_DEFAULT_SAMPLING.ratio),
    ...(perSecond > 0 ? { TRACE_SAMPLES_PER_SECOND: String(perSecond) } : {}),
  };
}

/**
 * The apps emit OpenTelemetry (switched on by the standard `OTEL_*` env) to a collector sidecar
 * on localhost, which writes to X-Ray: for flavors whose proxy emits no traces.
 */
export class OpenTelemetryTracing implements ServicePart {
  private readonly samplingEnv: Readonly<Record<string, string>>;

  constructor(sampling?: TraceSampling) {
    this.samplingEnv = traceSamplingEnv(sampling);
  }

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
        ...this.samplingEnv,
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
