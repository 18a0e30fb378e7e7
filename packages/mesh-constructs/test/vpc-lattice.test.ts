import { cookieRouteMatches, type Topology } from '@color-teller/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import articleTopology from '../../../color-teller.topology';
import canaryTopology from '../../../examples/canary.topology';
import { MeshProvider } from '../src';
import {
  containerNamed,
  envOf,
  latticeUrlOf,
  logicalIdStartingWith,
  resourcesOf,
  synthesize,
  taskOf,
  twoServices,
  type Cfn,
  type Synthesized,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/** Shared lookups on one synthesized Lattice template. */
function latticeView(synth: () => Synthesized) {
  const template = () => synth().template;
  const idOf = (type: string, prefix: string) => logicalIdStartingWith(template(), type, prefix);
  const one = (type: string) => {
    const all = Object.values(resourcesOf(template(), type));
    expect(all).toHaveLength(1);
    return all[0]!.Properties;
  };
  const targetGroupOf = (version: string) =>
    idOf('AWS::VpcLattice::TargetGroup', `SystemColor${version}LatticeTargets`);
  return { template, idOf, one, targetGroupOf };
}

describe('GIVEN the canary example (red 80 / blue 20, header and cookie routes) WHEN rendered with MeshProvider.vpcLattice()', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(canaryTopology, MeshProvider.vpcLattice());
  }, SYNTH_TIMEOUT_MS);
  const { template, idOf, one, targetGroupOf } = latticeView(() => synth);
  const colorService = () => idOf('AWS::VpcLattice::Service', 'SystemColorLatticeService');
  const rules = () =>
    Object.values(resourcesOf(template(), 'AWS::VpcLattice::Rule'))
      .map((r) => r.Properties)
      .sort((a, b) => a.Priority - b.Priority);

  it('THEN one service network is associated with the VPC through its own security group', () => {
    const association = one('AWS::VpcLattice::ServiceNetworkVpcAssociation');
    expect(association).toEqual({
      ServiceNetworkIdentifier: getAtt(
        idOf('AWS::VpcLattice::ServiceNetwork', 'SystemLatticeServiceNetwork'),
        'Id',
      ),
      VpcIdentifier: { Ref: expect.stringMatching(/^SystemVpc/) },
      SecurityGroupIds: [
        getAtt(idOf('AWS::EC2::SecurityGroup', 'SystemLatticeSecurityGroup'), 'GroupId'),
      ],
    });
  });

  it('THEN only the called service (color) is a Lattice service, with IAM auth, in the network', () => {
    expect(one('AWS::VpcLattice::Service')).toEqual({ AuthType: 'AWS_IAM' });
    expect(one('AWS::VpcLattice::ServiceNetworkServiceAssociation').ServiceIdentifier).toEqual(
      getAtt(colorService(), 'Id'),
    );
    expect(one('AWS::VpcLattice::Listener')).toMatchObject({
      ServiceIdentifier: getAtt(colorService(), 'Id'),
      Protocol: 'HTTPS',
      Port: 443,
    });
    // No certificate of ours: Lattice serves its own for the name it generates.
    expect(one('AWS::VpcLattice::Service').CertificateArn).toBeUndefined();
  });

  it("THEN each version's ECS service is created after the listener, its rules and both associations", () => {
    const needed = [
      idOf('AWS::VpcLattice::Listener', 'SystemColorLatticeListener'),
      ...Object.keys(resourcesOf(template(), 'AWS::VpcLattice::Rule')),
      idOf('AWS::VpcLattice::ServiceNetworkServiceAssociation', 'SystemColorLatticeAssociation'),
      idOf('AWS::VpcLattice::ServiceNetworkVpcAssociation', 'SystemLatticeVpcAssociation'),
    ];
    expect(needed).toHaveLength(6);
    for (const version of ['Red', 'Blue']) {
      const service = resourcesOf(template(), 'AWS::ECS::Service')[
        idOf('AWS::ECS::Service', `SystemColor${version}Service`)
      ]!;
      expect(service.DependsOn).toEqual(expect.arrayContaining(needed));
    }
  });

  it("THEN the prefix list is looked up by its name in the stack's Region when the stack deploys", () => {
    const lookup = one('Custom::AWS');
    const create = JSON.stringify(lookup.Create);
    expect(create).toContain('describeManagedPrefixLists');
    expect(create).toContain('prefix-list-name');
    expect(create).toContain('com.amazonaws.');
    expect(create).toContain('AWS::Region');
    expect(create).toContain('.vpc-lattice');
    expect(JSON.stringify(lookup.Update)).toEqual(create);
  });

  it('THEN each version has an IP target group on the app port, health-checked on the health path', () => {
    for (const version of ['Red', 'Blue']) {
      const group = resourcesOf(template(), 'AWS::VpcLattice::TargetGroup')[
        targetGroupOf(version)
      ]!;
      expect(group.Properties).toMatchObject({
        Type: 'IP',
        Config: {
          Port: 3000,
          Protocol: 'HTTP',
          HealthCheck: { Enabled: true, Path: '/health', Port: 3000, Protocol: 'HTTP' },
        },
      });
    }
  });

  it("THEN each version's ECS service registers into its own target group with the ECS infrastructure role", () => {
    const roleId = idOf('AWS::IAM::Role', 'SystemLatticeInfrastructureRole');
    for (const version of ['Red', 'Blue']) {
      const service = resourcesOf(template(), 'AWS::ECS::Service')[
        idOf('AWS::ECS::Service', `SystemColor${version}Service`)
      ]!;
      expect(service.Properties.VpcLatticeConfigurations).toEqual([
        {
          PortName: 'http',
          TargetGroupArn: getAtt(targetGroupOf(version), 'Arn'),
          RoleArn: getAtt(roleId, 'Arn'),
        },
      ]);
    }
    const role = resourcesOf(template(), 'AWS::IAM::Role')[roleId]!.Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'ecs.amazonaws.com',
    });
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain(
      'AmazonECSInfrastructureRolePolicyForVpcLattice',
    );
    const client = resourcesOf(template(), 'AWS::ECS::Service')[
      idOf('AWS::ECS::Service', 'SystemClientVanillaService')
    ]!;
    expect(client.Properties.VpcLatticeConfigurations).toBeUndefined();
  });

  it("THEN the listener's default action forwards by the versions' weights, each weight to its own version", () => {
    expect(one('AWS::VpcLattice::Listener').DefaultAction).toEqual({
      Forward: {
        TargetGroups: [
          { TargetGroupIdentifier: getAtt(targetGroupOf('Red'), 'Id'), Weight: 80 },
          { TargetGroupIdentifier: getAtt(targetGroupOf('Blue'), 'Id'), Weight: 20 },
        ],
      },
    });
  });

  it("THEN the routes become rules in the topology's order: the exact header first, then the cookie pair (bare, quoted)", () => {
    const toBlue = {
      Forward: {
        TargetGroups: [{ TargetGroupIdentifier: getAtt(targetGroupOf('Blue'), 'Id'), Weight: 1 }],
      },
    };
    expect(rules().map((r) => [r.Priority, r.Match.HttpMatch.HeaderMatches, r.Action])).toEqual([
      [1, [{ Name: 'x-color-version', Match: { Exact: 'blue' }, CaseSensitive: true }], toBlue],
      [
        2,
        [{ Name: 'cookie', Match: { Contains: 'color-version=blue' }, CaseSensitive: true }],
        toBlue,
      ],
      [
        3,
        [{ Name: 'cookie', Match: { Contains: 'color-version="blue"' }, CaseSensitive: true }],
        toBlue,
      ],
    ]);
    for (const rule of rules())
      expect(rule.ListenerIdentifier).toEqual(
        getAtt(idOf('AWS::VpcLattice::Listener', 'SystemColorLatticeListener'), 'Id'),
      );
  });

  it('THEN the cookie rules take every request the cookie route takes, and also pairs that only contain it (the documented difference)', () => {
    const cookieRules = rules().filter((r) => r.Match.HttpMatch.HeaderMatches[0].Name === 'cookie');
    const lattice = (header: string) =>
      cookieRules.some((r) => header.includes(r.Match.HttpMatch.HeaderMatches[0].Match.Contains));
    const route = { name: 'color-version', equals: 'blue' };
    for (const header of [
      'color-version=blue',
      'theme=dark; color-version="blue"',
      'a=1;color-version=blue ; b=2',
    ]) {
      expect([cookieRouteMatches(header, route), lattice(header)], header).toEqual([true, true]);
    }
    for (const header of ['color-version=red', 'theme=blue', '']) {
      expect([cookieRouteMatches(header, route), lattice(header)], header).toEqual([false, false]);
    }
    for (const header of [
      'color-version=bluegreen',
      'my-color-version=blue',
      'a=color-version=blue',
    ]) {
      expect([cookieRouteMatches(header, route), lattice(header)], header).toEqual([false, true]);
    }
  });

  it('THEN the auth policy admits exactly the task role of the service that calls color', () => {
    const policy = one('AWS::VpcLattice::AuthPolicy');
    expect(policy.ResourceIdentifier).toEqual(getAtt(colorService(), 'Id'));
    expect(policy.Policy.Statement).toEqual([
      {
        Sid: 'Callers',
        Effect: 'Allow',
        Action: 'vpc-lattice-svcs:Invoke',
        Principal: {
          AWS: getAtt(idOf('AWS::IAM::Role', 'SystemClientVanillaTaskTaskRole'), 'Arn'),
        },
        Resource: { 'Fn::Join': ['', [getAtt(colorService(), 'Arn'), '/*']] },
      },
    ]);
  });

  it('THEN the client task role may invoke the color service and nothing else in Lattice', () => {
    const policies = Object.values(resourcesOf(template(), 'AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) =>
        r.Ref.startsWith('SystemClientVanillaTaskTaskRole'),
      ),
    );
    const invoke = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Cfn[])
      .filter((s) => JSON.stringify(s.Action).includes('vpc-lattice'));
    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: { 'Fn::Join': ['', [getAtt(colorService(), 'Arn'), '/*']] },
      },
    ]);
  });

  it("THEN color's tasks admit only Lattice's managed prefix list on the app port; the client reaches Lattice on 443 only", () => {
    const prefixList = getAtt(
      idOf('Custom::AWS', 'SystemLatticePrefixListLookup'),
      'PrefixLists.0.PrefixListId',
    );
    const groups = resourcesOf(template(), 'AWS::EC2::SecurityGroup');
    const sgIngress = Object.values(resourcesOf(template(), 'AWS::EC2::SecurityGroupIngress')).map(
      (r) => r.Properties,
    );
    for (const version of ['Red', 'Blue']) {
      const groupId = idOf('AWS::EC2::SecurityGroup', `SystemColor${version}SecurityGroup`);
      expect(groups[groupId]!.Properties.SecurityGroupIngress).toBeUndefined();
      expect(sgIngress.filter((r) => JSON.stringify(r.GroupId).includes(groupId))).toEqual([
        expect.objectContaining({
          SourcePrefixListId: prefixList,
          FromPort: 3000,
          ToPort: 3000,
          IpProtocol: 'tcp',
        }),
      ]);
    }
    expect(JSON.stringify(template().toJSON())).not.toContain('169.254.171');
    const client = idOf('AWS::EC2::SecurityGroup', 'SystemClientVanillaSecurityGroup');
    expect(groups[client]!.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443 }),
    ]);
    const clientEgress = Object.values(resourcesOf(template(), 'AWS::EC2::SecurityGroupEgress'))
      .map((r) => r.Properties)
      .filter((r) => JSON.stringify(r.GroupId).includes(client));
    expect(clientEgress).toEqual([
      expect.objectContaining({ DestinationPrefixListId: prefixList, FromPort: 443, ToPort: 443 }),
    ]);
    const toNetwork = sgIngress.filter((r) =>
      JSON.stringify(r.GroupId).includes('SystemLatticeSecurityGroup'),
    );
    expect(toNetwork).toEqual([
      expect.objectContaining({
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: getAtt(client, 'GroupId'),
      }),
    ]);
  });

  it("THEN the client's COLOR_BACKEND is the Lattice service's DNS name, and the client signs for Lattice in its region", () => {
    const client = envOf(containerNamed(taskOf(template(), 'SystemClientVanillaTask'), 'app'));
    expect(client.COLOR_BACKEND).toEqual(latticeUrlOf('Color'));
    expect(JSON.stringify(client.COLOR_BACKEND)).toContain(colorService());
    expect(client.UPSTREAM_SIGV4_SERVICE).toBe('vpc-lattice-svcs');
    expect(client.AWS_REGION).toEqual({ Ref: 'AWS::Region' });
    const color = envOf(containerNamed(taskOf(template(), 'SystemColorRedTask'), 'app'));
    expect(color.UPSTREAM_SIGV4_SERVICE).toBeUndefined();
  });

  it("THEN every app samples its traces by X-Ray's default rule: 1 a second, then 5%, callers followed", () => {
    for (const prefix of ['SystemClientVanillaTask', 'SystemColorRedTask']) {
      expect(envOf(containerNamed(taskOf(template(), prefix), 'app'))).toMatchObject({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.05',
        TRACE_SAMPLES_PER_SECOND: '1',
      });
    }
  });

  it("THEN the Lattice service writes access logs into the system's encrypted log group, named for vended logs", () => {
    const logsId = idOf('AWS::Logs::LogGroup', 'SystemLatticeAccessLogs');
    expect(resourcesOf(template(), 'AWS::Logs::LogGroup')[logsId]!.Properties.LogGroupName).toBe(
      '/aws/vendedlogs/vpc-lattice/Test/color-teller',
    );
    expect(one('AWS::VpcLattice::AccessLogSubscription')).toEqual({
      ResourceIdentifier: getAtt(colorService(), 'Id'),
      DestinationArn: getAtt(logsId, 'Arn'),
    });
    expect(resourcesOf(template(), 'AWS::Logs::LogGroup')[logsId]!.Properties.KmsKeyId).toEqual(
      getAtt(expect.stringMatching(/^SystemLogKey/) as unknown as string, 'Arn'),
    );
  });
});

describe("GIVEN the article's topology WHEN rendered with MeshProvider.vpcLattice()", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(articleTopology, MeshProvider.vpcLattice());
  }, SYNTH_TIMEOUT_MS);
  const { template, idOf, one, targetGroupOf } = latticeView(() => synth);

  it('THEN the listener forwards everything to the one version, with no rules', () => {
    expect(one('AWS::VpcLattice::Listener').DefaultAction).toEqual({
      Forward: {
        TargetGroups: [{ TargetGroupIdentifier: getAtt(targetGroupOf('Red'), 'Id'), Weight: 1 }],
      },
    });
    template().resourceCountIs('AWS::VpcLattice::Rule', 0);
    template().resourceCountIs('AWS::VpcLattice::TargetGroup', 1);
  });

  it('THEN tracing and scaling are the shared pieces: a collector in every task, CPU scaling on both, ALB requests on the client', () => {
    for (const prefix of ['SystemColorRedTask', 'SystemClientVanillaTask']) {
      expect(containerNamed(taskOf(template(), prefix), 'otel-collector').Essential).toBe(false);
    }
    const policies = Object.values(
      resourcesOf(template(), 'AWS::ApplicationAutoScaling::ScalingPolicy'),
    ).map(
      (p) =>
        p.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification
          .PredefinedMetricType,
    );
    expect(policies.sort()).toEqual([
      'ALBRequestCountPerTarget',
      'ECSServiceAverageCPUUtilization',
      'ECSServiceAverageCPUUtilization',
    ]);
  });

  it('THEN the ALB fronts the client directly, health-checking its health path', () => {
    template().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 3000,
      TargetType: 'ip',
      HealthCheckPath: '/health',
    });
    const client = resourcesOf(template(), 'AWS::ECS::Service')[
      idOf('AWS::ECS::Service', 'SystemClientVanillaService')
    ]!;
    expect(client.Properties.LoadBalancers).toEqual([
      expect.objectContaining({ ContainerName: 'app', ContainerPort: 3000 }),
    ]);
  });
});

describe('GIVEN an ECS canary of the service the ALB fronts WHEN rendered with MeshProvider.vpcLattice()', () => {
  it('THEN the shared deployment and alarm pieces render it as on Service Connect: ALB rule shift, rollback on 5xx', () => {
    const { template } = synthesize(
      twoServices({ client: { deployment: { strategy: 'canary', stepPercent: 20 } } }),
      MeshProvider.vpcLattice(),
    );
    const client = resourcesOf(template, 'AWS::ECS::Service')[
      logicalIdStartingWith(template, 'AWS::ECS::Service', 'SystemClientVanillaService')
    ]!.Properties;
    expect(client.DeploymentConfiguration).toMatchObject({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 20 },
      Alarms: { Enable: true, Rollback: true, AlarmNames: ['Test-client-vanilla-5xx'] },
    });
    expect(client.LoadBalancers[0].AdvancedConfiguration.AlternateTargetGroupArn).toBeDefined();
    // The shared alarm sums both target groups' 5xx, as on Service Connect.
    const alarm = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'Test-client-vanilla-5xx',
    )!.Properties;
    const watched = (alarm.Metrics as { MetricStat?: { Metric: { Namespace: string } } }[])
      .filter((query) => query.MetricStat)
      .map((query) => query.MetricStat!.Metric.Namespace);
    expect(watched).toEqual(['AWS/ApplicationELB', 'AWS/ApplicationELB']);
  });
});

describe('GIVEN a blue/green deployment of the Lattice service color WHEN rendered with MeshProvider.vpcLattice()', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(
      twoServices({ color: { deployment: { strategy: 'blue-green', bakeMinutes: 7 } } }),
      MeshProvider.vpcLattice(),
    );
  }, SYNTH_TIMEOUT_MS);
  const { template, idOf, one, targetGroupOf } = latticeView(() => synth);
  const alternate = () =>
    idOf('AWS::VpcLattice::TargetGroup', 'SystemColorRedLatticeAlternateTargets');
  const colorService = () =>
    resourcesOf(template(), 'AWS::ECS::Service')[
      idOf('AWS::ECS::Service', 'SystemColorRedService')
    ]!.Properties;

  it('THEN the listener forwards to the pair, the serving group at 100 and the idle one at 0', () => {
    expect(one('AWS::VpcLattice::Listener').DefaultAction).toEqual({
      Forward: {
        TargetGroups: [
          { TargetGroupIdentifier: getAtt(targetGroupOf('Red'), 'Id'), Weight: 100 },
          { TargetGroupIdentifier: getAtt(alternate(), 'Id'), Weight: 0 },
        ],
      },
    });
  });

  it('THEN ECS gets the alternate group and the listener as the production rule, and deploys blue/green with the bake time', () => {
    expect(colorService().VpcLatticeConfigurations).toEqual([
      {
        PortName: 'http',
        TargetGroupArn: getAtt(targetGroupOf('Red'), 'Arn'),
        RoleArn: getAtt(idOf('AWS::IAM::Role', 'SystemLatticeInfrastructureRole'), 'Arn'),
        AdvancedConfiguration: {
          AlternateTargetGroupArn: getAtt(alternate(), 'Arn'),
          ProductionListenerRule: getAtt(
            idOf('AWS::VpcLattice::Listener', 'SystemColorLatticeListener'),
            'Arn',
          ),
        },
      },
    ]);
    expect(colorService().DeploymentConfiguration).toMatchObject({
      Strategy: 'BLUE_GREEN',
      BakeTimeInMinutes: 7,
      Alarms: { Enable: true, Rollback: true, AlarmNames: ['Test-color-red-5xx'] },
    });
  });

  it("THEN the rollback alarm sums both groups' Lattice 5xx", () => {
    const alarm = Object.values(resourcesOf(template(), 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'Test-color-red-5xx',
    )!.Properties;
    const watched = (alarm.Metrics as Cfn[])
      .filter((query) => query.MetricStat)
      .map((query) => [
        query.MetricStat.Metric.Namespace,
        query.MetricStat.Metric.MetricName,
        query.MetricStat.Metric.Dimensions[0].Value,
      ]);
    expect(watched).toEqual([
      ['AWS/VpcLattice', 'HTTPCode_5XX_Count', getAtt(targetGroupOf('Red'), 'Id')],
      ['AWS/VpcLattice', 'HTTPCode_5XX_Count', getAtt(alternate(), 'Id')],
    ]);
  });
});

describe('MeshProvider.vpcLattice().validate', () => {
  const problems = (topology: Topology) => MeshProvider.vpcLattice().validate(topology);

  it('accepts both example topologies, and an ECS canary of the service the ALB fronts', () => {
    expect(problems(articleTopology)).toEqual([]);
    expect(problems(canaryTopology)).toEqual([]);
    expect(problems(twoServices({ client: { deployment: { strategy: 'canary' } } }))).toEqual([]);
  });

  it('names each bad trace sampling setting and its fix', () => {
    expect(
      MeshProvider.vpcLattice({ traceSampling: { tracesPerSecond: -1, ratio: 1.5 } }).validate(
        articleTopology,
      ),
    ).toEqual([
      'traceSampling.tracesPerSecond is -1: give 0 or more new traces a second per task',
      'traceSampling.ratio is 1.5: give a share from 0 to 1, such as 0.05',
    ]);
  });

  it('accepts an ECS traffic-shifting strategy on a one-version Lattice service without routes', () => {
    for (const strategy of ['blue-green', 'canary', 'linear'] as const) {
      expect(problems(twoServices({ color: { deployment: { strategy } } }))).toEqual([]);
    }
  });

  it('fails when a Lattice service with several versions or routes asks for one, naming the AWS limit and the fix', () => {
    const canaryWithShift: Topology = {
      ...canaryTopology,
      services: canaryTopology.services.map((s) =>
        s.name === 'color' ? { ...s, deployment: { strategy: 'canary' as const } } : s,
      ),
    };
    expect(problems(canaryWithShift)).toEqual([
      expect.stringMatching(
        /^service "color": deployment strategy "canary" on VPC Lattice needs a listener rule that forwards to this version's two target groups only \(weights 100 and 0\).*Keep one version and no routes here, or deploy it rolling$/,
      ),
    ]);
  });

  it('holds routes to the "Rules per listener" quota: 5 by default, or the raised value given', () => {
    const routes = (count: number) =>
      twoServices({
        color: {
          versions: [{ name: 'red' }, { name: 'blue' }],
          routes: Array.from({ length: count }, (_, i) => ({
            version: 'blue',
            whenHeader: { name: `x-route-${i}`, equals: 'on' },
          })),
        },
      });
    expect(problems(routes(5))).toEqual([]);
    expect(problems(routes(6))).toEqual([
      'service "color": its routes need 6 listener rules (a cookie route takes 2); VPC Lattice\'s "Rules per listener" quota is 5 by default: remove routes, or raise the quota in the Service Quotas console (VPC Lattice) and pass the new value as rulesPerListener to MeshProvider.vpcLattice()',
    ]);
    const raised = MeshProvider.vpcLattice({ rulesPerListener: 10 });
    expect(raised.validate(routes(10))).toEqual([]);
    expect(raised.validate(routes(11))).toEqual([
      expect.stringMatching(/need 11 listener rules.*quota is 10: remove routes/),
    ]);
    expect(MeshProvider.vpcLattice({ rulesPerListener: 0.5 }).validate(routes(1))).toEqual([
      expect.stringMatching(/^MeshProvider\.vpcLattice\(\{ rulesPerListener: 0\.5 \}\): expected/),
    ]);
  });

  it('fails on route headers longer than a Lattice rule matches (name 40, value 128), naming each and the fix', () => {
    const routed = (name: string, equals: string) =>
      problems(
        twoServices({
          color: {
            versions: [{ name: 'red' }, { name: 'blue' }],
            routes: [{ version: 'blue', whenHeader: { name, equals } }],
          },
        }),
      );
    expect(routed('x'.repeat(40), 'v'.repeat(128))).toEqual([]);
    expect(routed('x'.repeat(41), 'v'.repeat(129))).toEqual([
      `service "color": route header "${'x'.repeat(41)}" is 41 characters; a VPC Lattice rule matches header names of up to 40, use a shorter header`,
      `service "color": route value "${'v'.repeat(129)}" of header "${'x'.repeat(41)}" is 129 characters; a VPC Lattice rule matches values of up to 128, use a shorter value`,
    ]);
  });

  it('fails when a weight is above what Lattice takes', () => {
    const topology = twoServices({
      color: {
        versions: [
          { name: 'red', weight: 1000 },
          { name: 'blue', weight: 1 },
        ],
      },
    });
    expect(problems(topology)).toEqual([
      'service "color": version "red" has weight 1000; VPC Lattice takes weights from 0 to 999, scale the weights down (e.g. to percentages)',
    ]);
  });

  it('fails when the ingress service has several versions, since the ALB fronts one', () => {
    const topology = twoServices({
      client: {
        versions: [
          { name: 'a', weight: 1 },
          { name: 'b', weight: 1 },
        ],
      },
    });
    expect(problems(topology)).toEqual([
      expect.stringMatching(/^service "client": the ingress ALB fronts one version directly/),
    ]);
  });
});
