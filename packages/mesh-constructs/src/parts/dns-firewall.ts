/**
 * Egress limited by name: a Route 53 Resolver DNS Firewall rule group on the VPC answers the
 * declared hosts and the AWS endpoints the tasks need, and NXDOMAIN for every other name.
 */
import type { Topology } from '@color-teller/topology';
import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import { Construct } from 'constructs';
import type { MeshFlavorName } from '../mesh-flavor';
import { encryptedLogGroup } from '../private/hardening';
import { allowedEgressNames } from './egress-names';

export interface DnsFirewallProviderProps {
  /**
   * Associate a DNS Firewall rule group with the VPC that lets tasks resolve only the declared
   * externals and the AWS endpoints they need. It filters every resolver query of the VPC: turn
   * it off when the VPC is shared with other workloads.
   * @default true
   */
  readonly dnsFirewall?: boolean;
}

/** Lower numbers are evaluated first: the allow list, then the catch-all block. */
export const ALLOW_RULE_PRIORITY = 100;
export const BLOCK_RULE_PRIORITY = 200;
/** The rule group's place among others on the VPC (100 to 9900); leaves room on both sides. */
export const ASSOCIATION_PRIORITY = 1000;

export interface DnsEgressFirewallProps {
  readonly topology: Topology;
  readonly vpc: ec2.IVpc;
  readonly flavor: MeshFlavorName;
}

export class DnsEgressFirewall extends Construct {
  readonly ruleGroup: route53resolver.CfnFirewallRuleGroup;

  constructor(scope: Construct, id: string, props: DnsEgressFirewallProps) {
    super(scope, id);
    const allowed = new route53resolver.CfnFirewallDomainList(this, 'Allowed', {
      domains: allowedEgressNames(props.topology, props.flavor),
    });
    const everything = new route53resolver.CfnFirewallDomainList(this, 'Everything', {
      domains: ['*'],
    });
    this.ruleGroup = new route53resolver.CfnFirewallRuleGroup(this, 'Rules', {
      firewallRules: [
        {
          action: 'ALLOW',
          priority: ALLOW_RULE_PRIORITY,
          firewallDomainListId: allowed.attrId,
          // An allowed name may be a CNAME to a CDN's name: the answer is trusted, not re-checked.
          firewallDomainRedirectionAction: 'TRUST_REDIRECTION_DOMAIN',
        },
        {
          action: 'BLOCK',
          blockResponse: 'NXDOMAIN',
          priority: BLOCK_RULE_PRIORITY,
          firewallDomainListId: everything.attrId,
        },
      ],
    });
    new route53resolver.CfnFirewallRuleGroupAssociation(this, 'VpcAssociation', {
      firewallRuleGroupId: this.ruleGroup.attrId,
      vpcId: props.vpc.vpcId,
      priority: ASSOCIATION_PRIORITY,
      mutationProtection: 'DISABLED',
    });
  }
}

/** The firewall for a flavor bound to a system, unless `dnsFirewall` is false. */
export function dnsEgressFirewall(
  scope: Construct,
  props: DnsEgressFirewallProps & DnsFirewallProviderProps,
): DnsEgressFirewall | undefined {
  if (props.dnsFirewall === false) return undefined;
  return new DnsEgressFirewall(scope, 'EgressFirewall', props);
}

export interface DnsQueryLogsProps {
  readonly vpc: ec2.IVpc;
  /** The key the log group is encrypted with (the system's `logKey`). */
  readonly logKey: IKey;
}

/**
 * Route 53 Resolver query logging of the VPC into an encrypted log group: every name the tasks
 * ask for, with the firewall's answer, so that a name missing from the allow-list shows up as a
 * blocked query on a first deployment. Resolver delivers vended logs: the group's name starts with
 * /aws/vendedlogs/ so that CloudWatch Logs' resource policy (5,120 characters at most) does not
 * grow a statement per group.
 */
export class DnsQueryLogs extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DnsQueryLogsProps) {
    super(scope, id);
    this.logGroup = encryptedLogGroup(this, 'Logs', props.logKey, {
      logGroupName: `/aws/vendedlogs/route53resolver/${Stack.of(this).stackName}/queries`,
    });
    const config = new route53resolver.CfnResolverQueryLoggingConfig(this, 'Config', {
      destinationArn: this.logGroup.logGroupArn,
    });
    new route53resolver.CfnResolverQueryLoggingConfigAssociation(this, 'VpcAssociation', {
      resolverQueryLogConfigId: config.attrId,
      resourceId: props.vpc.vpcId,
    });
  }
}
