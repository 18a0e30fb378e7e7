import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVOY_IMAGE, MeshProvider, XRAY_DAEMON_IMAGE } from '../src';
import {
  canary,
  containerNamed,
  envOf,
  logicalIdStartingWith,
  resourcesOf,
  synthesize,
  taskOf,
  type Cfn,
  type Synthesized,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

const TASKS = ['SystemColorRedTask', 'SystemColorBlueTask', 'SystemClientVanillaTask'];

describe('GIVEN red 80 / blue 20 with header and cookie routes WHEN rendered with MeshProvider.appMesh()', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(canary(), MeshProvider.appMesh());
  }, SYNTH_TIMEOUT_MS);
  const nodeId = (prefix: string) =>
    logicalIdStartingWith(synth.template, 'AWS::AppMesh::VirtualNode', prefix);

  it('THEN it creates one mesh that lets tasks reach only their listed backends', () => {
    synth.template.resourceCountIs('AWS::AppMesh::Mesh', 1);
    synth.template.hasResourceProperties('AWS::AppMesh::Mesh', {
      Spec: { EgressFilter: { Type: 'DROP_ALL' } },
    });
    synth.template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'color-teller.local',
    });
  });

  it('THEN each version has a virtual node: Cloud Map discovery, HTTP listener with health check, access log, connection pool', () => {
    synth.template.resourceCountIs('AWS::AppMesh::VirtualNode', 3);
    for (const [name, port, path] of [
      ['color-red', 3000, '/health'],
      ['color-blue', 3000, '/health'],
      ['client-vanilla', 8080, '/healthz'],
    ] as const) {
      synth.template.hasResourceProperties('AWS::AppMesh::VirtualNode', {
        VirtualNodeName: name,
        Spec: {
          ServiceDiscovery: {
            AWSCloudMap: { NamespaceName: 'color-teller.local', ServiceName: Match.anyValue() },
          },
          Listeners: [
            {
              PortMapping: { Port: port, Protocol: 'http' },
              HealthCheck: { Protocol: 'http', Path: path, Port: port },
              ConnectionPool: { HTTP: { MaxConnections: 1024, MaxPendingRequests: 1024 } },
              Timeout: { HTTP: Match.objectLike({ PerRequest: Match.anyValue() }) },
            },
          ],
          Logging: { AccessLog: { File: { Path: '/dev/stdout' } } },
        },
      });
      synth.template.hasResourceProperties('AWS::ServiceDiscovery::Service', {
        Name: name,
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: Match.anyValue() }] },
      });
    }
    // The node's Cloud Map service is the one the ECS service registers its tasks in.
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      ServiceRegistries: [
        {
          RegistryArn: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^SystemColorRedDiscovery'), 'Arn'],
          },
        },
      ],
    });
  });

  it('THEN the client node lists the color virtual service as its backend and its env points at that name', () => {
    const client = resourcesOf(synth.template, 'AWS::AppMesh::VirtualNode')[
      nodeId('SystemClientVanilla')
    ]!;
    expect(client.Properties.Spec.Backends).toEqual([
      { VirtualService: { VirtualServiceName: 'color.color-teller.local' } },
    ]);
    // The name is a literal, so the dependency is explicit: the virtual service exists first.
    expect(client.DependsOn).toContain(
      logicalIdStartingWith(
        synth.template,
        'AWS::AppMesh::VirtualService',
        'SystemColorVirtualService',
      ),
    );
    const app = containerNamed(taskOf(synth.template, 'SystemClientVanillaTask'), 'app');
    expect(envOf(app).COLOR_BACKEND).toBe('http://color.color-teller.local:3000');
    synth.template.hasResourceProperties('AWS::AppMesh::VirtualService', {
      VirtualServiceName: 'color.color-teller.local',
      Spec: { Provider: { VirtualRouter: { VirtualRouterName: Match.anyValue() } } },
    });
  });

  it('THEN the router routes the header, then the cookie (a regex on the cookie header), then by weight', () => {
    synth.template.hasResourceProperties('AWS::AppMesh::VirtualRouter', {
      Spec: { Listeners: [{ PortMapping: { Port: 3000, Protocol: 'http' } }] },
    });
    const routes = Object.values(resourcesOf(synth.template, 'AWS::AppMesh::Route'))
      .map((r) => r.Properties.Spec)
      .filter((spec: Cfn) => JSON.stringify(spec).includes('SystemColor'))
      .sort((a: Cfn, b: Cfn) => a.Priority - b.Priority);
    expect(routes.map((r: Cfn) => r.Priority)).toEqual([0, 1, 2]);
    expect(routes[0].HttpRoute.Match.Headers).toEqual([
      { Name: 'x-color-version', Match: { Exact: 'blue' }, Invert: false },
    ]);
    const cookie = routes[1].HttpRoute.Match.Headers[0];
    expect(cookie.Name).toBe('cookie');
    const regex = new RegExp(cookie.Match.Regex);
    expect(regex.test('theme=dark; color-version=blue')).toBe(true);
    expect(regex.test('color-version=blue')).toBe(true);
    expect(regex.test('color-version=bluegreen')).toBe(false);
    expect(regex.test('xcolor-version=blue')).toBe(false);
    const weighted = routes[2].HttpRoute;
    // Each weight stays with its own version's node: red 80, blue 20, never swapped.
    expect(weighted.Action.WeightedTargets).toEqual([
      { VirtualNode: { 'Fn::GetAtt': [nodeId('SystemColorRed'), 'VirtualNodeName'] }, Weight: 80 },
      { VirtualNode: { 'Fn::GetAtt': [nodeId('SystemColorBlue'), 'VirtualNodeName'] }, Weight: 20 },
    ]);
    for (const route of routes) {
      // No hidden default: the topology sets no retries, so no route retries.
      expect(route.HttpRoute).not.toHaveProperty('RetryPolicy');
      // Every route takes every path, and the color service's timeouts from the fixture.
      expect(route.HttpRoute.Match.Prefix).toBe('/');
      expect(route.HttpRoute.Timeout).toEqual({
        PerRequest: { Unit: 'ms', Value: 4000 },
        Idle: { Unit: 'ms', Value: 30000 },
      });
    }
    for (const route of routes.slice(0, 2)) {
      expect(route.HttpRoute.Action.WeightedTargets).toEqual([
        {
          VirtualNode: { 'Fn::GetAtt': [nodeId('SystemColorBlue'), 'VirtualNodeName'] },
          Weight: 1,
        },
      ]);
    }
  });

  it('THEN every virtual service name resolves: a Cloud Map record with a placeholder address per service', () => {
    for (const name of ['color', 'client']) {
      synth.template.hasResourceProperties('AWS::ServiceDiscovery::Service', {
        Name: name,
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: Match.anyValue() }] },
      });
    }
    synth.template.resourcePropertiesCountIs(
      'AWS::ServiceDiscovery::Instance',
      { InstanceAttributes: { AWS_INSTANCE_IPV4: '10.10.10.10' } },
      2,
    );
  });

  it('THEN every task runs Envoy as App Mesh needs it, and the app waits for it HEALTHY', () => {
    for (const prefix of TASKS) {
      const task = taskOf(synth.template, prefix);
      const envoy = containerNamed(task, 'envoy');
      expect(envoy).toMatchObject({
        Image: ENVOY_IMAGE,
        User: '1337',
        Essential: true,
        ReadonlyRootFilesystem: true,
        Ulimits: [{ Name: 'nofile', SoftLimit: 15000, HardLimit: 15000 }],
        MountPoints: [{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'envoy-tmp' }],
        HealthCheck: {
          Command: [
            'CMD-SHELL',
            'curl -s http://localhost:9901/server_info | grep state | grep -q LIVE',
          ],
          Interval: 5,
          Timeout: 2,
          StartPeriod: 10,
          Retries: 3,
        },
      });
      expect(envOf(envoy)).toMatchObject({
        APPMESH_RESOURCE_ARN: { Ref: expect.stringMatching(/VirtualNode/) },
        ENABLE_ENVOY_XRAY_TRACING: '1',
      });
      expect(JSON.stringify(envOf(envoy).APPMESH_RESOURCE_ARN)).toContain(
        prefix.replace('Task', ''),
      );
      expect(containerNamed(task, 'app').DependsOn).toEqual([
        { ContainerName: 'envoy', Condition: 'HEALTHY' },
      ]);
    }
  });

  it('THEN every task routes through Envoy with the App Mesh proxy configuration', () => {
    for (const prefix of TASKS) {
      const task = taskOf(synth.template, prefix);
      const properties = Object.fromEntries(
        (
          task.ProxyConfiguration.ProxyConfigurationProperties as { Name: string; Value: string }[]
        ).map((p) => [p.Name, p.Value]),
      );
      expect(task.ProxyConfiguration).toMatchObject({ ContainerName: 'envoy', Type: 'APPMESH' });
      expect(properties).toEqual({
        IgnoredUID: '1337',
        ProxyIngressPort: '15000',
        ProxyEgressPort: '15001',
        AppPorts: prefix.startsWith('SystemClient') ? '8080' : '3000',
        EgressIgnoredIPs: '169.254.170.2,169.254.169.254',
      });
    }
  });

  it('THEN Envoy may stream its own node configuration, and nothing else of App Mesh', () => {
    const statements = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Cfn[],
    );
    const appmesh = statements.filter((s) => JSON.stringify(s.Action).includes('appmesh:'));
    expect(appmesh).toHaveLength(4); // three nodes and the gateway
    for (const statement of appmesh) {
      expect(statement.Action).toBe('appmesh:StreamAggregatedResources');
      expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
    }
    expect(JSON.stringify(synth.template.toJSON())).not.toContain('AWSAppMeshEnvoyAccess');
  });

  it('THEN every task, the gateway included, runs the X-Ray daemon on UDP 2000 as user 1337', () => {
    for (const prefix of [...TASKS, 'SystemIngressGatewayTask']) {
      const daemon = containerNamed(taskOf(synth.template, prefix), 'xray-daemon');
      expect(daemon).toMatchObject({
        Image: XRAY_DAEMON_IMAGE,
        User: '1337',
        Essential: false,
        ReadonlyRootFilesystem: true,
        PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }],
      });
    }
  });

  it('THEN the ingress is a virtual gateway whose Envoy task sits behind the ALB, health-checked on 9901 /server_info', () => {
    synth.template.hasResourceProperties('AWS::AppMesh::VirtualGateway', {
      Spec: {
        Listeners: [{ PortMapping: { Port: 8080, Protocol: 'http' } }],
        Logging: { AccessLog: { File: { Path: '/dev/stdout' } } },
      },
    });
    synth.template.hasResourceProperties('AWS::AppMesh::GatewayRoute', {
      Spec: {
        HttpRoute: {
          Match: { Prefix: '/' },
          Action: {
            Target: {
              VirtualService: {
                VirtualServiceName: {
                  'Fn::GetAtt': [
                    Match.stringLikeRegexp('^SystemClientVirtualService'),
                    'VirtualServiceName',
                  ],
                },
              },
            },
          },
        },
      },
    });
    const gatewayTask = taskOf(synth.template, 'SystemIngressGatewayTask');
    const envoy = containerNamed(gatewayTask, 'envoy');
    expect(envoy.PortMappings.map((p: Cfn) => p.ContainerPort)).toEqual([8080, 9901]);
    expect(envOf(envoy)).toMatchObject({ ENABLE_ENVOY_XRAY_TRACING: '1' });
    expect(JSON.stringify(envOf(envoy).APPMESH_RESOURCE_ARN)).toContain(
      'SystemIngressGatewayVirtualGateway',
    );
    expect(gatewayTask.ProxyConfiguration).toBeUndefined();
    synth.template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    synth.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      HealthCheckPort: '9901',
      HealthCheckPath: '/server_info',
    });
    synth.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9901,
      ToPort: 9901,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SystemIngressSecurityGroup'), 'GroupId'],
      },
      GroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SystemIngressGatewaySecurityGroup'), 'GroupId'],
      },
    });
  });

  it('THEN the gateway scales with the service it fronts', () => {
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
      ResourceId: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.objectLike({
              'Fn::GetAtt': [Match.stringLikeRegexp('^SystemIngressGatewayService'), 'Name'],
            }),
          ]),
        ],
      },
    });
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
        TargetValue: 500,
      },
    });
  });

  it("THEN CDK's retired-service warning is acknowledged on each App Mesh resource, with its reason", () => {
    const validate = synth.report.pluginReports.find(
      (r) => r.pluginName === 'CloudFormation Validate',
    )!;
    expect(validate.violations).toEqual([]);
    const retired = validate.suppressedViolations!.filter((v) => v.ruleName === 'W3696');
    const paths = retired.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath));
    // mesh, 3 nodes, 2 routers, 4 routes, 2 virtual services, gateway, gateway route
    expect(paths).toHaveLength(14);
    for (const violation of retired) {
      expect(violation.reason).toMatch(/retired \(2026-09-30\)/);
      // Acknowledged on the resource itself, not on a parent scope.
      expect(violation.violatingConstructs[0]!.constructPath).toBe(
        `${violation.acknowledgedAt}/Resource`,
      );
    }
  });
});
