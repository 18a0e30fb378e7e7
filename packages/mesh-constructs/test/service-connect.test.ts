import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshProvider, OTEL_COLLECTOR_IMAGE } from '../src';
import {
  containerNamed,
  envOf,
  logicalIdStartingWith,
  resourcesOf,
  synthesize,
  taskOf,
  twoServices,
  type Synthesized,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

describe('GIVEN the two services WHEN rendered with MeshProvider.serviceConnect()', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(twoServices(), MeshProvider.serviceConnect());
  }, SYNTH_TIMEOUT_MS);

  it('THEN it creates one Cloud Map namespace named after the topology', () => {
    synth.template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    synth.template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', {
      Name: 'color-teller.local',
    });
  });

  it('THEN the backend serves its named port under a discovery name and client alias, with the topology timeouts', () => {
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SystemNamespace'), 'Arn'] },
        Services: [
          {
            PortName: 'http',
            DiscoveryName: 'color',
            ClientAliases: [{ DnsName: 'color', Port: 3000 }],
            Timeout: { PerRequestTimeoutSeconds: 4, IdleTimeoutSeconds: 30 },
          },
        ],
        AccessLogConfiguration: { Format: 'JSON' },
        LogConfiguration: { LogDriver: 'awslogs' },
      },
    });
    const app = containerNamed(taskOf(synth.template, 'SystemColorRedTask'), 'app');
    expect(app.PortMappings).toEqual([
      { Name: 'http', ContainerPort: 3000, AppProtocol: 'http', Protocol: 'tcp' },
    ]);
  });

  it('THEN the client joins the namespace as a client only and calls http://<alias>:<port>', () => {
    const services = Object.entries(resourcesOf(synth.template, 'AWS::ECS::Service'));
    const [, client] = services.find(([id]) => id.startsWith('SystemClientVanilla'))!;
    expect(client.Properties.ServiceConnectConfiguration.Enabled).toBe(true);
    expect(client.Properties.ServiceConnectConfiguration.Services).toBeUndefined();
    const app = containerNamed(taskOf(synth.template, 'SystemClientVanillaTask'), 'app');
    expect(envOf(app)).toMatchObject({
      COLOR_BACKEND: 'http://color:3000',
      VERSION: 'vanilla',
      PORT: '8080',
      HOST: '0.0.0.0',
    });
  });

  it('THEN the backend deploys before its client (a client sees only servers that existed when it started)', () => {
    const clientId = logicalIdStartingWith(
      synth.template,
      'AWS::ECS::Service',
      'SystemClientVanillaService',
    );
    const colorId = logicalIdStartingWith(
      synth.template,
      'AWS::ECS::Service',
      'SystemColorRedService',
    );
    expect(resourcesOf(synth.template, 'AWS::ECS::Service')[clientId]!.DependsOn).toContain(
      colorId,
    );
  });

  it('THEN each task runs an OpenTelemetry collector sidecar that writes to X-Ray, and the app is pointed at it', () => {
    for (const prefix of ['SystemColorRedTask', 'SystemClientVanillaTask']) {
      const task = taskOf(synth.template, prefix);
      const collector = containerNamed(task, 'otel-collector');
      // The pinned image, from the account's registry through the pull-through cache.
      expect(JSON.stringify(collector.Image)).toContain(
        `/ecr-public-test/${OTEL_COLLECTOR_IMAGE.replace('public.ecr.aws/', '')}`,
      );
      expect(collector).toMatchObject({
        Essential: false,
        ReadonlyRootFilesystem: true,
        User: '4317',
      });
      expect(envOf(collector).AOT_CONFIG_CONTENT).toMatch(
        /endpoint: 127\.0\.0\.1:4318[\s\S]*awsxray/,
      );
      const app = containerNamed(task, 'app');
      expect(envOf(app)).toMatchObject({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SERVICE_NAME: prefix === 'SystemColorRedTask' ? 'color' : 'client',
        // X-Ray's default rule: 1 new trace a second, then 5%; callers' decisions followed.
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.05',
        TRACE_SAMPLES_PER_SECOND: '1',
      });
      expect(app.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'HEALTHY' }]);
    }
  });

  it('THEN the task roles may write traces to X-Ray and do nothing else', () => {
    const policies = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.includes('TaskTaskRole')),
    );
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const actions = (
        policy.Properties.PolicyDocument.Statement as { Action: string[] }[]
      ).flatMap((s) => s.Action);
      expect(actions.every((a) => a.startsWith('xray:'))).toBe(true);
      expect(actions).toContain('xray:PutTraceSegments');
    }
  });

  it('THEN the ALB fronts the client, health-checking its health path', () => {
    synth.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
      HealthCheckPort: 'traffic-port',
    });
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080 }],
    });
  });

  it('THEN the client scales on CPU and on ALB requests per target within the topology bounds', () => {
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
    });
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 55,
      },
    });
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' },
        TargetValue: 500,
      },
    });
    const desired = Object.entries(resourcesOf(synth.template, 'AWS::ECS::Service')).map(
      ([id, s]) => [id.replace(/Service.*$/, ''), s.Properties.DesiredCount],
    );
    expect(Object.fromEntries(desired)).toEqual({ SystemColorRed: 1, SystemClientVanilla: 2 });
  });

  it('THEN no App Mesh resource exists', () => {
    expect(Object.keys(resourcesOf(synth.template, 'AWS::AppMesh::Mesh'))).toHaveLength(0);
    const images = Object.values(resourcesOf(synth.template, 'AWS::ECS::TaskDefinition')).flatMap(
      (t) =>
        (t.Properties.ContainerDefinitions as { Image: unknown }[]).map((c) =>
          JSON.stringify(c.Image),
        ),
    );
    expect(images.some((image) => image.includes('envoy'))).toBe(false);
  });
});

describe('GIVEN tracing is switched off WHEN rendered with Service Connect', () => {
  it('THEN there is no collector and no OTEL env (the apps keep tracing off)', () => {
    const { template } = synthesize(twoServices(), MeshProvider.serviceConnect({ tracing: false }));
    const task = taskOf(template, 'SystemColorRedTask');
    expect((task.ContainerDefinitions as { Name: string }[]).map((c) => c.Name)).toEqual(['app']);
    expect(
      Object.keys(envOf(containerNamed(task, 'app'))).filter(
        (k) => k.startsWith('OTEL_') || k.startsWith('TRACE_'),
      ),
    ).toEqual([]);
  });
});

describe('GIVEN trace sampling set in the props WHEN rendered with Service Connect', () => {
  it('THEN every app records that many new traces a second, then that share', () => {
    const { template } = synthesize(
      twoServices(),
      MeshProvider.serviceConnect({ traceSampling: { tracesPerSecond: 5, ratio: 0.2 } }),
    );
    const env = envOf(containerNamed(taskOf(template, 'SystemClientVanillaTask'), 'app'));
    expect(env).toMatchObject({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.2',
      TRACE_SAMPLES_PER_SECOND: '5',
    });
  });

  it('THEN no reservoir leaves only the ratio, and bad settings are named', () => {
    const { template } = synthesize(
      twoServices(),
      MeshProvider.serviceConnect({ traceSampling: { tracesPerSecond: 0, ratio: 0 } }),
    );
    const env = envOf(containerNamed(taskOf(template, 'SystemColorRedTask'), 'app'));
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe('0');
    expect(env.TRACE_SAMPLES_PER_SECOND).toBeUndefined();
    expect(
      MeshProvider.serviceConnect({ traceSampling: { ratio: Number.NaN } }).validate(twoServices()),
    ).toEqual(['traceSampling.ratio is NaN: give a share from 0 to 1, such as 0.05']);
  });
});
