/** What the ECS native flavors (Service Connect, VPC Lattice) share beside discovery and routing. */
import type { Topology } from '@color-teller/topology';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { MeshIngress } from '../ingress';
import type { IngressBinding, ServicePart } from '../mesh-flavor';
import type { MeshedService } from '../meshed-service';
import { APP_CONTAINER_NAME, type ServiceVersion } from '../service-version';
import { RollbackAlarms } from './alarms';
import { MeshDashboard, type TrafficMetrics } from './dashboard';
import { EcsDeployment, shiftsTraffic } from './deployment';
import { TaskScaling } from './scaling';
import { OpenTelemetryTracing, type TraceSampling } from './tracing';

export interface EcsNativePartsOptions {
  readonly topology: Topology;
  readonly tracing: boolean;
  /** @default - X-Ray's default rule (see `TraceSampling`) */
  readonly traceSampling?: TraceSampling;
  /** @default - versions the ALB does not front get no rollback alarm */
  readonly errorMetric?: (version: ServiceVersion) => cloudwatch.IMetric;
  /** Where the dashboard goes (the system); with `dashboard` false, nothing goes there. */
  readonly scope: Construct;
  readonly flavor: string;
  readonly dashboard: boolean;
  /** @default - the dashboard shows the ALB's figures and CPU and memory only */
  readonly meshTraffic?: (version: ServiceVersion) => TrafficMetrics | undefined;
}

/** OpenTelemetry tracing (when on), ECS deployment strategies, rollback alarms, autoscaling, the dashboard (when on). */
export function ecsNativeParts(options: EcsNativePartsOptions): ServicePart[] {
  return [
    ...(options.tracing ? [new OpenTelemetryTracing(options.traceSampling)] : []),
    new EcsDeployment(),
    new RollbackAlarms({
      ingressService: options.topology.ingress.service,
      errorMetric: options.errorMetric,
    }),
    new TaskScaling(),
    ...(options.dashboard
      ? [
          new MeshDashboard(options.scope, 'Dashboard', {
            topology: options.topology,
            flavor: options.flavor,
            meshTraffic: options.meshTraffic,
          }),
        ]
      : []),
  ];
}

/** The ALB sends every path straight to the service's app containers, one target group a version. */
export function albFrontsVersions(ingress: MeshIngress, service: MeshedService): IngressBinding[] {
  return service.versions.map((version) => ({
    version,
    target: ingress.addTarget(version.node.id, {
      service: version.fargateService,
      containerName: APP_CONTAINER_NAME,
      containerPort: service.serviceSpec.port,
      healthCheckPath: service.serviceSpec.healthPath,
      alternateTargets: shiftsTraffic(service.serviceSpec),
    }),
  }));
}
