/** ECS native deployment strategies (Service Connect flavor) from a service's `deployment`. */
import type { DeploymentSpec, ServiceSpec } from '@color-teller/topology';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { acknowledgeControl, ROLLBACK_ALARM_REASON } from '../private/controls';
import { defaultDeployment } from '../private/defaults';
import type { ServiceExtras } from '../mesh-provider';
import type { ServiceVersion } from '../service-version';

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

/** The Fargate service props for the spec's strategy, with its bake time. */
export function deploymentExtras(service: ServiceSpec): ServiceExtras {
  const deployment = service.deployment;
  if (!deployment || deployment.strategy === 'rolling') return {};
  const defaults = defaultDeployment();
  const bake = Duration.minutes(deployment.bakeMinutes ?? defaults.bakeMinutes);
  const shift = { stepPercent: deployment.stepPercent ?? defaults.stepPercent, stepBakeTime: bake };
  return {
    deploymentStrategy: STRATEGIES[deployment.strategy],
    bakeTime: bake,
    ...(deployment.strategy === 'canary' ? { canaryConfiguration: shift } : {}),
    ...(deployment.strategy === 'linear' ? { linearConfiguration: shift } : {}),
  };
}

/**
 * Rolls the deployment back when `metric` (server errors) breaches. The alarm has an explicit
 * name so that the service can name it without referencing it (the alarm watches the service).
 */
export function rollBackOnErrors(version: ServiceVersion, metric: cloudwatch.IMetric): void {
  const alarmName = `${Stack.of(version).stackName}-${version.qualifiedName}-5xx`;
  const alarm = new cloudwatch.Alarm(version, 'ErrorsAlarm', {
    alarmName,
    alarmDescription: `Server errors of ${version.qualifiedName}: rolls its deployment back`,
    metric,
    threshold: 1,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  acknowledgeControl(alarm, 'cloudwatch_alarm_action_check', ROLLBACK_ALARM_REASON);
  version.service.enableDeploymentAlarms([alarmName], {
    behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
  });
}
