import { beforeAll, describe, expect, it } from 'vitest';
import { MeshProvider } from '../src';
import {
  containersOf,
  containerNamed,
  envOf,
  latticeUrlOf,
  resourcesOf,
  synthesize,
  taskOf,
  twoServices,
  type Cfn,
  type Synthesized,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

const FLAVORS = [
  {
    flavor: 'service-connect',
    provider: () => MeshProvider.serviceConnect(),
    colorUrl: 'http://color:3000',
    albTarget: 'ClientVanilla',
  },
  {
    flavor: 'vpc-lattice',
    provider: () => MeshProvider.vpcLattice(),
    colorUrl: latticeUrlOf('Color'),
    albTarget: 'ClientVanilla',
    viaLattice: true,
  },
  {
    flavor: 'appmesh',
    provider: () => MeshProvider.appMesh(),
    colorUrl: 'http://color.color-teller.local:3000',
    albTarget: 'IngressGateway',
  },
] as const;

/** The same invariants hold whatever the flavor: only the URL in the env changes. */
describe.each(FLAVORS)(
  'GIVEN the two services WHEN rendered with $flavor',
  ({ provider, colorUrl, albTarget, ...flavor }) => {
    /** On Lattice the hop before a backend is Lattice's managed prefix list, not the caller. */
    const viaLattice = 'viaLattice' in flavor;
    let synth: Synthesized;
    beforeAll(() => {
      synth = synthesize(twoServices(), provider());
    }, SYNTH_TIMEOUT_MS);
    const rules = (type: string) =>
      Object.values(resourcesOf(synth.template, type)).map((r) => r.Properties);
    /** A rule naming Lattice's managed prefix list (its ID found at deploy time). */
    const fromLattice = (rule: Cfn) =>
      JSON.stringify(rule.SourcePrefixListId ?? rule.DestinationPrefixListId ?? null).includes(
        'SystemLatticePrefixListLookup',
      );
    const inlineRules = (key: 'SecurityGroupIngress' | 'SecurityGroupEgress') =>
      Object.entries(resourcesOf(synth.template, 'AWS::EC2::SecurityGroup')).flatMap(
        ([id, group]) =>
          ((group.Properties[key] ?? []) as Cfn[]).map((rule) => ({ ...rule, GroupId: id })),
      );

    it("THEN the client's env holds the flavor's URL of the backend under COLOR_BACKEND", () => {
      const app = containerNamed(taskOf(synth.template, 'SystemClientVanillaTask'), 'app');
      expect(envOf(app).COLOR_BACKEND).toEqual(colorUrl);
      expect(
        envOf(containerNamed(taskOf(synth.template, 'SystemColorRedTask'), 'app')),
      ).toMatchObject({
        COLOR: 'red',
        PORT: '3000',
      });
    });

    it("THEN the client waits for the backend as the mesh does and keeps only the ALB's and its own sidecar's forwarded headers", () => {
      const client = envOf(
        containerNamed(taskOf(synth.template, 'SystemClientVanillaTask'), 'app'),
      );
      // The backend's perRequestMs (4000) is the client's whole-call deadline; connectMs the default.
      expect(client).toMatchObject({
        UPSTREAM_RESPONSE_TIMEOUT_MS: '4000',
        UPSTREAM_CONNECT_TIMEOUT_MS: '2000',
      });
      expect(client.TRUST_FORWARDED_FROM).toEqual({
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [expect.stringMatching(/^SystemVpc/), 'CidrBlock'] }, ',127.0.0.1'],
        ],
      });
      const backend = envOf(containerNamed(taskOf(synth.template, 'SystemColorRedTask'), 'app'));
      // The backend calls nobody and is fronted by no load balancer: neither setting.
      expect(backend).not.toHaveProperty('UPSTREAM_RESPONSE_TIMEOUT_MS');
      expect(backend).not.toHaveProperty('TRUST_FORWARDED_FROM');
    });

    it('THEN there is one way in: one internet-facing ALB in public subnets, one listener, one target group', () => {
      synth.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      synth.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      synth.template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
      const [alb] = rules('AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(alb.Scheme).toBe('internet-facing');
      expect(JSON.stringify(alb.Subnets)).toMatch(/PublicSubnet/);
      for (const subnet of rules('AWS::EC2::Subnet'))
        expect(subnet.MapPublicIpOnLaunch).toBe(false);
    });

    it('THEN every task runs in private subnets without a public IP', () => {
      for (const service of rules('AWS::ECS::Service')) {
        const network = service.NetworkConfiguration.AwsvpcConfiguration;
        expect(network.AssignPublicIp).toBe('DISABLED');
        expect(JSON.stringify(network.Subnets)).toMatch(/PrivateSubnet/);
        expect(JSON.stringify(network.Subnets)).not.toMatch(/PublicSubnet/);
      }
    });

    it('THEN only the ALB admits a CIDR, and only on its listener port; every other rule names the previous hop', () => {
      const ingress = [
        ...inlineRules('SecurityGroupIngress'),
        ...rules('AWS::EC2::SecurityGroupIngress'),
      ];
      const lattice = ingress.filter(fromLattice);
      for (const rule of lattice) {
        expect(rule).toMatchObject({ FromPort: 3000, ToPort: 3000 });
        expect(JSON.stringify(rule.GroupId)).toMatch(/SystemColorRedSecurityGroup/);
      }
      expect(lattice).toHaveLength(viaLattice ? 1 : 0);
      const cidr = ingress.filter((r) => r.CidrIp !== undefined || r.CidrIpv6 !== undefined);
      expect(cidr).toHaveLength(1);
      expect(cidr[0]).toMatchObject({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 });
      expect(cidr[0]!.GroupId).toMatch(/^SystemIngressSecurityGroup/);
      for (const rule of ingress.filter((r) => r.CidrIp === undefined && !fromLattice(r))) {
        expect(rule.SourceSecurityGroupId).toBeDefined();
      }
    });

    it('THEN the ALB reaches only what it fronts (the client, or the gateway on App Mesh)', () => {
      const fromAlb = rules('AWS::EC2::SecurityGroupIngress').filter((r) =>
        JSON.stringify(r.SourceSecurityGroupId ?? null).includes('SystemIngressSecurityGroup'),
      );
      const targets = new Set(
        fromAlb.map((r) => JSON.stringify(r.GroupId).match(/System(\w+?)SecurityGroup/)![1]),
      );
      expect([...targets]).toEqual([albTarget]);
    });

    it('THEN the backend admits only its client (or Lattice, which carries its calls), on its port', () => {
      if (viaLattice) {
        const toColor = rules('AWS::EC2::SecurityGroupIngress').filter((r) =>
          JSON.stringify(r.GroupId).includes('SystemColorRedSecurityGroup'),
        );
        expect(toColor).toEqual([expect.objectContaining({ FromPort: 3000, ToPort: 3000 })]);
        expect(fromLattice(toColor[0])).toBe(true);
        return;
      }
      const toColor = rules('AWS::EC2::SecurityGroupIngress').filter((r) =>
        JSON.stringify(r.GroupId).includes('SystemColorRedSecurityGroup'),
      );
      expect(toColor).toHaveLength(1);
      expect(toColor[0]).toMatchObject({ FromPort: 3000, ToPort: 3000, IpProtocol: 'tcp' });
      expect(JSON.stringify(toColor[0]!.SourceSecurityGroupId)).toContain(
        'SystemClientVanillaSecurityGroup',
      );
    });

    it('THEN tasks send nothing to a CIDR but HTTPS (registries, AWS APIs), and Lattice calls to its prefix list on 443', () => {
      const egress = [
        ...inlineRules('SecurityGroupEgress'),
        ...rules('AWS::EC2::SecurityGroupEgress'),
      ];
      for (const rule of egress.filter((r) => r.CidrIp !== undefined)) {
        if (rule.CidrIp === '255.255.255.255/32') continue; // CDK's "no egress" marker on the ALB
        expect(rule).toMatchObject({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 });
      }
      const toLattice = egress.filter(fromLattice);
      expect(toLattice).toHaveLength(viaLattice ? 1 : 0);
      for (const rule of toLattice) {
        expect(rule).toMatchObject({ FromPort: 443, ToPort: 443 });
        expect(JSON.stringify(rule.GroupId)).toMatch(/SystemClientVanillaSecurityGroup/);
      }
    });

    it('THEN every container runs non-root on a read-only root filesystem with a memory limit', () => {
      for (const container of containersOf(synth.template)) {
        expect(container.ReadonlyRootFilesystem, container.Name).toBe(true);
        expect(container.User, container.Name).toMatch(/^[1-9]\d*$/);
        expect(container.Memory, container.Name).toBeGreaterThan(0);
        expect(container.LogConfiguration?.LogDriver, container.Name).toBe('awslogs');
      }
    });

    it('THEN tasks are ARM64 and small, with room for every container', () => {
      for (const task of rules('AWS::ECS::TaskDefinition')) {
        expect(task.RuntimePlatform).toEqual({
          CpuArchitecture: 'ARM64',
          OperatingSystemFamily: 'LINUX',
        });
        expect(task.Cpu).toBe('256');
        expect(task.Memory).toBe('512');
        const used = (task.ContainerDefinitions as Cfn[]).reduce((sum, c) => sum + c.Memory, 0);
        expect(used).toBeLessThanOrEqual(448); // leaves room for Service Connect's own agent
      }
    });

    it('THEN every log group has a retention and a KMS key', () => {
      const groups = rules('AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThanOrEqual(3);
      for (const group of groups) {
        expect(group.RetentionInDays).toBe(365);
        expect(group.KmsKeyId).toEqual({
          'Fn::GetAtt': [expect.stringMatching(/^SystemLogKey/), 'Arn'],
        });
      }
      synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('THEN deployments are safe: circuit breaker with rollback, 100% minimum healthy', () => {
      for (const service of rules('AWS::ECS::Service')) {
        expect(service.DeploymentConfiguration).toMatchObject({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        });
      }
    });

    it('THEN the cluster has Container Insights, the VPC a flow log, the stack an output with the URL', () => {
      synth.template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
      synth.template.hasResourceProperties('AWS::EC2::FlowLog', {
        TrafficType: 'ALL',
        ResourceType: 'VPC',
      });
      const outputs = Object.entries(synth.template.findOutputs('*'));
      const urls = outputs.filter(([id]) => id.startsWith('SystemUrl'));
      expect(urls).toHaveLength(1);
      expect(JSON.stringify(urls[0]![1].Value)).toMatch(/http:\/\/.*DNSName/);
    });

    it('THEN the ALB drops invalid headers, logs access and can be destroyed', () => {
      const attributes = Object.fromEntries(
        (rules('AWS::ElasticLoadBalancingV2::LoadBalancer')[0].LoadBalancerAttributes as Cfn[]).map(
          (a) => [a.Key, a.Value],
        ),
      );
      expect(attributes).toMatchObject({
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'access_logs.s3.enabled': 'true',
        'deletion_protection.enabled': 'false',
      });
    });
  },
);
