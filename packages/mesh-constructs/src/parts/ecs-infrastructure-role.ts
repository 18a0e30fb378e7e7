/** Roles that ECS itself assumes to manage infrastructure for a service (load balancers, Lattice). */
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role only ECS can assume, with the AWS managed policy `policyName` made for `job`; the
 * managed-policy finding is acknowledged on it, naming the job.
 */
export function ecsInfrastructureRole(
  scope: Construct,
  id: string,
  policyName: string,
  job: string,
): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(policyName)],
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`,
    reason: `AWS maintains this policy for exactly this job (${job}); only ECS can assume the role`,
  });
  return role;
}
