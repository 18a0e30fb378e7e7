/** Task autoscaling from a service's `scaling`: on CPU, and on ALB requests where the ALB fronts it. */
import type { ScalingSpec } from '@color-teller/topology';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IngressGateway, IngressTarget, IServiceVersion, ServicePart } from '../contracts';
import { defaultScaling } from '../private/defaults';

/** Scales `service` between the spec's bounds on its average CPU. */
export function scaleOnCpu(
  service: ecs.FargateService,
  scaling: ScalingSpec,
): ecs.ScalableTaskCount {
  const count = service.autoScaleTaskCount({
    minCapacity: scaling.minTasks,
    maxCapacity: scaling.maxTasks,
  });
  count.scaleOnCpuUtilization('Cpu', {
    targetUtilizationPercent: scaling.targetCpuPercent ?? defaultScaling().targetCpuPercent,
  });
  return count;
}

/** Adds scaling on the ALB's requests per target to `count`. */
export function scaleOnAlbRequests(
  count: ecs.ScalableTaskCount,
  targetGroup: elbv2.ApplicationTargetGroup,
  scaling: ScalingSpec,
): void {
  count.scaleOnRequestCount('Requests', {
    targetGroup,
    requestsPerTarget: scaling.requestsPerTarget ?? defaultScaling().requestsPerTarget,
  });
}

/**
 * Every version with `scaling` scales on CPU; a version the ALB fronts also on its requests, and
 * so does a gateway the ALB fronts.
 */
export class TaskScaling implements ServicePart {
  private readonly counts = new Map<IServiceVersion, ecs.ScalableTaskCount>();

  versionReady(version: IServiceVersion): void {
    const scaling = version.serviceSpec.scaling;
    if (scaling) this.counts.set(version, scaleOnCpu(version.fargateService, scaling));
  }

  ingressTargetReady(version: IServiceVersion, target: IngressTarget): void {
    const count = this.counts.get(version);
    const scaling = version.serviceSpec.scaling;
    if (count && scaling) scaleOnAlbRequests(count, target.targetGroup, scaling);
  }

  /** A gateway in front of the versions scales by the `scaling` of the service it fronts. */
  ingressGatewayReady(gateway: IngressGateway): void {
    const scaling = gateway.fronts.scaling;
    if (scaling) {
      scaleOnAlbRequests(scaleOnCpu(gateway.service, scaling), gateway.target.targetGroup, scaling);
    }
  }
}
