import { timeoutsOf, type ServiceSpec, type Topology } from '@color-teller/topology';
import { Duration } from 'aws-cdk-lib';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
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
  VersionIdentity,
  VersionTask,
} from '../mesh-flavor';
import type { MeshedService } from '../meshed-service';
import { MeshDashboard } from '../parts/dashboard';
import { scaleOnAlbRequests, scaleOnCpu, TaskScaling } from '../parts/scaling';
import {
  EGRESS_IGNORED_IPS,
  ENVOY_EGRESS_PORT,
  ENVOY_INGRESS_PORT,
  ENVOY_UID,
  GATEWAY_PORT,
  VIRTUAL_SERVICE_PLACEHOLDER_IP,
  containerHealthCheckTiming,
  containerMemoryLimitsMiB,
  defaultConnectionPool,
  defaultScaling,
} from '../private/defaults';
import { seconds } from '../private/hardening';
import type { ServiceVersion } from '../service-version';
import { AppMeshExternals } from './app-mesh-externals';
import { AppMeshGateway } from './app-mesh-gateway';
import { ENVOY_CONTAINER_NAME, ENVOY_HEALTH, addEnvoy, addXrayDaemon } from './envoy';
import { acknowledgeRetired } from './retired';
import {
  appMeshOutlierPlan,
  appMeshRoutes,
  appMeshWeightProblems,
  type AppMeshHeaderMatch,
  type AppMeshRetryPlan,
} from '../routing/app-mesh-routes';

/** Ports Envoy and its sidecars take in every task; an app cannot listen on them. */
const RESERVED_PORTS = [ENVOY_INGRESS_PORT, ENVOY_EGRESS_PORT, ENVOY_HEALTH.port];

function headerMatchOf({ name, exact, regex }: AppMeshHeaderMatch): appmesh.HeaderMatch {
  return exact === undefined
    ? appmesh.HeaderMatch.valueMatchesRegex(name, regex!)
    : appmesh.HeaderMatch.valueIs(name, exact);
}

/** The retry policy of a planned route, in App Mesh's enums. */
function retryPolicyOf(retry: AppMeshRetryPlan): appmesh.HttpRetryPolicy {
  // Both lists may not be empty at once; an empty one is left out.
  const httpEvents = {
    'server-error': appmesh.HttpRetryEvent.SERVER_ERROR,
    'gateway-error': appmesh.HttpRetryEvent.GATEWAY_ERROR,
  };
  const tcpEvents = { 'connection-error': appmesh.TcpRetryEvent.CONNECTION_ERROR };
  return {
    ...(retry.httpEvents.length > 0
      ? { httpRetryEvents: retry.httpEvents.map((event) => httpEvents[event]) }
      : {}),
    ...(retry.tcpEvents.length > 0
      ? { tcpRetryEvents: retry.tcpEvents.map((event) => tcpEvents[event]) }
      : {}),
    retryAttempts: retry.attempts,
    retryTimeout: Duration.millis(retry.perTryTimeoutMs),
  };
}

/** Why the App Mesh dashboard shows no requests per version. */
const ENVOY_STATS_NOTE =
  "**Envoy's request stats are not in CloudWatch**: App Mesh publishes none, and these tasks run no agent that ships them. Requests, 5xx and p99 come from the ALB in front of the ingress gateway; per version there is CPU and memory, and each version's requests are in its X-Ray traces and its Envoy access log (`/dev/stdout`, in the version's log group).";

/** What App Mesh keeps per service version: its node and the Cloud Map service it registers in. */
interface NodeParts {
  readonly node: appmesh.VirtualNode;
  readonly discovery: servicediscovery.Service;
}

export interface AppMeshProviderProps {
  /**
   * X-Ray daemon sidecars and `ENABLE_ENVOY_XRAY_TRACING=1` on every Envoy.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * A CloudWatch dashboard of the system (the ALB's figures for the gateway, CPU and memory per
   * version; Envoy's own stats are not in CloudWatch), its console URL a stack output.
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * App Mesh as the article built it, each element done right: a virtual node per version, a
 * router, routes and virtual service per service, Envoy and the X-Ray daemon in every task, and
 * an Envoy virtual gateway behind the ALB.
 */
export class AppMeshFlavor implements MeshFlavor {
  readonly name = 'appmesh';

  constructor(private readonly props: AppMeshProviderProps) {}

  validate(topology: Topology): string[] {
    return topology.services.flatMap((service) => {
      const problems: string[] = [];
      const strategy = service.deployment?.strategy ?? 'rolling';
      if (strategy !== 'rolling') {
        problems.push(
          `service "${service.name}": deployment strategy "${strategy}" is ECS native and does not work with App Mesh; split traffic with versions and weights here, or use MeshProvider.serviceConnect()`,
        );
      }
      if (RESERVED_PORTS.includes(service.port)) {
        problems.push(
          `service "${service.name}": port ${service.port} is taken by Envoy in every App Mesh task (${RESERVED_PORTS.join(', ')}); pick another port`,
        );
      }
      return [...problems, ...appMeshWeightProblems(service)];
    });
  }

  bind(scope: Construct, context: MeshBindContext): SystemMesh {
    return new AppMeshSystem(scope, context, this.props);
  }
}

class AppMeshSystem implements SystemMesh {
  readonly parts: readonly ServicePart[];
  private readonly tracing: boolean;
  private readonly dashboard?: MeshDashboard;
  private readonly mesh: appmesh.Mesh;
  private readonly externals: AppMeshExternals;
  private readonly namespace: servicediscovery.PrivateDnsNamespace;
  /** By qualified version name. */
  private readonly nodes = new Map<string, NodeParts>();
  private readonly virtualServices = new Map<MeshedService, appmesh.VirtualService>();

  constructor(
    scope: Construct,
    private readonly context: MeshBindContext,
    props: AppMeshProviderProps,
  ) {
    this.tracing = props.tracing ?? true;
    if (props.dashboard ?? true) {
      this.dashboard = new MeshDashboard(scope, 'Dashboard', {
        topology: context.topology,
        flavor: 'appmesh',
        note: ENVOY_STATS_NOTE,
      });
    }
    this.parts = [new TaskScaling(), ...(this.dashboard ? [this.dashboard] : [])];
    this.namespace = new servicediscovery.PrivateDnsNamespace(scope, 'Namespace', {
      name: context.topology.namespace,
      vpc: context.vpc,
      description: `App Mesh DNS namespace of ${context.topology.name}`,
    });
    // DROP_ALL: a task reaches only what its virtual node lists as backends.
    this.mesh = new appmesh.Mesh(scope, 'Mesh', { egressFilter: appmesh.MeshFilterType.DROP_ALL });
    acknowledgeRetired(this.mesh);
    this.externals = new AppMeshExternals(this.mesh, 'Externals', this.mesh, context.topology);
  }

  backendUrl(service: ServiceSpec): string {
    return `http://${this.virtualServiceName(service)}:${service.port}`;
  }

  taskDefinitionProps(
    version: VersionIdentity,
    props: ecs.FargateTaskDefinitionProps,
  ): ecs.FargateTaskDefinitionProps {
    return {
      ...props,
      proxyConfiguration: new ecs.AppMeshProxyConfiguration({
        containerName: ENVOY_CONTAINER_NAME,
        properties: {
          ignoredUID: ENVOY_UID,
          appPorts: [version.serviceSpec.port],
          proxyIngressPort: ENVOY_INGRESS_PORT,
          proxyEgressPort: ENVOY_EGRESS_PORT,
          egressIgnoredIPs: [...EGRESS_IGNORED_IPS],
        },
      }),
    };
  }

  taskReady(task: VersionTask): void {
    const spec = task.serviceSpec;
    const timeouts = timeoutsOf(spec);
    const timing = containerHealthCheckTiming();
    const outliers = appMeshOutlierPlan(spec);
    const discovery = new servicediscovery.Service(task.scope, 'Discovery', {
      namespace: this.namespace,
      name: task.qualifiedName,
      dnsRecordType: servicediscovery.DnsRecordType.A,
      customHealthCheck: { failureThreshold: 1 },
    });
    const node = new appmesh.VirtualNode(task.scope, 'VirtualNode', {
      mesh: this.mesh,
      virtualNodeName: task.qualifiedName,
      serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(discovery),
      accessLog: appmesh.AccessLog.fromFilePath('/dev/stdout'),
      listeners: [
        appmesh.VirtualNodeListener.http({
          port: spec.port,
          healthCheck: appmesh.HealthCheck.http({
            path: spec.healthPath,
            interval: seconds(timing.intervalSeconds),
            timeout: seconds(timing.timeoutSeconds),
            healthyThreshold: 2,
            unhealthyThreshold: timing.retries,
          }),
          connectionPool: defaultConnectionPool(),
          timeout: {
            perRequest: Duration.millis(timeouts.perRequestMs),
            idle: Duration.millis(timeouts.idleMs),
          },
          // Ejects tasks of this version (hosts found through Cloud Map), not whole versions.
          ...(outliers
            ? {
                outlierDetection: {
                  maxServerErrors: outliers.maxServerErrors,
                  baseEjectionDuration: Duration.millis(outliers.baseEjectionMs),
                  interval: Duration.millis(outliers.intervalMs),
                  maxEjectionPercent: outliers.maxEjectionPercent,
                },
              }
            : {}),
        }),
      ],
    });
    acknowledgeRetired(node);
    this.nodes.set(task.qualifiedName, { node, discovery });

    const envoy = addEnvoy(task.taskDefinition, {
      resourceArn: node.virtualNodeArn,
      logGroup: task.logGroup,
      tracing: this.tracing,
      memoryLimitMiB: containerMemoryLimitsMiB().envoy,
    });
    node.grants.streamAggregatedResources(task.taskDefinition.taskRole);
    task.appContainer.addContainerDependencies({
      container: envoy,
      condition: ecs.ContainerDependencyCondition.HEALTHY,
    });
    if (this.tracing) addXrayDaemon(task.taskDefinition, task.logGroup);
  }

  versionReady(version: ServiceVersion): void {
    version.fargateService.associateCloudMapService({
      service: this.partsOf(version).discovery,
      container: version.appContainer,
      containerPort: version.serviceSpec.port,
    });
  }

  serviceReady(service: MeshedService): void {
    const spec = service.serviceSpec;
    const router = new appmesh.VirtualRouter(service, 'Router', {
      mesh: this.mesh,
      listeners: [appmesh.VirtualRouterListener.http(spec.port)],
    });
    acknowledgeRetired(router);
    for (const plan of appMeshRoutes(spec)) {
      const route = router.addRoute(plan.id, {
        routeSpec: appmesh.RouteSpec.http({
          priority: plan.priority,
          match: {
            path: appmesh.HttpRoutePathMatch.startsWith(plan.pathPrefix),
            headers: plan.header && [headerMatchOf(plan.header)],
          },
          weightedTargets: plan.targets.map(({ version, weight }) => ({
            virtualNode: this.partsOf(service.versionNamed(version)).node,
            weight,
          })),
          timeout: {
            perRequest: Duration.millis(plan.perRequestTimeoutMs),
            idle: Duration.millis(plan.idleTimeoutMs),
          },
          retryPolicy: plan.retry && retryPolicyOf(plan.retry),
        }),
      });
      acknowledgeRetired(route);
    }

    const virtualService = new appmesh.VirtualService(service, 'VirtualService', {
      virtualServiceName: this.virtualServiceName(spec),
      virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
    });
    acknowledgeRetired(virtualService);
    this.virtualServices.set(service, virtualService);
    for (const version of service.versions) {
      this.externals.addBackendsTo(this.partsOf(version).node, this.context.topology, spec);
    }

    // A virtual service name must resolve in DNS before Envoy can intercept the call.
    const dnsRecord = new servicediscovery.Service(service, 'DnsRecord', {
      namespace: this.namespace,
      name: spec.name,
      dnsRecordType: servicediscovery.DnsRecordType.A,
      description: `Makes ${virtualService.virtualServiceName} resolve; Envoy routes the calls`,
    });
    dnsRecord.registerIpInstance('Placeholder', { ipv4: VIRTUAL_SERVICE_PLACEHOLDER_IP });
  }

  connect(client: MeshedService, server: MeshedService): void {
    server.admitCallsFrom(client);
    const virtualService = this.virtualServiceOf(server);
    for (const version of client.versions) {
      const { node } = this.partsOf(version);
      node.addBackend(appmesh.Backend.virtualService(virtualService));
      // The backend is named by a literal, so CloudFormation needs the order spelled out.
      node.node.addDependency(virtualService);
    }
  }

  attachIngress(ingress: MeshIngress, service: MeshedService): readonly IngressBinding[] {
    const gateway = new AppMeshGateway(ingress, 'Gateway', {
      context: { ...this.context, mesh: this.mesh },
      target: this.virtualServiceOf(service),
      tracing: this.tracing,
      desiredCount: service.serviceSpec.scaling?.minTasks ?? defaultScaling().minTasks,
    });
    for (const version of service.versions) {
      version.securityGroup.connections.allowFrom(
        gateway.securityGroup,
        ec2.Port.tcp(service.serviceSpec.port),
        'from the ingress gateway',
      );
    }
    const target = ingress.addTarget('GatewayTarget', {
      service: gateway.service,
      containerName: ENVOY_CONTAINER_NAME,
      containerPort: GATEWAY_PORT,
      healthCheckPath: ENVOY_HEALTH.path,
      healthCheckPort: ENVOY_HEALTH.port,
    });
    this.dashboard?.addIngressGateway('ingress gateway', gateway.service, target);
    const scaling = service.serviceSpec.scaling;
    if (scaling) {
      scaleOnAlbRequests(scaleOnCpu(gateway.service, scaling), target.targetGroup, scaling);
    }
    // The ALB fronts the gateway, not the service's versions.
    return [];
  }

  private virtualServiceName(service: ServiceSpec): string {
    return `${service.name}.${this.context.topology.namespace}`;
  }

  private partsOf(version: ServiceVersion): NodeParts {
    const parts = this.nodes.get(version.qualifiedName);
    if (!parts)
      throw new Error(`${version.qualifiedName} has no virtual node: render it with this provider`);
    return parts;
  }

  private virtualServiceOf(service: MeshedService): appmesh.VirtualService {
    const virtualService = this.virtualServices.get(service);
    if (!virtualService) {
      throw new Error(
        `service "${service.serviceSpec.name}" has no virtual service: render it before its callers`,
      );
    }
    return virtualService;
  }
}
