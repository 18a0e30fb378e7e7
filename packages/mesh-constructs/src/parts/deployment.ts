/** ECS native deployment strategies from a service's `deployment`. */
import type { DeploymentSpec, ServiceSpec } from '@color-teller/topology';
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ServicePart, VersionIdentity } from '../contracts';
import { defaultDeployment } from '../private/defaults';
import type { HardenedServiceProps } from '../private/hardening';

const STRATEGIES: Record<DeploymentSpec['strategy'], ecs.DeploymentStrategy> = {
  rolling: ecs.DeploymentStrategy.ROLLING,
  canary: ecs.DeploymentStrategy.CANARY,
  linear: ecs.DeploymentStrategy.LINEAR,
  'blue-green': ecs.DeploymentStrategy.BLUE_GREEN,
};

/** True when the service shifts traffic between two task sets (needs alarms, alternate targets). */
export function shiftsTraffic(service: ServiceSpec): boolean {
  return (service.deployment?.strategy ?? 'rolling') !== 'rolling';
}

/** ECS's limits on a deployment beyond the topology's own checks (bake time, linear steps). */
export function deploymentProblems(service: ServiceSpec): string[] {
  const deployment = service.deployment;
  if (!deployment) return [];
  const problems: string[] = [];
  const where = `service "${service.name}": deployment`;
  const bake = deployment.bakeMinutes;
  if (bake !== undefined && !(Number.isInteger(bake) && bake >= 0 && bake <= 1440)) {
    problems.push(`${where}.bakeMinutes is ${bake}; ECS accepts whole minutes from 0 to 1440`);
  }
  const step = deployment.stepPercent;
  if (step !== undefined && deployment.strategy === 'linear' && !(step >= 3 && step <= 100)) {
    problems.push(
      `${where}.stepPercent is ${step}; a linear deployment shifts 3 to 100 percent a step`,
    );
  }
  return problems;
}

/** Sets each version's ECS strategy and bake time from its service's `deployment`. */
export class EcsDeployment implements ServicePart {
  fargateServiceProps(version: VersionIdentity, props: HardenedServiceProps): HardenedServiceProps {
    const deployment = version.serviceSpec.deployment;
    if (!deployment || deployment.strategy === 'rolling') return props;
    const defaults = defaultDeployment();
    const bake = Duration.minutes(deployment.bakeMinutes ?? defaults.bakeMinutes);
    const shift = {
      stepPercent: deployment.stepPercent ?? defaults.stepPercent,
      stepBakeTime: bake,
    };
    return {
      ...props,
      deploymentStrategy: STRATEGIES[deployment.strategy],
      bakeTime: bake,
      ...(deployment.strategy === 'canary' ? { canaryConfiguration: shift } : {}),
      ...(deployment.strategy === 'linear' ? { linearConfiguration: shift } : {}),
    };
  }
}
