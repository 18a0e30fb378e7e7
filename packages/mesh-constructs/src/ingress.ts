import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IMeshIngress, IngressTarget, IngressTargetOptions } from './contracts';
import { ecsInfrastructureRole } from './parts/ecs-infrastructure-role';
import { aliasRecord } from './private/domain';
import { acknowledgeControl } from './private/controls';
import { albHealthCheckTiming, deregistrationDelaySeconds } from './private/defaults';

/** How the ingress listens: the options a `MeshedSystem` passes on unchanged. */
export interface MeshIngressOptions {
  /**
   * ACM certificate for an HTTPS listener on 443 (port 80 then redirects to it).
   * @default - a plain HTTP listener on port 80
   */
  readonly certificateArn?: string;
  /**
   * Protect the load balancer from deletion (only for the load balancer the ingress creates).
   * @default false - so that destroying the stack just works
   */
  readonly deletionProtection?: boolean;
  /**
   * The name the certificate covers: an alias record in `hostedZone` points it at the ALB, and
   * `url` becomes `https://<domainName>`. Needs `certificateArn` and `hostedZone`.
   * @default - no record; `url` is the ALB's DNS name, which the certificate does not match
   */
  readonly domainName?: string;
  /**
   * The public hosted zone that holds `domainName` (import it with
   * `HostedZone.fromHostedZoneAttributes` so that synthesis needs no lookup).
   * @default - none; required with `domainName`
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * An application load balancer of your own to listen on: its security group must admit the
   * listener ports, and its attributes (access logs, deletion protection) stay yours.
   * @default - a new internet-facing ALB in the public subnets that drops invalid headers and
   * writes access logs to a new encrypted bucket
   */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
}

export interface MeshIngressProps extends MeshIngressOptions {
  readonly vpc: ec2.IVpc;
}

export type { IngressTarget, IngressTargetOptions } from './contracts';

/** Warning ID for a plain-HTTP listener; acknowledge it (with a reason) where that is intended. */
export const PLAIN_HTTP_WARNING = '@color-teller/mesh-constructs:plainHttpListener';

/**
 * The one way in: an internet-facing ALB in the public subnets that drops invalid headers and
 * writes access logs to an encrypted, SSL-only bucket. Its security group is the only place a
 * CIDR is admitted, and only on the listener ports.
 */
export class MeshIngress extends Construct implements IMeshIngress {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  /** The security group of the load balancer the ingress created. @default - none with `loadBalancer` */
  readonly securityGroup?: ec2.SecurityGroup;
  /** The access log bucket of the load balancer the ingress created. @default - none with `loadBalancer` */
  readonly accessLogs?: s3.Bucket;
  private readonly vpc: ec2.IVpc;
  /** `https://<domainName>`, else `http://` or `https://` and the load balancer's DNS name. */
  readonly url: string;
  /** What a reader of `url` must know: with HTTPS and no domain, where the certificate's name must point. */
  readonly urlNote: string;

  constructor(scope: Construct, id: string, props: MeshIngressProps) {
    super(scope, id);
    const https = props.certificateArn !== undefined;
    checkOptions(props);
    this.vpc = props.vpc;
    if (props.loadBalancer) {
      this.loadBalancer = props.loadBalancer;
    } else {
      const created = this.createLoadBalancer(props);
      this.loadBalancer = created.loadBalancer;
      this.securityGroup = created.securityGroup;
      this.accessLogs = created.accessLogs;
    }

    if (https) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: notFound(),
      });
      redirectToHttps(this.loadBalancer);
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        defaultAction: notFound(),
      });
      Annotations.of(this.listener).addWarningV2(
        PLAIN_HTTP_WARNING,
        'The ingress serves plain HTTP: pass a certificate ARN to serve HTTPS on 443',
      );
      acknowledgeControl(
        this.listener,
        'alb_http_to_https_redirection_check',
        'No certificate was given, so there is no HTTPS to redirect to; the plainHttpListener warning says so',
      );
    }
    if (props.domainName !== undefined && props.hostedZone !== undefined) {
      aliasRecord(this, props.domainName, props.hostedZone, this.loadBalancer);
      this.url = `https://${props.domainName}`;
      this.urlNote = '';
    } else {
      this.url = `${https ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
      this.urlNote = https
        ? " (the certificate's name must point at this DNS name: give a domainName and hostedZone, or add the DNS record yourself)"
        : '';
    }
  }

  /** The internet-facing ALB with its own security group and access log bucket. */
  private createLoadBalancer(props: MeshIngressProps): {
    loadBalancer: elbv2.ApplicationLoadBalancer;
    securityGroup: ec2.SecurityGroup;
    accessLogs: s3.Bucket;
  } {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Ingress ALB: the internet on its listener ports only',
    });
    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason:
        'The internet-facing ALB admits the internet on its listener ports only (80, and 443 with a certificate)',
    });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioning keeps an overwritten or deleted log for the same 90 days.
      versioned: true,
      lifecycleRules: [
        { expiration: Duration.days(90), noncurrentVersionExpiration: Duration.days(90) },
      ],
      // Access logs outlive the stack: destroying the system must not erase its audit trail.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeAccessLogBucket(accessLogs);
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    if (!props.deletionProtection) {
      acknowledgeControl(
        loadBalancer,
        'elbv2_deletion_protection_enabled_check',
        'Deletion protection is the deletionProtection option (off by default) so that destroying the stack works',
      );
    }
    enableAccessLogs(loadBalancer, accessLogs);
    return { loadBalancer, securityGroup, accessLogs };
  }

  /**
   * Sends every path to `options.service` through a listener rule (the rule is what ECS blue/green
   * and canary deployments shift between target groups).
   */
  addTarget(id: string, options: IngressTargetOptions): IngressTarget {
    const scope = new Construct(this, id);
    const targetGroupProps = this.targetGroupProps(options);
    const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'Targets', targetGroupProps);
    const alternateTargetGroup = options.alternateTargets
      ? new elbv2.ApplicationTargetGroup(scope, 'AlternateTargets', targetGroupProps)
      : undefined;
    // ECS shifts traffic by changing these weights, so the rule must name both groups from the start.
    const action = alternateTargetGroup
      ? elbv2.ListenerAction.weightedForward([
          { targetGroup, weight: 100 },
          { targetGroup: alternateTargetGroup, weight: 0 },
        ])
      : elbv2.ListenerAction.forward([targetGroup]);
    const rule = new elbv2.ApplicationListenerRule(scope, 'Rule', {
      listener: this.listener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action,
    });
    const role = alternateTargetGroup && trafficShiftRole(scope);
    targetGroup.addTarget(
      options.service.loadBalancerTarget({
        containerName: options.containerName,
        containerPort: options.containerPort,
        alternateTarget:
          alternateTargetGroup &&
          new ecs.AlternateTarget('Alternate', {
            alternateTargetGroup,
            productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule),
            role,
          }),
      }),
    );
    if (options.healthCheckPort !== undefined) {
      options.service.connections.allowFrom(
        this.loadBalancer,
        ec2.Port.tcp(options.healthCheckPort),
        'ALB health check',
      );
    }
    return {
      targetGroup,
      rule,
      alternateTargetGroup,
      serverErrors: serverErrorsOf([targetGroup, alternateTargetGroup]),
    };
  }

  private targetGroupProps(options: IngressTargetOptions): elbv2.ApplicationTargetGroupProps {
    const timing = albHealthCheckTiming();
    return {
      vpc: this.vpc,
      port: options.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(deregistrationDelaySeconds()),
      healthCheck: {
        path: options.healthCheckPath,
        port:
          options.healthCheckPort === undefined ? 'traffic-port' : String(options.healthCheckPort),
        interval: Duration.seconds(timing.intervalSeconds),
        healthyThresholdCount: timing.healthyThresholdCount,
        unhealthyThresholdCount: timing.unhealthyThresholdCount,
      },
    };
  }
}

function serverErrorsOf(groups: readonly (elbv2.ApplicationTargetGroup | undefined)[]) {
  const metrics = groups
    .filter((group) => group !== undefined)
    .map((group) =>
      group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period: Duration.minutes(1),
      }),
    );
  if (metrics.length === 1) return metrics[0]!;
  const usingMetrics = Object.fromEntries(metrics.map((metric, i) => [`g${i}`, metric]));
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics)
      .map((name) => `FILL(${name}, 0)`)
      .join(' + '),
    usingMetrics,
    label: 'Target 5xx over both target groups',
    period: Duration.minutes(1),
  });
}

function checkOptions(props: MeshIngressProps): void {
  if (props.loadBalancer !== undefined && props.deletionProtection !== undefined) {
    throw new Error(
      'deletionProtection applies to the load balancer the ingress creates: with your own loadBalancer, set it there',
    );
  }
  if (props.domainName === undefined && props.hostedZone === undefined) return;
  if (props.domainName === undefined || props.hostedZone === undefined) {
    throw new Error(
      `domainName (${props.domainName ?? 'missing'}) and hostedZone (${props.hostedZone ? 'given' : 'missing'}) go together: give both, or neither`,
    );
  }
  if (props.certificateArn === undefined) {
    throw new Error(
      `domainName ${props.domainName} needs certificateArn: an ACM certificate for that name, so the ingress can serve HTTPS`,
    );
  }
}

/** What the Control Tower controls ask of a bucket that ALB access logs cannot use. */
function acknowledgeAccessLogBucket(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions::AwsSolutions-S1',
    reason:
      'This bucket holds the ALB access logs; logging access to it would need yet another bucket for no audit gain',
  });
  const reasons: Record<string, string> = {
    s3_bucket_logging_enabled_check:
      'This bucket holds the ALB access logs; logging access to it would need yet another bucket for no audit gain',
    s3_bucket_default_encryption_kms_check:
      'ALB access logs support only SSE-S3 (Amazon S3-managed keys); SSE-KMS would stop log delivery',
    s3_event_notifications_enabled_check:
      'Nothing consumes new access logs as they arrive; they are read on demand for audits',
    s3_bucket_object_lock_enabled_check:
      'Versioning and a 90-day lifecycle keep the logs; Object Lock would keep them past the lifecycle and cannot be switched off',
  };
  for (const [rule, reason] of Object.entries(reasons)) acknowledgeControl(bucket, rule, reason);
}

/** The role ECS assumes to move the listener rule between target groups during a deployment. */
function trafficShiftRole(scope: Construct): iam.Role {
  return ecsInfrastructureRole(
    scope,
    'TrafficShiftRole',
    'AmazonECSInfrastructureRolePolicyForLoadBalancers',
    'ECS shifting ALB rules and targets in blue/green, canary and linear deployments',
  );
}

/**
 * ALB access logs through the log delivery service principal, which every region accepts (the
 * per-region ELB accounts stop at regions opened before August 2022, and a mapping of them
 * fails stack creation in any region it lacks).
 */
function enableAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket): void {
  const stack = Stack.of(loadBalancer);
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlbAccessLogs',
      actions: ['s3:PutObject'],
      principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
    }),
  );
  // The ALB checks that it may write when the attribute is set.
  const policy = bucket.policy?.node.defaultChild;
  if (policy instanceof CfnResource) {
    (loadBalancer.node.defaultChild as CfnResource).addResourceDependency(policy);
  }
}

/** Port 80 redirects to HTTPS on 443. */
function redirectToHttps(loadBalancer: elbv2.IApplicationLoadBalancer): void {
  if (loadBalancer instanceof elbv2.ApplicationLoadBalancer) {
    loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    return;
  }
  loadBalancer.addListener('Redirect80To443', {
    port: 80,
    defaultAction: elbv2.ListenerAction.redirect({
      port: '443',
      protocol: 'HTTPS',
      permanent: true,
    }),
  });
}

function notFound(): elbv2.ListenerAction {
  return elbv2.ListenerAction.fixedResponse(404, {
    contentType: 'text/plain',
    messageBody: 'Not found',
  });
}
