import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MESH_FLAVORS, MeshFlavor, type MeshFlavorName } from '../src';
import {
  canary,
  resourcesOf,
  synthesize,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
} from './fixtures';

const CERTIFICATE =
  'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

interface NagCase {
  readonly flavor: string;
  readonly render: () => Synthesized;
  readonly alsoAcknowledged?: readonly string[];
}

/** What each flavor is checked with; a flavor added to MESH_FLAVORS fails to compile until it is here. */
const CASE_OF = {
  'service-connect': {
    flavor: 'service-connect (HTTPS)',
    render: () =>
      synthesize(twoServices(), MeshFlavor.serviceConnect(), {
        nag: true,
        certificateArn: CERTIFICATE,
      }),
  },
  'vpc-lattice': {
    flavor: 'vpc-lattice (canary)',
    render: () => synthesize(canary(), MeshFlavor.vpcLattice(), { nag: true }),
    // The ECS infrastructure role for Lattice uses the AWS managed policy made for it.
    alsoAcknowledged: ['AwsSolutions-IAM4'],
  },
  appmesh: {
    flavor: 'appmesh (canary)',
    render: () => synthesize(canary(), MeshFlavor.appMesh(), { nag: true }),
  },
} satisfies Record<MeshFlavorName, NagCase>;

const CASES: readonly NagCase[] = MESH_FLAVORS.map((entry) => CASE_OF[entry.name]);

describe.each(CASES)('GIVEN cdk-nag AwsSolutions WHEN $flavor is synthesized', (nagCase) => {
  const { render } = nagCase;
  const alsoAcknowledged: readonly string[] = nagCase.alsoAcknowledged ?? [];
  let synth: Synthesized;
  beforeAll(() => {
    synth = render();
  }, SYNTH_TIMEOUT_MS);
  const nag = () => synth.report.pluginReports.find((r) => r.pluginName === 'AwsSolutions')!;

  it('THEN there is no unacknowledged finding', () => {
    expect(nag().violations).toEqual([]);
  });

  it('THEN every acknowledgement carries a reason and sits on the resource it concerns (or its role/task)', () => {
    const suppressed = nag().suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const finding of suppressed) {
      expect(finding.reason!.length, finding.ruleName).toBeGreaterThan(40);
      for (const construct of finding.violatingConstructs) {
        // Acknowledged on the violating construct itself or its direct owner, never the stack.
        expect(
          construct.constructPath.startsWith(`${finding.acknowledgedAt}/`),
          construct.constructPath,
        ).toBe(true);
        expect(finding.acknowledgedAt!.split('/').length).toBeGreaterThan(3);
      }
    }
  });

  it('THEN only expected rules are acknowledged', () => {
    const rules = new Set(
      (nag().suppressedViolations ?? []).map((f) => f.ruleName.replace(/\[.*$/, '')),
    );
    for (const rule of rules) {
      expect([
        'AwsSolutions-ECS2',
        'AwsSolutions-EC23',
        'AwsSolutions-S1',
        'AwsSolutions-IAM5',
        ...alsoAcknowledged,
      ]).toContain(rule);
    }
  });
});

describe('GIVEN a certificate ARN WHEN the ingress renders', () => {
  it('THEN it serves HTTPS on 443, redirects 80, and admits the internet on those ports only', () => {
    const { template } = synthesize(twoServices(), MeshFlavor.serviceConnect(), {
      certificateArn: CERTIFICATE,
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS' } }],
    });
    const [alb] = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroup')).filter((g) =>
      String(g.Properties.GroupDescription).startsWith('Ingress ALB'),
    );
    const ports = (alb!.Properties.SecurityGroupIngress as { FromPort: number }[])
      .map((r) => r.FromPort)
      .sort();
    expect(ports).toEqual([443, 80]);
  });

  it('THEN without one it serves plain HTTP and says so in a warning that can be acknowledged', () => {
    const { system } = synthesize(twoServices(), MeshFlavor.serviceConnect());
    const warnings = system.ingress.listener.node.metadata.filter(
      (m) => m.type === 'aws:cdk:warning',
    );
    expect(warnings.map((w) => String(w.data))).toEqual([
      expect.stringMatching(
        /plain HTTP: pass a certificate ARN.*\[ack: @color-teller\/mesh-constructs:plainHttpListener\]/,
      ),
    ]);
  });

  it('THEN deletion protection (off by default, see the parity suite) is on when asked', () => {
    const on = synthesize(twoServices(), MeshFlavor.serviceConnect(), {
      deletionProtection: true,
    });
    on.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
      ]),
    });
  });
});
