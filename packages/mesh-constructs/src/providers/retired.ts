import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const RETIRED_REASON =
  'AWS App Mesh is retired (2026-09-30); this flavor reproduces the article on purpose, the default flavor is Service Connect';

/** Acknowledges aws-cdk-lib's retired-service warning on one App Mesh resource. */
export function acknowledgeRetired(construct: IConstruct): void {
  Validations.of(construct).acknowledge({
    id: 'CloudFormation-Validate::W3696',
    reason: RETIRED_REASON,
  });
}
