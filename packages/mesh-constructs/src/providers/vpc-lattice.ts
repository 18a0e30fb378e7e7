import { callerRetryEnv, type ServiceSpec, type Topology } from '@color-teller/topology';
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import type { MeshIngress } from '../ingress';
import type {
  IngressBinding,
  MeshBindContext,
  MeshFlavor,
  ServicePart,
  SystemMesh,
  VersionIdentity,
} from '../mesh-flavor';
import type { MeshedService } from '../meshed-service';
import { rollBackOnErrors } from '../parts/alarms';
import { deploymentProblems } from '../parts/deployment';
import { dnsEgressFirewall, type DnsFirewallProviderProps } from '../parts/dns-firewall';
import { traceSamplingProblems, type TracingProviderProps } from '../parts/tracing';
import { ecsInfrastructureRole } from '../parts/ecs-infrastructure-role';
import { minuteMetric, type TrafficMetrics } from '../parts/dashboard';
import { albFrontsVersions, ecsNativeParts } from '../parts/ecs-native';
import { acknowledgeControl } from '../private/controls';
import { latticeHealthCheckTiming } from '../routing/lattice-traffic-policy';
import { encryptedLogGroup } from '../private/hardening';
import {
  LATTICE_MAX_RULES,
  latticeListenerPlan,
  latticeRoutingProblems,
  latticeShiftsTraffic,
  type LatticeForward,
} from '../routing/lattice-rules';
import { LatticePrefixList } from './lattice-prefix-list';
import { APP_PORT_NAME, type ServiceVersion } from '../service-version';

export interface VpcLatticeProviderProps extends DnsFirewallProviderProps, TracingProviderProps {
  /**
   * A CloudWatch dashboard of the system (ALB and VPC Lattice target group figures per version,
   * CPU and memory), its console URL a stack output.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * The account's VPC Lattice "Rules per listener" quota in the Region, once raised: routes
   * become listener rules (a cookie route takes 2) and a topology needing more is refused.
   * @default 5 - the quota's documented default
   */
  readonly rulesPerListener?: number;
}

/**
 * Each Lattice service listens on HTTPS 443 with the certificate Lattice provisions and manages
 * for the name it generates (VPC Lattice User Guide, "HTTPS listeners"): a backend URL is
 * `https://<service DNS name>`, and the signed requests' session tokens never cross in clear.
 */
const LISTENER_PORT = 443;
/** Lattice's weight for the target group that serves, and for the idle one of a pair. */
const SERVING_WEIGHT = 100;
const IDLE_WEIGHT = 0;
/** The service name a caller signs its requests for (SigV4). */
const SIGNING_SERVICE = 'vpc-lattice-svcs';
const INFRASTRUCTURE_POLICY = 'AmazonECSInfrastructureRolePolicyForVpcLattice';

/** Services some other service calls (externals are not services): each becomes a Lattice service. */
function calledServices(topology: Topology): ReadonlySet<string> {
  const services = new Set(topology.services.map((s) => s.name));
  return new Set(
    topology.services.flatMap((s) =>
      (s.backends ?? []).map((b) => b.service).filter((name) => services.has(name)),
    ),
  );
}

/** The quota a provider was given, if it is not one Lattice could have. */
function rulesPerListenerProblems(rulesPerListener: number | undefined): string[] {
  if (rulesPerListener === undefined) return [];
  if (Number.isInteger(rulesPerListener) && rulesPerListener >= 1) return [];
  return [
    `MeshProvider.vpcLattice({ rulesPerListener: ${rulesPerListener} }): expected the account's "Rules per listener" quota, a whole number from 1 (rule priorities go up to ${LATTICE_MAX_RULES})`,
  ];
}

/**
 * Amazon VPC Lattice: a service network associated with the VPC; each called service is a
 * Lattice service whose listener forwards by the versions' weights and by header rules; ECS
 * registers each version's tasks in its own target group; callers sign with their task role.
 */
export class VpcLatticeFlavor implements MeshFlavor {
  readonly name = 'vpc-lattice';

  constructor(private readonly props: VpcLatticeProviderProps) {}

  validate(topology: Topology): string[] {
    const called = calledServices(topology);
    const quotaProblems = rulesPerListenerProblems(this.props.rulesPerListener);
    // An unusable quota is reported once; the routes are then held to the default.
    const rulesPerListener =
      quotaProblems.length > 0 || this.props.rulesPerListener === undefined
        ? undefined
        : Math.min(this.props.rulesPerListener, LATTICE_MAX_RULES);
    return [
      ...traceSamplingProblems(this.props.traceSampling),
      ...quotaProblems,
      ...topology.services.flatMap((service) => [
        ...latticeRoutingProblems(service, {
          called: called.has(service.name),
          ingress: service.name === topology.ingress.service,
          rulesPerListener,
        }),
        ...deploymentProblems(service),
      ]),
    ];
  }

  bind(scope: Construct, context: MeshBindContext): SystemMesh {
    dnsEgressFirewall(scope, {
      ...context,
      flavor: this.name,
      dnsFirewall: this.props.dnsFirewall,
    });
    return new LatticeSystem(scope, context, this.props);
  }
}

/** A called version's target groups: the alternate one only when ECS shifts its traffic. */
interface VersionTargets {
  readonly primary: vpclattice.CfnTargetGroup;
  readonly alternate?: vpclattice.CfnTargetGroup;
}

/** What a called service gets in Lattice. */
interface LatticeParts {
  readonly service: vpclattice.CfnService;
  /** The auth policy's one statement: callers' task roles join it as principals. */
  readonly invokers: iam.PolicyStatement;
}

class LatticeSystem implements SystemMesh {
  readonly parts: readonly ServicePart[];
  private readonly scope: Construct;
  private readonly network: vpclattice.CfnServiceNetwork;
  private readonly associationGroup: ec2.SecurityGroup;
  private readonly vpcAssociation: vpclattice.CfnServiceNetworkVpcAssociation;
  private readonly accessLogs: logs.LogGroup;
  private readonly called: ReadonlySet<string>;
  private readonly targetGroups = new Map<ServiceVersion, VersionTargets>();
  private readonly latticeAddresses: LatticePrefixList;
  private readonly latticeServices = new Map<string, LatticeParts>();
  private readonly callersWithEgress = new Set<ServiceVersion>();
  private infrastructureRole?: iam.Role;

  constructor(
    parent: Construct,
    private readonly context: MeshBindContext,
    props: VpcLatticeProviderProps,
  ) {
    const { topology, vpc } = context;
    this.scope = new Construct(parent, 'Lattice');
    this.called = calledServices(topology);
    this.network = new vpclattice.CfnServiceNetwork(this.scope, 'ServiceNetwork', {
      authType: 'NONE',
    });
    this.associationGroup = new ec2.SecurityGroup(this.scope, 'SecurityGroup', {
      vpc,
      allowAllOutbound: false,
      description: `${topology.name}: which tasks of the VPC reach the service network`,
    });
    this.latticeAddresses = new LatticePrefixList(this.scope, 'PrefixList', context.logKey);
    this.vpcAssociation = new vpclattice.CfnServiceNetworkVpcAssociation(
      this.scope,
      'VpcAssociation',
      {
        serviceNetworkIdentifier: this.network.attrId,
        vpcIdentifier: vpc.vpcId,
        securityGroupIds: [this.associationGroup.securityGroupId],
      },
    );
    // Lattice delivers access logs as vended logs, and CloudWatch Logs names each group in its
    // resource policy (at most 5,120 characters) unless the name starts with /aws/vendedlogs/
    // (CloudWatch Logs User Guide, "Enabling logging from AWS services").
    this.accessLogs = encryptedLogGroup(this.scope, 'AccessLogs', context.logKey, {
      logGroupName: `/aws/vendedlogs/vpc-lattice/${Stack.of(parent).stackName}/${topology.name}`,
    });
    this.parts = ecsNativeParts({
      topology,
      tracing: props.tracing ?? true,
      traceSampling: props.traceSampling,
      scope: parent,
      flavor: 'vpc-lattice',
      dashboard: props.dashboard ?? true,
      meshTraffic: (version) => this.latticeTraffic(version),
    });
  }

  backendUrl(service: ServiceSpec): string {
    return `https://${this.latticeOf(service.name).service.attrDnsEntryDomainName}`;
  }

  /**
   * A caller of a Lattice service signs its upstream requests with its task role's credentials;
   * a service that calls only externals signs nothing (its session token stays in the task).
   */
  appContainerProps(
    version: VersionIdentity,
    props: ecs.ContainerDefinitionOptions,
  ): ecs.ContainerDefinitionOptions {
    const callsLattice = (version.serviceSpec.backends ?? []).some((b) =>
      this.called.has(b.service),
    );
    if (!callsLattice) return props;
    return {
      ...props,
      environment: {
        ...props.environment,
        UPSTREAM_SIGV4_SERVICE: SIGNING_SERVICE,
        AWS_REGION: Aws.REGION,
        // Lattice retries nothing: the caller retries its backends by their topology retries.
        ...callerRetryEnv(this.context.topology, version.serviceSpec),
      },
    };
  }

  /**
   * A called version gets its target group (two when ECS shifts its traffic), and admits
   * Lattice's addresses on its port: requests and health checks come from there.
   */
  versionReady(version: ServiceVersion): void {
    const spec = version.serviceSpec;
    if (!this.called.has(spec.name)) return;
    this.targetGroups.set(version, {
      primary: this.targetGroup(version, 'LatticeTargets'),
      ...(latticeShiftsTraffic(spec)
        ? { alternate: this.targetGroup(version, 'LatticeAlternateTargets') }
        : {}),
    });
    version.securityGroup.addIngressRule(
      this.latticeAddresses.peer,
      ec2.Port.tcp(spec.port),
      'from VPC Lattice (its managed prefix list)',
    );
    for (const rule of [
      'vpc_sg_open_only_to_authorized_ports_check',
      'vpc_sg_restricted_common_ports_check',
    ]) {
      acknowledgeControl(
        version.securityGroup,
        rule,
        "The source is VPC Lattice's managed prefix list, not 0.0.0.0/0: these rules cannot read prefix lists and flag every rule that names one",
      );
    }
  }

  /** A called service's Lattice service: weighted listener, header rules, IAM auth, access logs. */
  serviceReady(service: MeshedService): void {
    const spec = service.serviceSpec;
    if (!this.called.has(spec.name)) return;
    const latticeService = new vpclattice.CfnService(service, 'LatticeService', {
      authType: 'AWS_IAM',
    });
    const association = new vpclattice.CfnServiceNetworkServiceAssociation(
      service,
      'LatticeAssociation',
      {
        serviceNetworkIdentifier: this.network.attrId,
        serviceIdentifier: latticeService.attrId,
      },
    );
    const plan = latticeListenerPlan(spec);
    const forwardTo = ({ version, weight }: LatticeForward) => ({
      targetGroupIdentifier: this.targetsOf(service.versionNamed(version)).primary.attrId,
      weight,
    });
    const listener = new vpclattice.CfnListener(service, 'LatticeListener', {
      serviceIdentifier: latticeService.attrId,
      protocol: 'HTTPS',
      port: LISTENER_PORT,
      defaultAction: {
        forward: {
          targetGroups: latticeShiftsTraffic(spec)
            ? this.shiftablePair(service.versions[0]!)
            : plan.defaultForward.map(forwardTo),
        },
      },
    });
    const rules = plan.rules.map(
      (rule) =>
        new vpclattice.CfnRule(service, `LatticeRule${rule.priority - 1}`, {
          serviceIdentifier: latticeService.attrId,
          listenerIdentifier: listener.attrId,
          priority: rule.priority,
          match: { httpMatch: { headerMatches: [rule.headerMatch] } },
          action: { forward: { targetGroups: [forwardTo(rule.forward)] } },
        }),
    );
    for (const version of service.versions) {
      this.registerTasks(version, listener);
      // Lattice health-checks a target group only once a rule forwards to it: tasks started
      // before the listener and its rules would fail ECS's wait for healthy targets.
      const cfnService = version.fargateService.node.defaultChild as ecs.CfnService;
      for (const dependency of [listener, ...rules, association, this.vpcAssociation]) {
        cfnService.addResourceDependency(dependency);
      }
    }

    const invokers = new iam.PolicyStatement({
      sid: 'Callers',
      actions: ['vpc-lattice-svcs:Invoke'],
      resources: [`${latticeService.attrArn}/*`],
    });
    new vpclattice.CfnAuthPolicy(service, 'LatticeAuthPolicy', {
      resourceIdentifier: latticeService.attrId,
      policy: new iam.PolicyDocument({ statements: [invokers] }),
    });
    new vpclattice.CfnAccessLogSubscription(service, 'LatticeAccessLogs', {
      resourceIdentifier: latticeService.attrId,
      destinationArn: this.accessLogs.logGroupArn,
    });
    this.latticeServices.set(spec.name, { service: latticeService, invokers });
  }

  /** The caller reaches Lattice, may pass its auth policy, and may invoke the service. */
  connect(client: MeshedService, server: MeshedService): void {
    const { service, invokers } = this.latticeOf(server.serviceSpec.name);
    for (const caller of client.versions) {
      const role = caller.taskDefinition.taskRole;
      invokers.addArnPrincipal(role.roleArn);
      caller.taskDefinition.addToTaskRolePolicy(
        new iam.PolicyStatement({
          actions: ['vpc-lattice-svcs:Invoke'],
          resources: [`${service.attrArn}/*`],
        }),
      );
      Validations.of(role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${service.stack.getLogicalId(service)}.Arn>/*]`,
        reason: `The path wildcard covers the requests to one VPC Lattice service (${server.serviceSpec.name}), the narrowest resource Lattice authorizes`,
      });
      this.associationGroup.addIngressRule(
        caller.securityGroup,
        ec2.Port.tcp(LISTENER_PORT),
        `from ${caller.qualifiedName}`,
      );
      if (!this.callersWithEgress.has(caller)) {
        this.callersWithEgress.add(caller);
        caller.securityGroup.addEgressRule(
          this.latticeAddresses.peer,
          ec2.Port.tcp(LISTENER_PORT),
          'to VPC Lattice services',
        );
      }
    }
  }

  attachIngress(ingress: MeshIngress, service: MeshedService): readonly IngressBinding[] {
    return albFrontsVersions(ingress, service);
  }

  /** What Lattice measures of a called version: its target group's requests (`AWS/VpcLattice`). */
  private latticeTraffic(version: ServiceVersion): TrafficMetrics | undefined {
    const targets = this.targetGroups.get(version);
    if (!targets) return undefined;
    const metric = (name: string, statistic: string) =>
      minuteMetric('AWS/VpcLattice', name, { TargetGroup: targets.primary.attrId }, statistic);
    return {
      source: 'VPC Lattice',
      requests: metric('TotalRequestCount', 'Sum'),
      serverErrors: metric('HTTPCode_5XX_Count', 'Sum'),
      latencyP99Ms: metric('RequestTime', 'p99'),
    };
  }

  /** An IP target group of the version's app port, health-checked on its health path. */
  private targetGroup(version: ServiceVersion, id: string): vpclattice.CfnTargetGroup {
    const spec = version.serviceSpec;
    // The service's outlier detection, if any, as Lattice health checks.
    const timing = latticeHealthCheckTiming(spec);
    return new vpclattice.CfnTargetGroup(version, id, {
      type: 'IP',
      config: {
        port: spec.port,
        protocol: 'HTTP',
        protocolVersion: 'HTTP1',
        ipAddressType: 'IPV4',
        vpcIdentifier: this.context.vpc.vpcId,
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          port: spec.port,
          path: spec.healthPath,
          healthCheckIntervalSeconds: timing.intervalSeconds,
          healthyThresholdCount: timing.healthyThresholdCount,
          unhealthyThresholdCount: timing.unhealthyThresholdCount,
          matcher: { httpCode: '200' },
        },
      },
    });
  }

  /** The forward ECS rewrites as it shifts: the serving group at 100, the idle one at 0. */
  private shiftablePair(version: ServiceVersion) {
    const { primary, alternate } = this.targetsOf(version);
    return [
      { targetGroupIdentifier: primary.attrId, weight: SERVING_WEIGHT },
      { targetGroupIdentifier: alternate!.attrId, weight: IDLE_WEIGHT },
    ];
  }

  /**
   * ECS registers the version's tasks in its target group; when it shifts traffic, it gets the
   * alternate group and the listener (whose default action is the production rule), and the
   * deployment rolls back on the 5xx of both groups.
   */
  private registerTasks(version: ServiceVersion, listener: vpclattice.CfnListener): void {
    const { primary, alternate } = this.targetsOf(version);
    // The L2 FargateService has no property for this yet.
    (version.fargateService.node.defaultChild as ecs.CfnService).vpcLatticeConfigurations = [
      {
        portName: APP_PORT_NAME,
        targetGroupArn: primary.attrArn,
        roleArn: this.roleForEcs().roleArn,
        ...(alternate
          ? {
              advancedConfiguration: {
                alternateTargetGroupArn: alternate.attrArn,
                productionListenerRule: listener.attrArn,
              },
            }
          : {}),
      },
    ];
    if (alternate) rollBackOnErrors(version, serverErrorsOf([primary, alternate]));
  }

  private targetsOf(version: ServiceVersion): VersionTargets {
    const targets = this.targetGroups.get(version);
    if (!targets) throw new Error(`version "${version.qualifiedName}" has no Lattice target group`);
    return targets;
  }

  private latticeOf(name: string): LatticeParts {
    const parts = this.latticeServices.get(name);
    if (!parts)
      throw new Error(`service "${name}" has no Lattice service: render it before its callers`);
    return parts;
  }

  /** The role ECS assumes to register and deregister tasks in Lattice target groups. */
  private roleForEcs(): iam.Role {
    this.infrastructureRole ??= ecsInfrastructureRole(
      this.scope,
      'InfrastructureRole',
      INFRASTRUCTURE_POLICY,
      'ECS registering tasks in VPC Lattice target groups',
    );
    return this.infrastructureRole;
  }
}

/** Targets' 5xx a minute over both groups of a pair: after a shift the other one serves. */
function serverErrorsOf(groups: readonly vpclattice.CfnTargetGroup[]): cloudwatch.IMetric {
  const usingMetrics = Object.fromEntries(
    groups.map((group, i) => [
      `g${i}`,
      minuteMetric('AWS/VpcLattice', 'HTTPCode_5XX_Count', { TargetGroup: group.attrId }, 'Sum'),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics)
      .map((name) => `FILL(${name}, 0)`)
      .join(' + '),
    usingMetrics,
    label: 'Lattice target 5xx over both target groups',
    period: Duration.minutes(1),
  });
}
