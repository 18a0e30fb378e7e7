import { beforeAll, describe, expect, it } from 'vitest';
import { MeshFlavor } from '../src';
import { canary, synthesize, twoServices, SYNTH_TIMEOUT_MS, type Synthesized } from './fixtures';

const CERTIFICATE =
  'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
const GUARD = 'cdk-validator-cfnguard';

/** Every flavor and option that changes which resources exist. */
const CASES = [
  {
    name: 'service-connect, plain HTTP',
    render: () => synthesize(twoServices(), MeshFlavor.serviceConnect(), { nag: true }),
  },
  {
    name: 'service-connect, HTTPS, canary backend and blue/green ingress, two NAT gateways',
    render: () =>
      synthesize(
        twoServices({
          color: { deployment: { strategy: 'canary' } },
          client: { deployment: { strategy: 'blue-green' } },
        }),
        MeshFlavor.serviceConnect(),
        { nag: true, certificateArn: CERTIFICATE, natGateways: 2, deletionProtection: true },
      ),
  },
  {
    name: 'service-connect, no NAT gateway',
    render: () =>
      synthesize(twoServices(), MeshFlavor.serviceConnect(), { nag: true, natGateways: 0 }),
  },
  {
    name: 'appmesh, the canary topology',
    render: () => synthesize(canary(), MeshFlavor.appMesh(), { nag: true }),
  },
] as const;

/** What is acknowledged, by rule, and why (the rest must pass). */
const ACKNOWLEDGED = [
  's3_bucket_logging_enabled_check',
  's3_bucket_default_encryption_kms_check',
  's3_event_notifications_enabled_check',
  's3_bucket_object_lock_enabled_check',
  'elbv2_deletion_protection_enabled_check',
  'alb_http_to_https_redirection_check',
  'cloudwatch_alarm_action_check',
  'ecs_service_assign_public_ip_disabled_check',
];

describe.each(CASES)(
  'GIVEN the AWS Control Tower proactive controls WHEN $name is synthesized',
  ({ render }) => {
    let synth: Synthesized;
    beforeAll(() => {
      synth = render();
    }, SYNTH_TIMEOUT_MS);
    const guard = () => synth.report.pluginReports.find((r) => r.pluginName === GUARD);

    it('THEN the controls ran and found nothing unacknowledged', () => {
      expect(guard(), 'the cfn-guard plugin ran').toBeDefined();
      expect(guard()!.violations.map((v) => v.ruleName)).toEqual([]);
    });

    it('THEN each acknowledged control is an expected one, with its reason, on the resource it concerns', () => {
      for (const finding of guard()!.suppressedViolations ?? []) {
        expect(ACKNOWLEDGED).toContain(finding.ruleName);
        expect(finding.reason!.length, finding.ruleName).toBeGreaterThan(40);
        for (const construct of finding.violatingConstructs) {
          expect(construct.constructPath.startsWith(`${finding.acknowledgedAt}/`)).toBe(true);
        }
      }
    });

    it('THEN cdk-nag AwsSolutions finds nothing unacknowledged either', () => {
      const nag = synth.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;
      expect(nag.violations).toEqual([]);
    });
  },
);

describe('GIVEN the controls a careful team meets rather than acknowledges', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(twoServices(), MeshFlavor.serviceConnect());
  }, SYNTH_TIMEOUT_MS);

  it('THEN every log group keeps a year (CT.CLOUDWATCH.PR.2)', () => {
    const groups = Object.values(synth.template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('THEN the log key lets only AWS services, for a resource, create grants (CT.KMS.PR.3)', () => {
    const [key] = Object.values(synth.template.findResources('AWS::KMS::Key'));
    const statements = key!.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    expect(statements).toContainEqual({
      Sid: 'GrantsOnlyForAwsServices',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    });
  });

  it('THEN the access-log bucket keeps versions, and expires them with the logs (CT.S3.PR.11)', () => {
    const [bucket] = Object.values(synth.template.findResources('AWS::S3::Bucket'));
    expect(bucket!.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket!.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        ExpirationInDays: 90,
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      }),
    ]);
  });
});
