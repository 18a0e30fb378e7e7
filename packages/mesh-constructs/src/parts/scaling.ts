/** Task autoscaling from a service's `scaling`: on CPU, and on ALB requests where the ALB fronts it. */
import type { ScalingSpec } from '@color-teller/topology';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IngressTarget } from '../ingress';
import type { ServicePart } from '../mesh-flavor';
import { defaultScaling } from '../private/defaults';
import type { ServiceVersion } from '../service-version';

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

/** Every version with `scaling` scales on CPU; a version the ALB fronts also on its requests. */
export class TaskScaling implements ServicePart {
  private readonly counts = new Map<ServiceVersion, ecs.ScalableTaskCount>();

  versionReady(version: ServiceVersion): void {
    const scaling = version.serviceSpec.scaling;
    if (scaling) this.counts.set(version, scaleOnCpu(version.fargateService, scaling));
  }

  ingressTargetReady(version: ServiceVersion, target: IngressTarget): void {
    const count = this.counts.get(version);
    if (count) scaleOnAlbRequests(count, target.targetGroup, version.serviceSpec.scaling!);
  }
}
