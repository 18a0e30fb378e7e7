/** Acknowledging AWS Control Tower proactive controls (cfn-guard rules run at synthesis). */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The plugin name `@cdklabs/cdk-validator-cfnguard` reports its findings under. */
export const CONTROL_TOWER_PLUGIN = 'cdk-validator-cfnguard';

/** Acknowledges one Control Tower rule on the construct it concerns, with the reason. */
export function acknowledgeControl(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${CONTROL_TOWER_PLUGIN}::${rule}`, reason });
}

/** Why a deployment's rollback alarm has no alarm action. */
export const ROLLBACK_ALARM_REASON =
  'ECS watches this alarm during a deployment and rolls back when it fires: that is its action, and nobody is paged for a bake-time error';
