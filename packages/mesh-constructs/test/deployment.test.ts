import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshFlavor } from '../src';
import {
  resourcesOf,
  synthesize,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
} from './fixtures';

describe('GIVEN a canary backend and a blue/green client WHEN rendered with Service Connect', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(
      twoServices({
        color: { deployment: { strategy: 'canary', stepPercent: 20, bakeMinutes: 8 } },
        client: { deployment: { strategy: 'blue-green' } },
      }),
      MeshFlavor.serviceConnect(),
      { nag: true },
    );
  }, SYNTH_TIMEOUT_MS);
  const serviceNamed = (prefix: string) =>
    Object.entries(resourcesOf(synth.template, 'AWS::ECS::Service')).find(([id]) =>
      id.startsWith(prefix),
    )![1].Properties;

  it('THEN the backend deploys as an ECS native canary with its step and bake time', () => {
    expect(serviceNamed('SystemColorRedService').DeploymentConfiguration).toMatchObject({
      Strategy: 'CANARY',
      BakeTimeInMinutes: 8,
      CanaryConfiguration: { CanaryPercent: 20, CanaryBakeTimeInMinutes: 8 },
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
  });

  it('THEN the client deploys blue/green with the default bake time, shifting the ALB rule between two target groups', () => {
    const client = serviceNamed('SystemClientVanillaService');
    expect(client.DeploymentConfiguration).toMatchObject({
      Strategy: 'BLUE_GREEN',
      BakeTimeInMinutes: 5,
    });
    expect(client.LoadBalancers).toEqual([
      expect.objectContaining({
        ContainerName: 'app',
        ContainerPort: 8080,
        AdvancedConfiguration: {
          AlternateTargetGroupArn: {
            Ref: expect.stringMatching(/^SystemIngressVanillaAlternateTargets/),
          },
          ProductionListenerRule: { Ref: expect.stringMatching(/^SystemIngressVanillaRule/) },
          RoleArn: expect.anything(),
        },
      }),
    ]);
    synth.template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
  });

  it('THEN server errors during the bake roll each deployment back', () => {
    for (const prefix of ['SystemColorRedService', 'SystemClientVanillaService']) {
      const alarms = serviceNamed(prefix).DeploymentConfiguration.Alarms;
      expect(alarms).toMatchObject({ Enable: true, Rollback: true });
      expect(alarms.AlarmNames).toHaveLength(1);
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-color-red-5xx',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ECS',
      Dimensions: Match.arrayWith([{ Name: 'DiscoveryName', Value: 'color' }]),
    });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-client-vanilla-5xx',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'HTTPCode_Target_5XX_Count',
              Namespace: 'AWS/ApplicationELB',
            }),
          }),
        }),
      ]),
    });
  });

  it('THEN cdk-nag finds nothing unacknowledged in the deployment resources', () => {
    const nag = synth.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
    expect(nag.violations).toEqual([]);
  });
});
