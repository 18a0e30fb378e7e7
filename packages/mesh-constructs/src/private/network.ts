/** The system's own VPC: two AZs, the NAT gateways asked for, a flow log, a free S3 endpoint. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { encryptedLogGroup } from './log-groups';

const AZS = 2;

export function natGatewayProblems(natGateways: number): string[] {
  if (Number.isInteger(natGateways) && natGateways >= 0 && natGateways <= AZS) return [];
  return [
    `natGateways is ${natGateways}; use 0 (tasks in public subnets with public IPs, no NAT), 1 (one AZ's egress) or ${AZS} (one a zone, survives an AZ outage)`,
  ];
}

export function systemVpc(scope: Construct, natGateways: number, logKey: IKey): ec2.Vpc {
  const problems = natGatewayProblems(natGateways);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: AZS,
    natGateways,
    subnetConfiguration: [
      // Only the ALB and the NAT gateways live here unless there is no NAT gateway.
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      ...(natGateways > 0
        ? [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }]
        : []),
    ],
    // Image layers come from S3: a gateway endpoint is free and keeps them off the NAT gateway.
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(
      encryptedLogGroup(scope, 'FlowLogs', logKey),
    ),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  return vpc;
}

/**
 * Where tasks run: private subnets behind NAT, or, in a VPC without private subnets (no NAT
 * gateway), public subnets with a public IP each (their security group still admits only the
 * hop before them).
 */
export function taskPlacement(vpc: ec2.IVpc): {
  vpcSubnets: ec2.SubnetSelection;
  assignPublicIp: boolean;
} {
  return vpc.privateSubnets.length > 0
    ? { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, assignPublicIp: false }
    : { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, assignPublicIp: true };
}
