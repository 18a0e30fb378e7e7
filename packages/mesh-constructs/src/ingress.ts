import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FactName } from 'aws-cdk-lib/region-info';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ecsInfrastructureRole } from './parts/ecs-infrastructure-role';
import { albHealthCheckTiming, deregistrationDelaySeconds } from './private/defaults';

export interface MeshIngressProps {
  readonly vpc: ec2.IVpc;
  /**
   * ACM certificate for an HTTPS listener on 443 (port 80 then redirects to it).
   * @default - a plain HTTP listener on port 80
   */
  readonly certificateArn?: string;
  /**
   * Protect the load balancer from deletion.
   * @default false - so that destroying the stack just works
   */
  readonly deletionProtection?: boolean;
}

export interface IngressTargetOptions {
  readonly service: ecs.FargateService;
  readonly containerName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** @default - the traffic port */
  readonly healthCheckPort?: number;
  /**
   * Add a second target group for ECS native blue/green, canary and linear deployments, which
   * shift the listener rule between the two.
   * @default false
   */
  readonly alternateTargets?: boolean;
}

/** Warning ID for a plain-HTTP listener; acknowledge it (with a reason) where that is intended. */
export const PLAIN_HTTP_WARNING = '@color-teller/mesh-constructs:plainHttpListener';

/**
 * The one way in: an internet-facing ALB in the public subnets that drops invalid headers and
 * writes access logs to an encrypted, SSL-only bucket. Its security group is the only place a
 * CIDR is admitted, and only on the listener ports.
 */
export class MeshIngress extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly securityGroup: ec2.SecurityGroup;
  readonly accessLogs: s3.Bucket;
  /** `http://` or `https://` and the load balancer's DNS name. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: MeshIngressProps) {
    super(scope, id);
    const https = props.certificateArn !== undefined;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Ingress ALB: the internet on its listener ports only',
    });
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions::AwsSolutions-EC23',
      reason:
        'The internet-facing ALB admits the internet on its listener ports only (80, and 443 with a certificate)',
    });
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      // Access logs outlive the stack: destroying the system must not erase its audit trail.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'This bucket holds the ALB access logs; logging access to it would need yet another bucket for no audit gain',
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    enableAccessLogs(this.loadBalancer, this.accessLogs);

    if (https) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: notFound(),
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        defaultAction: notFound(),
      });
      Annotations.of(this.listener).addWarningV2(
        PLAIN_HTTP_WARNING,
        'The ingress serves plain HTTP: pass a certificate ARN to serve HTTPS on 443',
      );
    }
    this.url = `${https ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
  }

  /**
   * Sends every path to `options.service` through a listener rule (the rule is what ECS blue/green
   * and canary deployments shift between target groups).
   */
  addTarget(id: string, options: IngressTargetOptions): IngressTarget {
    const scope = new Construct(this, id);
    const targetGroupProps = this.targetGroupProps(options);
    const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'Targets', targetGroupProps);
    const rule = new elbv2.ApplicationListenerRule(scope, 'Rule', {
      listener: this.listener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.forward([targetGroup]),
    });
    const alternateTargetGroup = options.alternateTargets
      ? new elbv2.ApplicationTargetGroup(scope, 'AlternateTargets', targetGroupProps)
      : undefined;
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
        this.securityGroup,
        ec2.Port.tcp(options.healthCheckPort),
        'ALB health check',
      );
    }
    return { targetGroup, rule, alternateTargetGroup };
  }

  private targetGroupProps(options: IngressTargetOptions): elbv2.ApplicationTargetGroupProps {
    const timing = albHealthCheckTiming();
    return {
      vpc: this.loadBalancer.vpc,
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

export interface IngressTarget {
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly rule: elbv2.ApplicationListenerRule;
  /** Present when `alternateTargets` was asked for. */
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
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
 * ALB access logs without a known region (the stack is environment-agnostic): the region's ELB
 * account comes from a CloudFormation mapping, and regions opened since 2022 use the log
 * delivery service principal instead.
 */
function enableAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.Bucket): void {
  const stack = Stack.of(loadBalancer);
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  const elbAccount = stack.regionalFact(FactName.ELBV2_ACCOUNT, stack.account);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlbAccessLogs',
      actions: ['s3:PutObject'],
      principals: [
        new iam.AccountPrincipal(elbAccount),
        new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
      ],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
    }),
  );
  // The ALB checks that it may write when the attribute is set.
  const policy = bucket.policy?.node.defaultChild;
  if (policy instanceof CfnResource) {
    (loadBalancer.node.defaultChild as CfnResource).addResourceDependency(policy);
  }
}

function notFound(): elbv2.ListenerAction {
  return elbv2.ListenerAction.fixedResponse(404, {
    contentType: 'text/plain',
    messageBody: 'Not found',
  });
}
