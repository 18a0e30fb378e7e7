import type { Topology } from '@color-teller/topology';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshProvider, MeshValidationError } from '../src';
import {
  ALLOW_RULE_PRIORITY,
  ASSOCIATION_PRIORITY,
  BLOCK_RULE_PRIORITY,
} from '../src/parts/dns-firewall';
import { AWS_ENDPOINT_NAMES } from '../src/parts/egress-names';
import { ecrPublicCachePrefix } from '../src/parts/ecr-public-cache';
import { PINNED_IMAGES } from '../src/private/pinned-images';
import {
  containerNamed,
  envOf,
  resourcesOf,
  synthesize,
  taskOf,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Cfn,
  type Synthesized,
} from './fixtures';

const HOST = 'api.color.pizza';

/** The color service calls one external; the client calls only the color service. */
function withExternal(baseUrl = `https://${HOST}/v1`): Topology {
  const topology = twoServices({
    color: { backends: [{ service: 'colornames' }] },
  });
  return { ...topology, externals: [{ name: 'colornames', baseUrl }] };
}

/** CloudFormation's `Fn::Join` of a region-aware name, as a `${AWS::Region}` string. */
function rendered(domain: Cfn): string {
  if (typeof domain === 'string') return domain;
  const [, parts] = domain['Fn::Join'] as [string, Cfn[]];
  return parts.map((p) => (typeof p === 'string' ? p : `\${${p.Ref}}`)).join('');
}

function allowedNames(template: Template): string[] {
  const lists = Object.values(resourcesOf(template, 'AWS::Route53Resolver::FirewallDomainList'));
  const allowed = lists.find((l) => !(l.Properties.Domains as Cfn[]).includes('*'))!;
  return (allowed.Properties.Domains as Cfn[]).map(rendered);
}

function nodeNamed(template: Template, name: string): Cfn {
  const nodes = Object.values(resourcesOf(template, 'AWS::AppMesh::VirtualNode'));
  const node = nodes.find((n) => n.Properties.VirtualNodeName === name);
  if (!node) throw new Error(`no virtual node ${name}`);
  return node.Properties;
}

function backendNamesOf(node: Cfn): string[] {
  return ((node.Spec.Backends ?? []) as Cfn[]).map((b) => b.VirtualService.VirtualServiceName);
}

describe('GIVEN an external called by one of two services WHEN rendered with appmesh', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthesize(withExternal(), MeshProvider.appMesh()));
  }, SYNTH_TIMEOUT_MS);

  it('THEN the mesh drops all egress it does not model', () => {
    template.hasResourceProperties('AWS::AppMesh::Mesh', {
      Spec: { EgressFilter: { Type: 'DROP_ALL' } },
    });
  });

  it('THEN the external is a virtual service named by its host, provided by a node that finds it by DNS on TCP 443', () => {
    const node = nodeNamed(template, 'external-colornames');
    expect(node.Spec.ServiceDiscovery).toEqual({ DNS: { Hostname: HOST } });
    expect(node.Spec.Listeners).toEqual([{ PortMapping: { Port: 443, Protocol: 'tcp' } }]);
    template.hasResourceProperties('AWS::AppMesh::VirtualService', {
      VirtualServiceName: HOST,
      Spec: {
        Provider: {
          VirtualNode: { VirtualNodeName: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) },
        },
      },
    });
  });

  it('THEN only the caller lists it as a backend', () => {
    expect(backendNamesOf(nodeNamed(template, 'color-red'))).toEqual([HOST]);
    expect(backendNamesOf(nodeNamed(template, 'client-vanilla'))).toEqual([
      'color.color-teller.local',
    ]);
  });
});

describe.each([
  { flavor: 'service-connect', provider: () => MeshProvider.serviceConnect() },
  { flavor: 'vpc-lattice', provider: () => MeshProvider.vpcLattice() },
])('GIVEN an external called by one of two services WHEN rendered with $flavor', (entry) => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(withExternal(), entry.provider(), { nag: true });
  }, SYNTH_TIMEOUT_MS);

  it('THEN the DNS Firewall allows the declared host and each AWS endpoint the tasks need, region-aware', () => {
    const names = allowedNames(synth.template);
    expect(names[0]).toBe(HOST);
    const expected = AWS_ENDPOINT_NAMES.filter((n) => (n.onlyFor ?? entry.flavor) === entry.flavor);
    const stack = Stack.of(synth.system);
    expect(names.slice(1)).toEqual(expected.map((n) => rendered(stack.resolve(n.domain))));
    expect(names).toContain('logs.${AWS::Region}.amazonaws.com');
    expect(names).toContain('*.dkr.ecr.${AWS::Region}.amazonaws.com');
    expect(names.some((n) => n.includes('vpc-lattice-svcs'))).toBe(entry.flavor === 'vpc-lattice');
  });

  it('THEN it allows that list first and answers NXDOMAIN for every other name after it', () => {
    const lists = resourcesOf(synth.template, 'AWS::Route53Resolver::FirewallDomainList');
    const idOf = (pick: (domains: Cfn[]) => boolean) =>
      Object.entries(lists).find(([, l]) => pick(l.Properties.Domains as Cfn[]))![0];
    const everything = idOf((d) => d.length === 1 && d[0] === '*');
    const allowed = idOf((d) => d.includes(HOST));
    synth.template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroup', {
      FirewallRules: [
        {
          Action: 'ALLOW',
          Priority: ALLOW_RULE_PRIORITY,
          FirewallDomainListId: { 'Fn::GetAtt': [allowed, 'Id'] },
          FirewallDomainRedirectionAction: 'TRUST_REDIRECTION_DOMAIN',
        },
        {
          Action: 'BLOCK',
          BlockResponse: 'NXDOMAIN',
          Priority: BLOCK_RULE_PRIORITY,
          FirewallDomainListId: { 'Fn::GetAtt': [everything, 'Id'] },
        },
      ],
    });
    expect(ALLOW_RULE_PRIORITY).toBeLessThan(BLOCK_RULE_PRIORITY);
  });

  it("THEN the rule group is associated with the system's VPC", () => {
    const [vpc] = Object.keys(resourcesOf(synth.template, 'AWS::EC2::VPC'));
    const [group] = Object.keys(
      resourcesOf(synth.template, 'AWS::Route53Resolver::FirewallRuleGroup'),
    );
    synth.template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 1);
    synth.template.hasResourceProperties('AWS::Route53Resolver::FirewallRuleGroupAssociation', {
      VpcId: { Ref: vpc },
      FirewallRuleGroupId: { 'Fn::GetAtt': [group, 'Id'] },
      Priority: ASSOCIATION_PRIORITY,
    });
  });

  it('THEN task security groups let out HTTPS to anywhere and, inside the VPC, only the service-to-service hops', () => {
    const groups = Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroup')).filter(
      (g) => /^(color-red|client-vanilla): admits/.test(String(g.Properties.GroupDescription)),
    );
    expect(groups.length).toBe(2);
    for (const group of groups) {
      const egress = group.Properties.SecurityGroupEgress as Cfn[];
      expect(egress.filter((r) => r.CidrIp === '0.0.0.0/0')).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
      expect(egress.every((r) => r.IpProtocol === 'tcp')).toBe(true);
    }
    const separate = Object.values(resourcesOf(synth.template, 'AWS::EC2::SecurityGroupEgress'));
    for (const rule of separate) {
      expect(rule.Properties.IpProtocol).toBe('tcp');
      expect(rule.Properties.CidrIp).toBeUndefined();
      // Service to service, or to Lattice's managed prefix list on its HTTPS listeners.
      expect([3000, 8080, 443]).toContain(rule.Properties.FromPort);
      if (rule.Properties.FromPort === 443) {
        expect(JSON.stringify(rule.Properties.DestinationPrefixListId)).toContain('PrefixList');
      }
    }
  });

  it("THEN no public registry or CDN is allowed: the collector comes through the stack's pull-through cache of ECR Public", () => {
    const names = allowedNames(synth.template);
    expect(names.filter((n) => /public\.ecr\.aws|cloudfront/.test(n))).toEqual([]);
    const [ruleId, rule] = Object.entries(
      resourcesOf(synth.template, 'AWS::ECR::PullThroughCacheRule'),
    )[0]!;
    expect(rule.Properties).toEqual({
      EcrRepositoryPrefix: ecrPublicCachePrefix('Test'),
      UpstreamRegistry: 'ecr-public',
      UpstreamRegistryUrl: 'public.ecr.aws',
    });
    const images = Object.values(resourcesOf(synth.template, 'AWS::ECS::TaskDefinition')).map(
      (task) => {
        const collector = (task.Properties.ContainerDefinitions as Cfn[]).find(
          (c) => c.Name === 'otel-collector',
        );
        return rendered(collector.Image);
      },
    );
    expect(images).toHaveLength(2);
    for (const image of images) {
      expect(image).toBe(
        `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/ecr-public-test/aws-observability/aws-otel-collector:${PINNED_IMAGES.collector.tag}@${PINNED_IMAGES.collector.digest}`,
      );
    }
    const tasks = Object.values(resourcesOf(synth.template, 'AWS::ECS::TaskDefinition'));
    for (const task of tasks) expect(task.DependsOn).toContain(ruleId);
    const imports = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Cfn[])
      .filter((st) => JSON.stringify(st.Action).includes('ecr:BatchImportUpstreamImage'));
    expect(imports).toHaveLength(2);
    for (const statement of imports) {
      expect(statement.Action).toEqual(
        expect.arrayContaining(['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']),
      );
      expect(JSON.stringify(statement.Resource)).toContain(
        ':repository/ecr-public-test/aws-observability/aws-otel-collector',
      );
    }
  });

  it.runIf(entry.flavor === 'service-connect')(
    "THEN the Service Connect agent's control endpoint ecs-sc.<region>.api.aws is allowed",
    () => {
      expect(allowedNames(synth.template)).toContain('ecs-sc.${AWS::Region}.api.aws');
    },
  );

  it.runIf(entry.flavor === 'vpc-lattice')(
    'THEN only the caller of a Lattice service signs; color, which calls only the external, sends no session token out',
    () => {
      const app = (prefix: string) => envOf(containerNamed(taskOf(synth.template, prefix), 'app'));
      expect(app('SystemClientVanillaTask').UPSTREAM_SIGV4_SERVICE).toBe('vpc-lattice-svcs');
      expect(app('SystemColorRedTask').UPSTREAM_SIGV4_SERVICE).toBeUndefined();
      expect(app('SystemColorRedTask').AWS_REGION).toBeUndefined();
      expect(app('SystemColorRedTask').COLORNAMES_BACKEND).toBe(`https://${HOST}/v1`);
    },
  );

  it('THEN cdk-nag and the Control Tower controls find nothing unacknowledged', () => {
    for (const plugin of ['AwsSolutions', 'cdk-validator-cfnguard']) {
      const report = synth.report.pluginReports.find((r) => r.pluginName === plugin);
      expect(report, plugin).toBeDefined();
      expect(report!.violations.map((v) => v.ruleName)).toEqual([]);
    }
  });
});

describe('GIVEN dnsFirewall: false WHEN rendered with service-connect', () => {
  it(
    'THEN no firewall is made',
    () => {
      const { template } = synthesize(
        withExternal(),
        MeshProvider.serviceConnect({ dnsFirewall: false }),
      );
      template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroup', 0);
      template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 0);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('GIVEN an external on another port than 443', () => {
  it('THEN synthesis fails naming the external and the fix', () => {
    expect(() =>
      synthesize(withExternal(`https://${HOST}:8443/v1`), MeshProvider.serviceConnect()),
    ).toThrow(MeshValidationError);
    expect(() =>
      synthesize(withExternal(`https://${HOST}:8443/v1`), MeshProvider.serviceConnect()),
    ).toThrow(/external "colornames".*port 8443.*use the API's address on port 443/s);
  });
});
