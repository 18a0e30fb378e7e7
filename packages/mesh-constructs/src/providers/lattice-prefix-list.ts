/**
 * The VPC Lattice managed prefix list of the stack's Region, found at deploy time.
 *
 * AWS publishes Lattice's addresses as the managed prefix list `com.amazonaws.<region>.vpc-lattice`:
 * link-local and non-routable public ranges (VPC Lattice User Guide, "Control traffic in VPC
 * Lattice using security groups"), so no literal CIDR covers them. Its ID differs by Region and
 * account view, and the stack is environment-agnostic, so it is looked up by name when the stack
 * deploys (EC2 `DescribeManagedPrefixLists` through a custom resource) rather than by a context
 * lookup at synthesis, which would need credentials and pin the stack to one Region.
 */
import { Aws, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeControl } from '../private/controls';
import { encryptedLogGroup } from '../private/hardening';

/** The IPv4 list's name in the stack's Region (a token until deployment). */
export const VPC_LATTICE_PREFIX_LIST_NAME = `com.amazonaws.${Aws.REGION}.vpc-lattice`;
const ID_PATH = 'PrefixLists.0.PrefixListId';

/** Resolves the list's ID when the stack deploys; `peer` is what security group rules name. */
export class LatticePrefixList extends Construct {
  readonly prefixListId: string;
  readonly peer: ec2.IPeer;

  constructor(scope: Construct, id: string, logKey: IKey) {
    super(scope, id);
    // The lookup's function writes to an encrypted group through its own role, which holds
    // no AWS managed policy (the default role would carry AWSLambdaBasicExecutionRole).
    const logGroup = encryptedLogGroup(this, 'LookupLogs', logKey);
    const role = new iam.Role(this, 'LookupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: {
        Filters: [{ Name: 'prefix-list-name', Values: [VPC_LATTICE_PREFIX_LIST_NAME] }],
      },
      // The name identifies the list: a new Region (a new name) is a new lookup.
      physicalResourceId: cr.PhysicalResourceId.of(VPC_LATTICE_PREFIX_LIST_NAME),
      outputPaths: [ID_PATH],
    };
    const lookup = new cr.AwsCustomResource(this, 'Lookup', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['ec2:DescribeManagedPrefixLists'],
          resources: ['*'],
        }),
      ]),
      installLatestAwsSdk: false,
      role,
      logGroup,
    });
    acknowledgeProviderFunction(lookup);
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:DescribeManagedPrefixLists supports no resource-level permissions; the lookup only reads the Lattice prefix list by name',
    });
    this.prefixListId = lookup.getResponseField(ID_PATH);
    this.peer = ec2.Peer.prefixList(this.prefixListId);
  }
}

/**
 * What the provider function is acknowledged for. It runs outside the VPC: it makes one EC2 API
 * call per deployment and reaches nothing in the VPC, where it would need a route to the EC2 API
 * past the DNS firewall. And aws-cdk-lib makes it depend on its role, which its `Role` attribute
 * already orders (cfn-lint W3005, a warning about redundancy only).
 */
function acknowledgeProviderFunction(lookup: cr.AwsCustomResource): void {
  const stack = Stack.of(lookup);
  for (const child of stack.node.children) {
    if (child instanceof lambda.Function && child.node.id.startsWith('AWS679f53fac002430c')) {
      acknowledgeControl(
        child,
        'lambda_inside_vpc_check',
        'The Lattice prefix list lookup calls only the EC2 API, once per deployment, and reaches nothing inside the VPC',
      );
      (child.node.defaultChild as CfnResource).addMetadata('cfn-lint', {
        config: { ignore_checks: ['W3005'] },
      });
    }
  }
}
