/**
 * A flavor written outside the library, as a user would: it imports only the package's public
 * entry point and aws-cdk-lib, and no file of the library changes for it.
 */
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MeshFlavor,
  albFrontsVersions,
  MeshValidationError,
  MeshedSystem,
  defaultAddOns,
  type BoundMeshFlavor,
  type IMeshedService,
  type MeshAddOn,
  type MeshBindContext,
} from '@color-teller/mesh-constructs';
import colorTeller from '../../../color-teller.topology';
import { canary, containerNamed, envOf, FEATURE_FLAGS, SYNTH_TIMEOUT_MS, taskOf } from './fixtures';

/** Plain DNS discovery: each service is an A record in a Cloud Map private namespace. */
class CloudMapDnsFlavor extends MeshFlavor {
  readonly name = 'cloud-map-dns';

  override validate(topology: Topology): string[] {
    return topology.services
      .filter((service) => service.versions.length > 1 || (service.routes ?? []).length > 0)
      .map(
        (service) =>
          `service "${service.name}": plain DNS spreads calls over every task alike, so it cannot weigh or route versions; use MeshFlavor.vpcLattice()`,
      );
  }

  bind(scope: Construct, context: MeshBindContext): BoundMeshFlavor {
    const namespace = new servicediscovery.PrivateDnsNamespace(scope, 'Namespace', {
      name: context.topology.namespace,
      vpc: context.vpc,
    });
    const hostOf = (spec: ServiceSpec) => `${spec.name}.${context.topology.namespace}`;
    return {
      backendUrl: (spec) => `http://${hostOf(spec)}:${spec.port}`,
      serviceReady: (service: IMeshedService) => {
        const discovery = new servicediscovery.Service(service, 'Discovery', {
          namespace,
          name: service.serviceSpec.name,
          dnsRecordType: servicediscovery.DnsRecordType.A,
        });
        for (const version of service.versions) {
          version.fargateService.associateCloudMapService({
            service: discovery,
            container: version.appContainer,
            containerPort: service.serviceSpec.port,
          });
        }
      },
      connect: (client, server) => server.admitCallsFrom(client),
      // The ALB fronts each version directly, as on the ECS native flavors.
      attachIngress: albFrontsVersions,
    };
  }
}

/** An add-on of the user's own: every app container learns which team runs it. */
const teamLabel: MeshAddOn = {
  name: 'team-label',
  bind: () => ({
    appContainerProps: (_version, props: ecs.ContainerDefinitionOptions) => ({
      ...props,
      environment: { ...props.environment, TEAM: 'colors' },
    }),
  }),
};

function render(topology: Topology, addOns?: readonly MeshAddOn[]): Template {
  const app = new App({ context: FEATURE_FLAGS });
  const stack = new Stack(app, 'Fourth');
  new MeshedSystem(stack, 'System', {
    topology,
    flavor: new CloudMapDnsFlavor(),
    addOns,
    image: (service) => ecs.ContainerImage.fromRegistry(`example.com/${service.name}:test`),
  });
  return Template.fromStack(stack);
}

describe('GIVEN a fourth flavor defined outside the library WHEN it renders the default topology', () => {
  let template: Template;
  beforeAll(() => {
    template = render(colorTeller, [...defaultAddOns(), teamLabel]);
  }, SYNTH_TIMEOUT_MS);

  it("THEN the client's env holds the backend's DNS name, and the backend registers under it", () => {
    const client = envOf(containerNamed(taskOf(template, 'SystemClientVanillaTask'), 'app'));
    expect(client.COLOR_BACKEND).toBe('http://color.color-teller.local:3000');
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'color-teller.local',
    });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'color' });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceRegistries: [
        { RegistryArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SystemColorDiscovery'), 'Arn'] } },
      ],
    });
  });

  it('THEN the default add-ons apply: the OpenTelemetry collector, scaling and the dashboard', () => {
    const task = taskOf(template, 'SystemColorRedTask');
    expect((task.ContainerDefinitions as { Name: string }[]).map((c) => c.Name)).toContain(
      'otel-collector',
    );
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('THEN the DNS firewall adds nothing, as the flavor names no AWS endpoints', () => {
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroup', 0);
  });

  it("THEN the user's own add-on runs on every version", () => {
    for (const prefix of ['SystemColorRedTask', 'SystemClientVanillaTask']) {
      expect(envOf(containerNamed(taskOf(template, prefix), 'app')).TEAM).toBe('colors');
    }
  });

  it('THEN the ALB fronts the ingress service directly', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
  });
});

describe('GIVEN the fourth flavor and a shortened list of add-ons', () => {
  it(
    'THEN only the kept add-ons render: no collector, no dashboard',
    () => {
      const kept = defaultAddOns().filter((a) => !['tracing', 'dashboard'].includes(a.name));
      const template = render(colorTeller, kept);
      const task = taskOf(template, 'SystemColorRedTask');
      expect((task.ContainerDefinitions as { Name: string }[]).map((c) => c.Name)).toEqual(['app']);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('GIVEN the fourth flavor and weighted versions', () => {
  it('THEN synthesis fails with its message, naming a flavor that can', () => {
    expect(() => render(canary())).toThrow(MeshValidationError);
    expect(() => render(canary())).toThrow(
      /cannot weigh or route versions; use MeshFlavor\.vpcLattice\(\)/,
    );
  });
});
