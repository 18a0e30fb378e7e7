import { timeoutsOf, type ServiceSpec, type Topology } from '@color-teller/topology';
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import type { MeshIngress } from '../ingress';
import type {
  IngressBinding,
  MeshBindContext,
  MeshFlavor,
  ServicePart,
  SystemMesh,
  VersionTask,
} from '../mesh-flavor';
import type { MeshedService } from '../meshed-service';
import { minuteMetric, type TrafficMetrics } from '../parts/dashboard';
import { albFrontsVersions, ecsNativeParts } from '../parts/ecs-native';
import { deploymentProblems } from '../parts/deployment';
import { dnsEgressFirewall, type DnsFirewallProviderProps } from '../parts/dns-firewall';
import { traceSamplingProblems, type TracingProviderProps } from '../parts/tracing';
import { serviceConnectRoutingProblems } from '../routing/service-connect-routing';
import type { HardenedServiceProps } from '../private/hardening';
import { APP_PORT_NAME, type ServiceVersion } from '../service-version';

export interface ServiceConnectProviderProps
  extends DnsFirewallProviderProps, TracingProviderProps {
  /**
   * A CloudWatch dashboard of the system (ALB and Service Connect figures per version, CPU and
   * memory), its console URL a stack output.
   * @default true
   */
  readonly dashboard?: boolean;
}

/** Service Connect: servers advertise a named port under an alias; clients call `http://<alias>:<port>`. */
export class ServiceConnectFlavor implements MeshFlavor {
  readonly name = 'service-connect';

  constructor(private readonly props: ServiceConnectProviderProps) {}

  validate(topology: Topology): string[] {
    return [
      ...traceSamplingProblems(this.props.traceSampling),
      ...topology.services.flatMap((service) => [
        ...serviceConnectRoutingProblems(service),
        ...deploymentProblems(service),
      ]),
    ];
  }

  bind(scope: Construct, context: MeshBindContext): SystemMesh {
    dnsEgressFirewall(scope, {
      ...context,
      flavor: this.name,
      dnsFirewall: this.props.dnsFirewall,
    });
    return new ServiceConnectMesh(scope, context, this.props);
  }
}

class ServiceConnectMesh implements SystemMesh {
  readonly parts: readonly ServicePart[];
  private readonly namespace: servicediscovery.HttpNamespace;
  /** Services some other service calls: they advertise their port in the namespace. */
  private readonly servers: ReadonlySet<string>;

  constructor(scope: Construct, context: MeshBindContext, props: ServiceConnectProviderProps) {
    const { topology } = context;
    this.namespace = new servicediscovery.HttpNamespace(scope, 'Namespace', {
      name: topology.namespace,
      description: `Service Connect namespace of ${topology.name}`,
    });
    this.servers = new Set(
      topology.services.flatMap((s) => (s.backends ?? []).map((b) => b.service)),
    );
    this.parts = ecsNativeParts({
      topology,
      tracing: props.tracing ?? true,
      traceSampling: props.traceSampling,
      errorMetric: serviceConnectErrors,
      scope,
      flavor: 'service-connect',
      dashboard: props.dashboard ?? true,
      meshTraffic: (version) =>
        this.servers.has(version.serviceSpec.name) ? serviceConnectTraffic(version) : undefined,
    });
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

  connect(client: MeshedService, server: MeshedService): void {
    server.admitCallsFrom(client);
  }

  attachIngress(ingress: MeshIngress, service: MeshedService): readonly IngressBinding[] {
    return albFrontsVersions(ingress, service);
  }
}

/** A server version's inbound requests as its Service Connect proxy counts them (`AWS/ECS`). */
function serviceConnectMetric(
  version: ServiceVersion,
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
function serviceConnectErrors(version: ServiceVersion): cloudwatch.Metric {
  return serviceConnectMetric(version, 'HTTPCode_Target_5XX_Count', 'Sum');
}

function serviceConnectTraffic(version: ServiceVersion): TrafficMetrics {
  return {
    source: 'Service Connect',
    requests: serviceConnectMetric(version, 'RequestCount', 'Sum'),
    serverErrors: serviceConnectErrors(version),
    latencyP99Ms: serviceConnectMetric(version, 'TargetResponseTime', 'p99'),
  };
}
