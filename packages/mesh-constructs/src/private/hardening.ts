/**
 * The hardening every task and service gets, whatever the flavor: ARM64, private subnets, no
 * public IP, a security group that opens nothing by default, safe deployments, encrypted logs.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { defaultLogRetentionDays } from './defaults';
import { acknowledgeControl } from './controls';
import { taskPlacement } from './network';

/** Retention in days to the CloudWatch enum value. */
function retentionOf(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!known.includes(days)) {
    throw new Error(
      `Log retention of ${days} days is not offered by CloudWatch; use one of ${known.join(', ')}`,
    );
  }
  return days as logs.RetentionDays;
}

export function encryptedLogGroup(
  scope: Construct,
  id: string,
  key: IKey,
  options: { readonly logGroupName?: string } = {},
): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    ...options,
    encryptionKey: key,
    retention: retentionOf(defaultLogRetentionDays()),
    // Logs go with the stack so that `npm run destroy` leaves nothing behind.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/**
 * Only AWS services, acting for a resource, may create grants on `key`: a grant is a second way
 * into the key that its policy would not show.
 */
export function restrictGrantsToAwsServices(key: IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    }),
  );
}

export function armTaskDefinition(
  scope: Construct,
  id: string,
  props: ecs.FargateTaskDefinitionProps,
): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, id, {
    runtimePlatform: {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    },
    ...props,
  });
  Validations.of(taskDefinition).acknowledge({
    id: 'AwsSolutions::AwsSolutions-ECS2',
    reason:
      'Env holds only non-secret configuration (ports, colors, versions, backend URLs, OTEL settings); the system has no secrets',
  });
  Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'The execution role pulls images from ECR: ecr:GetAuthorizationToken accepts no resource but *',
  });
  return taskDefinition;
}

/**
 * A security group that admits nothing and lets out only HTTPS (image registries and AWS APIs
 * through the NAT gateway); every other rule is added hop by hop.
 */
export function closedSecurityGroup(
  scope: Construct,
  id: string,
  vpc: ec2.IVpc,
  description: string,
) {
  const group = new ec2.SecurityGroup(scope, id, { vpc, allowAllOutbound: false, description });
  group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to registries and AWS APIs');
  return group;
}

export type HardenedServiceProps = Omit<
  ecs.FargateServiceProps,
  'assignPublicIp' | 'vpcSubnets' | 'minHealthyPercent' | 'maxHealthyPercent' | 'circuitBreaker'
>;

/**
 * A Fargate service in private subnets without a public IP (unless the VPC has no NAT gateway,
 * see `taskPlacement`) that rolls back a failing deployment.
 */
export function hardenedFargateService(
  scope: Construct,
  id: string,
  props: HardenedServiceProps,
): ecs.FargateService {
  const placement = taskPlacement(props.cluster!.vpc);
  const service = new ecs.FargateService(scope, id, {
    ...placement,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { enable: true, rollback: true },
    ...props,
  });
  if (placement.assignPublicIp) {
    acknowledgeControl(
      service,
      'ecs_service_assign_public_ip_disabled_check',
      'natGateways: 0 was chosen to save the NAT gateway: tasks need a public IP to reach registries and AWS APIs; their security group still admits only the hop before them',
    );
  }
  return service;
}

export function seconds(value: number): Duration {
  return Duration.seconds(value);
}
