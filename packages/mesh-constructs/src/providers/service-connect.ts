import type { ServiceSpec, Topology } from '@color-teller/topology';
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import type { MeshIngress } from '../ingress';
import type { MeshedService } from '../meshed-service';
import {
  MeshProvider,
  providerFactories,
  type MeshBindContext,
  type ServiceConnectProviderProps,
  type ServiceExtras,
} from '../mesh-provider';
import {
  COLLECTOR_UID,
  OTEL_COLLECTOR_IMAGE,
  OTLP_HTTP_PORT,
  containerMemoryLimitsMiB,
  defaultScaling,
  defaultTimeouts,
} from '../private/defaults';
import { collectorConfig } from '../private/collector';
import { collectorHealthCheck } from '../private/health-checks';
import { wholeSecondTimeoutProblems } from '../private/timeouts';
import { APP_CONTAINER_NAME, APP_PORT_NAME, type ServiceVersion } from '../service-version';
import {
  deploymentExtras,
  deploymentProblems,
  rollBackOnErrors,
  shiftsTraffic,
} from './deployment';
import { XRAY_WILDCARD_REASON, xrayWriteStatement } from './tracing';

const APPMESH_HINT = 'use MeshProvider.appMesh() (`-c mesh=appmesh`)';

/** Service Connect: servers advertise a named port under an alias; clients call `http://<alias>:<port>`. */
class ServiceConnectProvider extends MeshProvider {
  readonly flavor = 'service-connect';
  private readonly tracing: boolean;
  private namespace?: servicediscovery.HttpNamespace;
  private topology?: Topology;

  constructor(props: ServiceConnectProviderProps) {
    super();
    this.tracing = props.tracing ?? true;
  }

  validate(topology: Topology): string[] {
    return topology.services.flatMap((service) => {
      const problems: string[] = [];
      if (service.versions.length > 1) {
        const weights = service.versions.map((v) => `${v.name} ${v.weight ?? 1}`).join(', ');
        problems.push(
          `service "${service.name}" has ${service.versions.length} versions with steady weights (${weights}): Service Connect cannot split traffic between versions; ${APPMESH_HINT}, or keep one version and roll a new one out with deployment: { strategy: 'canary' }`,
        );
      }
      if ((service.routes?.length ?? 0) > 0) {
        problems.push(
          `service "${service.name}" has header or cookie routes: Service Connect cannot route by request content; ${APPMESH_HINT}`,
        );
      }
      return [...problems, ...wholeSecondTimeoutProblems(service), ...deploymentProblems(service)];
    });
  }

  bind(scope: Construct, context: MeshBindContext): void {
    if (this.namespace)
      throw new Error('A MeshProvider serves one MeshedSystem: create a new one per system');
    this.topology = context.topology;
    this.namespace = new servicediscovery.HttpNamespace(scope, 'Namespace', {
      name: context.topology.namespace,
      description: `Service Connect namespace of ${context.topology.name}`,
    });
  }

  backendUrl(service: ServiceSpec): string {
    return `http://${service.name}:${service.port}`;
  }

  override afterAppContainer(version: ServiceVersion): void {
    if (!this.tracing) return;
    const collector = version.taskDefinition.addContainer('otel-collector', {
      image: ecs.ContainerImage.fromRegistry(OTEL_COLLECTOR_IMAGE),
      essential: false,
      user: COLLECTOR_UID,
      readonlyRootFilesystem: true,
      memoryLimitMiB: containerMemoryLimitsMiB().collector,
      environment: {
        AOT_CONFIG_CONTENT: collectorConfig(containerMemoryLimitsMiB().collector),
        AWS_REGION: Aws.REGION,
      },
      healthCheck: collectorHealthCheck(),
      logging: ecs.LogDriver.awsLogs({ logGroup: version.logGroup, streamPrefix: 'otel' }),
    });
    version.appContainer.addContainerDependencies({
      container: collector,
      condition: ecs.ContainerDependencyCondition.HEALTHY,
    });
    // The services switch OpenTelemetry on when these standard variables are set.
    version.appContainer.addEnvironment(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      `http://127.0.0.1:${OTLP_HTTP_PORT}`,
    );
    version.appContainer.addEnvironment('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');
    version.appContainer.addEnvironment('OTEL_SERVICE_NAME', version.spec.name);
    version.appContainer.addEnvironment(
      'OTEL_RESOURCE_ATTRIBUTES',
      `service.version=${version.version.name}`,
    );
    version.taskDefinition.addToTaskRolePolicy(xrayWriteStatement());
    Validations.of(version.taskDefinition.taskRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: XRAY_WILDCARD_REASON,
    });
  }

  override serviceExtras(version: ServiceVersion): ServiceExtras {
    const spec = version.spec;
    const timeouts = { ...defaultTimeouts(), ...spec.timeouts };
    const isServer = this.requireTopology().services.some((s) =>
      (s.backends ?? []).some((b) => b.service === spec.name),
    );
    return {
      serviceConnectConfiguration: {
        namespace: this.requireNamespace().namespaceArn,
        services: isServer
          ? [
              {
                portMappingName: APP_PORT_NAME,
                discoveryName: spec.name,
                dnsName: spec.name,
                port: spec.port,
                perRequestTimeout: Duration.millis(timeouts.perRequestMs),
                idleTimeout: Duration.millis(timeouts.idleMs),
              },
            ]
          : undefined,
        logDriver: ecs.LogDriver.awsLogs({
          logGroup: version.logGroup,
          streamPrefix: 'service-connect',
        }),
        accessLogConfiguration: { format: ecs.ServiceConnectAccessLogFormat.JSON },
      },
      ...deploymentExtras(spec),
    };
  }

  override afterService(version: ServiceVersion): void {
    const isIngress = version.spec.name === this.requireTopology().ingress.service;
    // The ingress service's alarm watches its target group (added with the ingress).
    if (shiftsTraffic(version.spec) && !isIngress) {
      rollBackOnErrors(
        version,
        new cloudwatch.Metric({
          namespace: 'AWS/ECS',
          metricName: 'HTTPCode_Target_5XX_Count',
          dimensionsMap: {
            ClusterName: version.cluster.clusterName,
            ServiceName: version.service.serviceName,
            DiscoveryName: version.spec.name,
          },
          statistic: 'Sum',
          period: Duration.minutes(1),
        }),
      );
    }
  }

  attachIngress(ingress: MeshIngress, service: MeshedService): void {
    for (const version of service.versions) {
      const target = ingress.addTarget(version.node.id, {
        service: version.service,
        containerName: APP_CONTAINER_NAME,
        containerPort: service.spec.port,
        healthCheckPath: service.spec.healthPath,
        alternateTargets: shiftsTraffic(service.spec),
      });
      if (shiftsTraffic(service.spec)) {
        rollBackOnErrors(version, target.serverErrors);
      }
      if (version.scaling && service.spec.scaling) {
        version.scaling.scaleOnRequestCount('Requests', {
          targetGroup: target.targetGroup,
          requestsPerTarget:
            service.spec.scaling.requestsPerTarget ?? defaultScaling().requestsPerTarget,
        });
      }
    }
  }

  private requireNamespace(): servicediscovery.HttpNamespace {
    if (!this.namespace) throw new Error('MeshProvider.serviceConnect() used before bind()');
    return this.namespace;
  }

  private requireTopology(): Topology {
    if (!this.topology) throw new Error('MeshProvider.serviceConnect() used before bind()');
    return this.topology;
  }
}

providerFactories.serviceConnect = (props) => new ServiceConnectProvider(props);
