/** Rollback alarms: server errors during an ECS traffic-shifting deployment roll it back. */
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { acknowledgeControl, ROLLBACK_ALARM_REASON } from '../private/controls';
import type { IngressTarget, IServiceVersion, ServicePart } from '../contracts';
import { shiftsTraffic } from './deployment';

/**
 * Rolls the deployment back when `metric` (server errors) breaches. The alarm has an explicit
 * name so that the service can name it without referencing it (the alarm watches the service).
 */
export function rollBackOnErrors(version: IServiceVersion, metric: cloudwatch.IMetric): void {
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
  version.fargateService.enableDeploymentAlarms([alarmName], {
    behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
  });
}

export interface RollbackAlarmsProps {
  /** The service the ALB fronts: its alarm watches its target group instead. */
  readonly ingressService: string;
  /**
   * Server errors of a version the ALB does not front, as the flavor measures them.
   * @default - no alarm on such versions
   */
  readonly errorMetric?: (version: IServiceVersion) => cloudwatch.IMetric | undefined;
}

/** One rollback alarm per version that deploys by shifting traffic (canary, linear, blue/green). */
export class RollbackAlarms implements ServicePart {
  constructor(private readonly props: RollbackAlarmsProps) {}

  versionReady(version: IServiceVersion): void {
    const isIngress = version.serviceSpec.name === this.props.ingressService;
    if (!shiftsTraffic(version.serviceSpec) || isIngress) return;
    const metric = this.props.errorMetric?.(version);
    if (metric) rollBackOnErrors(version, metric);
  }

  ingressTargetReady(version: IServiceVersion, target: IngressTarget): void {
    if (!shiftsTraffic(version.serviceSpec)) return;
    // Both target groups: after a shift the alternate one serves the live revision.
    rollBackOnErrors(version, target.serverErrors);
  }
}
