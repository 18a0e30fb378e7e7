import type { ServiceSpec, Topology } from '@color-teller/topology';
import {
  DnsQueryLogs,
  MeshedSystem,
  PLAIN_HTTP_WARNING,
  type AppHealthProbe,
  type MeshProvider,
} from '@color-teller/mesh-constructs';
import { Annotations, Stack, type StackProps } from 'aws-cdk-lib';
import type { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { DomainOptions } from './options';

export interface ColorTellerStackProps extends StackProps {
  readonly topology: Topology;
  readonly provider: MeshProvider;
  readonly image: (service: ServiceSpec) => ContainerImage;
  /** @default - the image's node for this repository's services, no container check for others */
  readonly appHealthProbe?: (service: ServiceSpec) => AppHealthProbe;
  /** @default - plain HTTP */
  readonly certificateArn?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** @default 1 */
  readonly natGateways?: number;
  /** @default - no DNS record; the Url output is the ALB's DNS name */
  readonly domain?: DomainOptions;
  /**
   * Log every DNS query of the VPC (Route 53 Resolver query logging): on a first deployment,
   * a name the egress allow-list lacks shows up as a blocked query.
   * @default false
   */
  readonly dnsQueryLogs?: boolean;
}

/** The Color Teller on ECS: environment-agnostic, so synthesis needs no account or lookups. */
export class ColorTellerStack extends Stack {
  readonly system: MeshedSystem;

  constructor(scope: Construct, id: string, props: ColorTellerStackProps) {
    super(scope, id, props);
    this.system = new MeshedSystem(this, 'System', {
      topology: props.topology,
      provider: props.provider,
      image: props.image,
      ...(props.appHealthProbe ? { appHealthProbe: props.appHealthProbe } : {}),
      certificateArn: props.certificateArn,
      deletionProtection: props.deletionProtection,
      natGateways: props.natGateways,
      domainName: props.domain?.domainName,
      hostedZone:
        props.domain &&
        HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: props.domain.hostedZoneId,
          zoneName: props.domain.hostedZoneName,
        }),
    });
    if (props.dnsQueryLogs) {
      new DnsQueryLogs(this, 'DnsQueryLogs', {
        vpc: this.system.vpc,
        logKey: this.system.logKey,
      });
    }
    if (props.certificateArn === undefined) {
      Annotations.of(this.system.ingress.listener).acknowledgeWarning(
        PLAIN_HTTP_WARNING,
        'The demo has no domain of its own; pass -c certificateArn=<ACM ARN> to serve HTTPS',
      );
    }
  }
}
