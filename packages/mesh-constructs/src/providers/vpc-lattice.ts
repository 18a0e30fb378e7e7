import type { ServiceSpec, Topology } from '@color-teller/topology';
import { Aws, Lazy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import type {
  BoundMeshFlavor,
  IMeshedService,
  IMeshFlavor,
  IMeshIngress,
  IngressAttachment,
  IServiceVersion,
  MeshBindContext,
  TrafficMetrics,
  VersionIdentity,
} from '../contracts';
import { deploymentProblems } from '../parts/deployment';
import { ecsInfrastructureRole } from '../parts/ecs-infrastructure-role';
import { minuteMetric } from '../parts/dashboard';
import { albFrontsVersions } from '../parts/ecs-native';
import { albHealthCheckTiming } from '../private/defaults';
import { encryptedLogGroup } from '../private/hardening';
import {
  latticeListenerPlan,
  latticeRoutingProblems,
  type LatticeForward,
} from '../routing/lattice-rules';
import { APP_PORT_NAME } from '../service-version';

/**
 * Where Lattice's traffic comes from and where its service addresses are (IPv4). The literal
 * range, not the `com.amazonaws.<region>.vpc-lattice` prefix list: the stack is
 * environment-agnostic and that list's ID differs by region and needs a lookup.
 */
export const VPC_LATTICE_RANGE = '169.254.171.0/24';
/** Each Lattice service listens on HTTP 80, so a backend URL is `http://<service DNS name>`. */
const LISTENER_PORT = 80;
/** The service name a caller signs its requests for (SigV4). */
const SIGNING_SERVICE = 'vpc-lattice-svcs';
const INFRASTRUCTURE_POLICY = 'AmazonECSInfrastructureRolePolicyForVpcLattice';

/** Services some other service calls: each becomes a Lattice service. */
function calledServices(topology: Topology): ReadonlySet<string> {
  return new Set(topology.services.flatMap((s) => (s.backends ?? []).map((b) => b.service)));
}

/**
 * Amazon VPC Lattice: a service network associated with the VPC; each called service is a
 * Lattice service whose listener forwards by the versions' weights and by header rules; ECS
 * registers each version's tasks in its own target group; callers sign with their task role.
 */
export class VpcLatticeFlavor implements IMeshFlavor {
  readonly name = 'vpc-lattice';

  validate(topology: Topology): string[] {
    const called = calledServices(topology);
    return topology.services.flatMap((service) => [
      ...latticeRoutingProblems(service, {
        called: called.has(service.name),
        ingress: service.name === topology.ingress.service,
      }),
      ...deploymentProblems(service),
    ]);
  }

  bind(scope: Construct, context: MeshBindContext): BoundMeshFlavor {
    return new BoundVpcLattice(scope, context);
  }
}

/** What a called service gets in Lattice. */
interface LatticeParts {
  readonly service: vpclattice.CfnService;
  /** The auth policy's one statement: callers' task roles join it as principals. */
  readonly invokers: iam.PolicyStatement;
}

class BoundVpcLattice implements BoundMeshFlavor {
  readonly egressNamesOf = 'vpc-lattice';
  private readonly scope: Construct;
  private readonly network: vpclattice.CfnServiceNetwork;
  private readonly associationGroup: ec2.SecurityGroup;
  private readonly accessLogs: logs.LogGroup;
  private readonly called: ReadonlySet<string>;
  private readonly targetGroups = new Map<IServiceVersion, vpclattice.CfnTargetGroup>();
  private readonly latticeServices = new Map<string, LatticeParts>();
  private readonly callersWithEgress = new Set<IServiceVersion>();
  private infrastructureRole?: iam.Role;

  constructor(
    parent: Construct,
    private readonly context: MeshBindContext,
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
    new vpclattice.CfnServiceNetworkVpcAssociation(this.scope, 'VpcAssociation', {
      serviceNetworkIdentifier: this.network.attrId,
      vpcIdentifier: vpc.vpcId,
      securityGroupIds: [this.associationGroup.securityGroupId],
    });
    this.accessLogs = encryptedLogGroup(this.scope, 'AccessLogs', context.logKey);
  }

  /** Resolved at synthesis, so a caller may render before the service it calls. */
  backendUrl(service: ServiceSpec): string {
    const host = Lazy.string({
      produce: () => this.latticeOf(service.name).service.attrDnsEntryDomainName,
    });
    return `http://${host}`;
  }

  /** A caller signs its upstream requests for Lattice with its task role's credentials. */
  appContainerProps(
    version: VersionIdentity,
    props: ecs.ContainerDefinitionOptions,
  ): ecs.ContainerDefinitionOptions {
    if ((version.serviceSpec.backends ?? []).length === 0) return props;
    return {
      ...props,
      environment: {
        ...props.environment,
        UPSTREAM_SIGV4_SERVICE: SIGNING_SERVICE,
        AWS_REGION: Aws.REGION,
      },
    };
  }

  /** A called version gets its target group, and ECS registers its tasks there. */
  versionReady(version: IServiceVersion): void {
    const spec = version.serviceSpec;
    if (!this.called.has(spec.name)) return;
    const timing = albHealthCheckTiming();
    const targetGroup = new vpclattice.CfnTargetGroup(version, 'LatticeTargets', {
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
    this.targetGroups.set(version, targetGroup);
    // The L2 FargateService has no property for this yet.
    (version.fargateService.node.defaultChild as ecs.CfnService).vpcLatticeConfigurations = [
      {
        portName: APP_PORT_NAME,
        targetGroupArn: targetGroup.attrArn,
        roleArn: this.roleForEcs().roleArn,
      },
    ];
    version.securityGroup.addIngressRule(
      ec2.Peer.ipv4(VPC_LATTICE_RANGE),
      ec2.Port.tcp(spec.port),
      'from VPC Lattice (its managed range)',
    );
  }

  /** A called service's Lattice service: weighted listener, header rules, IAM auth, access logs. */
  serviceReady(service: IMeshedService): void {
    const spec = service.serviceSpec;
    if (!this.called.has(spec.name)) return;
    const latticeService = new vpclattice.CfnService(service, 'LatticeService', {
      authType: 'AWS_IAM',
    });
    new vpclattice.CfnServiceNetworkServiceAssociation(service, 'LatticeAssociation', {
      serviceNetworkIdentifier: this.network.attrId,
      serviceIdentifier: latticeService.attrId,
    });
    const plan = latticeListenerPlan(spec);
    const forwardTo = ({ version, weight }: LatticeForward) => ({
      targetGroupIdentifier: this.targetGroupOf(service.versionNamed(version)).attrId,
      weight,
    });
    const listener = new vpclattice.CfnListener(service, 'LatticeListener', {
      serviceIdentifier: latticeService.attrId,
      protocol: 'HTTP',
      port: LISTENER_PORT,
      defaultAction: { forward: { targetGroups: plan.defaultForward.map(forwardTo) } },
    });
    for (const rule of plan.rules) {
      new vpclattice.CfnRule(service, `LatticeRule${rule.priority - 1}`, {
        serviceIdentifier: latticeService.attrId,
        listenerIdentifier: listener.attrId,
        priority: rule.priority,
        match: { httpMatch: { headerMatches: [rule.headerMatch] } },
        action: { forward: { targetGroups: [forwardTo(rule.forward)] } },
      });
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
  connect(client: IMeshedService, server: IMeshedService): void {
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
          ec2.Peer.ipv4(VPC_LATTICE_RANGE),
          ec2.Port.tcp(LISTENER_PORT),
          'to VPC Lattice services',
        );
      }
    }
  }

  attachIngress(ingress: IMeshIngress, service: IMeshedService): IngressAttachment {
    return albFrontsVersions(ingress, service);
  }

  /** What Lattice measures of a called version: its target group's requests (`AWS/VpcLattice`). */
  trafficMetrics(version: IServiceVersion): TrafficMetrics | undefined {
    const targetGroup = this.targetGroups.get(version);
    if (!targetGroup) return undefined;
    const metric = (name: string, statistic: string) =>
      minuteMetric('AWS/VpcLattice', name, { TargetGroup: targetGroup.attrId }, statistic);
    return {
      source: 'VPC Lattice',
      requests: metric('TotalRequestCount', 'Sum'),
      serverErrors: metric('HTTPCode_5XX_Count', 'Sum'),
      latencyP99Ms: metric('RequestTime', 'p99'),
    };
  }

  private latticeOf(name: string): LatticeParts {
    const parts = this.latticeServices.get(name);
    if (!parts) {
      throw new Error(
        `service "${name}" has no Lattice service: only a service that another one calls gets one, and serviceReady renders it`,
      );
    }
    return parts;
  }

  private targetGroupOf(version: IServiceVersion): vpclattice.CfnTargetGroup {
    const targetGroup = this.targetGroups.get(version);
    if (!targetGroup) throw new Error(`${version.qualifiedName} has no Lattice target group`);
    return targetGroup;
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
