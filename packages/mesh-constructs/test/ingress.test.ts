import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshedSystem, MeshFlavor } from '../src';
import {
  FEATURE_FLAGS,
  resourcesOf,
  synthesize,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Cfn,
  type Synthesized,
} from './fixtures';

const CERTIFICATE =
  'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

describe('GIVEN a blue/green ingress service WHEN rendered with Service Connect', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(
      twoServices({ client: { deployment: { strategy: 'blue-green' } } }),
      MeshFlavor.serviceConnect(),
    );
  }, SYNTH_TIMEOUT_MS);
  const targetGroupIds = () =>
    Object.keys(resourcesOf(synth.template, 'AWS::ElasticLoadBalancingV2::TargetGroup'));

  it('THEN the production listener rule forwards to both target groups, 100/0, so ECS can shift the weights', () => {
    const [rule] = Object.values(
      resourcesOf(synth.template, 'AWS::ElasticLoadBalancingV2::ListenerRule'),
    );
    const forward = (rule!.Properties.Actions as Cfn[]).find((a) => a.Type === 'forward');
    const weights = (forward.ForwardConfig.TargetGroups as Cfn[]).map((g) => ({
      group: g.TargetGroupArn.Ref as string,
      weight: g.Weight as number,
    }));
    const [main, alternate] = targetGroupIds().sort((a, b) => a.length - b.length);
    expect(weights).toEqual([
      { group: expect.stringMatching(/^SystemIngressVanillaTargets/), weight: 100 },
      { group: expect.stringMatching(/^SystemIngressVanillaAlternateTargets/), weight: 0 },
    ]);
    expect(new Set(weights.map((w) => w.group))).toEqual(new Set([main, alternate]));
  });

  it('THEN the rollback alarm sums the 5xx of both target groups (after a shift the alternate one is live)', () => {
    const alarm = Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'Test-client-vanilla-5xx',
    )!.Properties;
    const queries = alarm.Metrics as Cfn[];
    const expression = queries.find((q) => q.Expression !== undefined);
    expect(expression.Expression).toBe('FILL(g0, 0) + FILL(g1, 0)');
    const watched = queries
      .filter((q) => q.MetricStat)
      .map((q) => {
        const dimension = (q.MetricStat.Metric.Dimensions as Cfn[]).find(
          (d) => d.Name === 'TargetGroup',
        );
        return dimension.Value['Fn::GetAtt'][0] as string;
      });
    expect(watched.sort()).toEqual(targetGroupIds().sort());
    const metricNames = queries
      .filter((q) => q.MetricStat)
      .map((q) => q.MetricStat.Metric.MetricName);
    expect(metricNames).toEqual(['HTTPCode_Target_5XX_Count', 'HTTPCode_Target_5XX_Count']);
  });
});

/** The system in a stack bound to one region, as `cdk deploy` with an environment would render it. */
function inRegion(region: string): Template {
  const app = new App({ context: FEATURE_FLAGS });
  const stack = new Stack(app, 'Test', { env: { account: '111122223333', region } });
  new MeshedSystem(stack, 'System', {
    topology: twoServices(),
    flavor: MeshFlavor.serviceConnect(),
    image: (service) => ContainerImage.fromRegistry(`example.com/${service.name}:test`),
  });
  return Template.fromStack(stack);
}

describe.each([
  { region: 'us-east-1', era: 'an old region' },
  { region: 'il-central-1', era: 'a region opened after August 2022' },
  { region: undefined, era: 'no region (environment-agnostic)' },
])('GIVEN $era WHEN the access-log bucket policy renders', ({ region }) => {
  it(
    'THEN the ALB writes through the log delivery service principal only, with no per-region account map',
    () => {
      const template = region
        ? inRegion(region)
        : synthesize(twoServices(), MeshFlavor.serviceConnect()).template;
      expect(template.toJSON().Mappings ?? {}).toEqual({});
      const [policy] = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
      const statement = (policy!.Properties.PolicyDocument.Statement as Cfn[]).find(
        (s) => s.Sid === 'AlbAccessLogs',
      );
      expect(statement.Principal).toEqual({
        Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
      });
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('GIVEN a certificate WHEN the ingress renders', () => {
  it(
    'THEN with a domain and hosted zone an alias record points the name at the ALB and Url is that name',
    () => {
      const app = new App({ context: FEATURE_FLAGS });
      const stack = new Stack(app, 'Test');
      const hostedZone = HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z0000000000000000000',
        zoneName: 'example.com',
      });
      new MeshedSystem(stack, 'System', {
        topology: twoServices(),
        image: (service) => ContainerImage.fromRegistry(`example.com/${service.name}:test`),
        certificateArn: CERTIFICATE,
        domainName: 'colors.example.com',
        hostedZone,
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: 'Z0000000000000000000',
        Name: 'colors.example.com.',
        Type: 'A',
        AliasTarget: {
          DNSName: {
            'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [Match.anyValue(), 'DNSName'] }]],
          },
        },
      });
      const outputs = template.findOutputs('*');
      const url = Object.values(outputs).find((o) => o.Description?.startsWith('The color'));
      expect(url!.Value).toBe('https://colors.example.com');
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "THEN without a domain the Url output says that the certificate's name must point at the ALB",
    () => {
      const { template } = synthesize(twoServices(), MeshFlavor.serviceConnect(), {
        certificateArn: CERTIFICATE,
      });
      const [url] = Object.entries(template.findOutputs('*'))
        .filter(([id]) => id.startsWith('SystemUrl'))
        .map(([, output]) => output);
      expect(url!.Value).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.anything(), 'DNSName'] }]],
      });
      expect(url!.Description).toMatch(/certificate's name must point at this DNS name/);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('fails when a domain comes without a hosted zone or a certificate, naming the fix', () => {
    const app = new App({ context: FEATURE_FLAGS });
    const stack = new Stack(app, 'Test');
    const hostedZone = HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0000000000000000000',
      zoneName: 'example.com',
    });
    const render = (extra: object) => () =>
      new MeshedSystem(new Stack(app, `T${Math.random().toString(36).slice(2, 8)}`), 'System', {
        topology: twoServices(),
        image: () => ContainerImage.fromRegistry('example.com/x:test'),
        ...extra,
      });
    expect(render({ domainName: 'colors.example.com', certificateArn: CERTIFICATE })).toThrow(
      /domainName \(colors\.example\.com\) and hostedZone \(missing\) go together/,
    );
    expect(render({ domainName: 'colors.example.com', hostedZone })).toThrow(
      /domainName colors\.example\.com needs certificateArn/,
    );
  });
});
