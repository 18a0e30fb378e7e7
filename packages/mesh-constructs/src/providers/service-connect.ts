import { timeoutsOf, type ServiceSpec, type Topology } from '@color-teller/topology';
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import type {
  BoundMeshFlavor,
  IMeshedService,
  IMeshFlavor,
  IMeshIngress,
  IngressAttachment,
  IServiceVersion,
  MeshBindContext,
  TrafficMetrics,
  VersionTask,
} from '../contracts';
import { minuteMetric } from '../parts/dashboard';
import { albFrontsVersions } from '../parts/ecs-native';
import { deploymentProblems } from '../parts/deployment';
import { serviceConnectRoutingProblems } from '../routing/service-connect-routing';
import type { HardenedServiceProps } from '../private/hardening';
import { APP_PORT_NAME } from '../service-version';

/** Service Connect: servers advertise a named port under an alias; clients call `http://<alias>:<port>`. */
export class ServiceConnectFlavor implements IMeshFlavor {
  readonly name = 'service-connect';

  validate(topology: Topology): string[] {
    return topology.services.flatMap((service) => [
      ...serviceConnectRoutingProblems(service),
      ...deploymentProblems(service),
    ]);
  }

  bind(scope: Construct, context: MeshBindContext): BoundMeshFlavor {
    return new BoundServiceConnect(scope, context);
  }
}

class BoundServiceConnect implements BoundMeshFlavor {
  readonly egressNamesOf = 'service-connect';
  private readonly namespace: servicediscovery.HttpNamespace;
  /** Services some other service calls: they advertise their port in the namespace. */
  private readonly servers: ReadonlySet<string>;

  constructor(scope: Construct, context: MeshBindContext) {
    const { topology } = context;
    this.namespace = new servicediscovery.HttpNamespace(scope, 'Namespace', {
      name: topology.namespace,
      description: `Service Connect namespace of ${topology.name}`,
    });
    this.servers = new Set(
      topology.services.flatMap((s) => (s.backends ?? []).map((b) => b.service)),
    );
  }

  backendUrl(service: ServiceSpec): string {
    return `http://${service.name}:${service.port}`;
  }

  fargateServiceProps(task: VersionTask, props: HardenedServiceProps): HardenedServiceProps {
    const spec = task.serviceSpec;
    const timeouts = timeoutsOf(spec);
    return {
      ...props,
      serviceConnectConfiguration: {
        namespace: this.namespace.namespaceArn,
        services: this.servers.has(spec.name)
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
          logGroup: task.logGroup,
          streamPrefix: 'service-connect',
        }),
        accessLogConfiguration: { format: ecs.ServiceConnectAccessLogFormat.JSON },
      },
    };
  }

  connect(client: IMeshedService, server: IMeshedService): void {
    server.admitCallsFrom(client);
  }

  attachIngress(ingress: IMeshIngress, service: IMeshedService): IngressAttachment {
    return albFrontsVersions(ingress, service);
  }

  trafficMetrics(version: IServiceVersion): TrafficMetrics | undefined {
    return this.servers.has(version.serviceSpec.name) ? serviceConnectTraffic(version) : undefined;
  }

  serverErrors(version: IServiceVersion): cloudwatch.IMetric {
    return serviceConnectErrors(version);
  }
}

/** A server version's inbound requests as its Service Connect proxy counts them (`AWS/ECS`). */
function serviceConnectMetric(
  version: IServiceVersion,
  metricName: string,
  statistic: string,
): cloudwatch.Metric {
  return minuteMetric(
    'AWS/ECS',
    metricName,
    {
      ClusterName: version.cluster.clusterName,
      ServiceName: version.fargateService.serviceName,
      DiscoveryName: version.serviceSpec.name,
    },
    statistic,
  );
}

/** Service Connect's own count of a server's 5xx answers. */
function serviceConnectErrors(version: IServiceVersion): cloudwatch.Metric {
  return serviceConnectMetric(version, 'HTTPCode_Target_5XX_Count', 'Sum');
}

function serviceConnectTraffic(version: IServiceVersion): TrafficMetrics {
  return {
    source: 'Service Connect',
    requests: serviceConnectMetric(version, 'RequestCount', 'Sum'),
    serverErrors: serviceConnectErrors(version),
    latencyP99Ms: serviceConnectMetric(version, 'TargetResponseTime', 'p99'),
  };
}
