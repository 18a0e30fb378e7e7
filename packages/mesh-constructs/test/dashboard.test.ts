import type { Topology } from '@color-teller/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshFlavor, defaultAddOns, type IMeshFlavor } from '../src';
import { dashboardNameOf } from '../src/parts/dashboard';
import { pascalCase } from '../src/private/names';
import {
  canary,
  logicalIdStartingWith,
  resourcesOf,
  synthesize,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Cfn,
  type Synthesized,
} from './fixtures';

/** A metric as a dashboard graph lists it, its dimensions by name. */
interface ShownMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly stat?: string;
}

/** CloudFormation references inside the body become `${Logical.Attr}` so that the JSON parses. */
function placeholder(token: Cfn): string {
  if (typeof token === 'string') return token;
  if ('Ref' in token) return `\${${token.Ref}}`;
  if ('Fn::GetAtt' in token) return `\${${token['Fn::GetAtt'].join('.')}}`;
  // Any other intrinsic (e.g. the ALB's full name cut from its listener ARN), escaped for a JSON string.
  return `\${${JSON.stringify(JSON.stringify(token)).slice(1, -1)}}`;
}

/** Each graph's title with the metrics it draws (math expressions' inputs included). */
function graphsOf(template: Synthesized['template']): Map<string, ShownMetric[]> {
  const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const [, parts] = dashboards[0]!.Properties.DashboardBody['Fn::Join'] as [string, Cfn[]];
  const body = JSON.parse(parts.map(placeholder).join('')) as { widgets: Cfn[] };
  const graphs = new Map<string, ShownMetric[]>();
  for (const widget of body.widgets.filter((w) => w.type === 'metric')) {
    const metrics = (widget.properties.metrics as Cfn[][])
      .filter((line) => typeof line[0] === 'string')
      .map((line) => {
        const options = typeof line.at(-1) === 'object' ? (line.at(-1) as Cfn) : {};
        const [namespace, name, ...rest] = line.filter((item) => typeof item === 'string');
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1]!;
        return { namespace: namespace!, name: name!, dimensions, stat: options.stat };
      });
    graphs.set(widget.properties.title, metrics);
  }
  return graphs;
}

/** Every version of the topology as `<service>-<version>` with its ECS service's logical ID. */
function versionsOf(template: Synthesized['template'], topology: Topology) {
  return topology.services.flatMap((service) =>
    service.versions.map((version) => ({
      service: service.name,
      qualifiedName: `${service.name}-${version.name}`,
      ecsService: logicalIdStartingWith(
        template,
        'AWS::ECS::Service',
        `System${pascalCase(service.name)}${pascalCase(version.name)}Service`,
      ),
      prefix: `System${pascalCase(service.name)}${pascalCase(version.name)}`,
    })),
  );
}

const CLUSTER = () => expect.stringMatching(/^\$\{SystemCluster[0-9A-F]{8}\}$/);

function expectCpuAndMemory(
  graphs: Map<string, ShownMetric[]>,
  version: string,
  ecsService: string,
) {
  const usage = graphs.get(`${version}: CPU and memory`);
  for (const name of ['CPUUtilization', 'MemoryUtilization']) {
    expect(usage, version).toContainEqual({
      namespace: 'AWS/ECS',
      name,
      dimensions: { ClusterName: CLUSTER(), ServiceName: `\${${ecsService}.Name}` },
      stat: undefined,
    });
  }
}

/** Requests, 5xx and p99 of `version` from the ALB, in the target group its ECS service registers in. */
function expectAlbFigures(
  synth: Synthesized,
  graphs: Map<string, ShownMetric[]>,
  version: string,
  ecsService: string,
) {
  const service = resourcesOf(synth.template, 'AWS::ECS::Service')[ecsService]!;
  const targetGroup = service.Properties.LoadBalancers[0].TargetGroupArn.Ref as string;
  const dimensions = {
    TargetGroup: `\${${targetGroup}.TargetGroupFullName}`,
    // The ALB's full name, cut from its listener's ARN.
    LoadBalancer: expect.stringMatching(/^\$\{.*SystemIngressLoadBalancer/),
  };
  const alb = (name: string, stat?: string) => ({
    namespace: 'AWS/ApplicationELB',
    name,
    dimensions,
    stat,
  });
  expect(graphs.get(`${version}: requests / min`), version).toContainEqual(
    alb('RequestCount', 'Sum'),
  );
  expect(graphs.get(`${version}: 5xx / min`), version).toContainEqual(
    alb('HTTPCode_Target_5XX_Count', 'Sum'),
  );
  expect(graphs.get(`${version}: p99 latency`), version).toContainEqual(
    alb('TargetResponseTime', 'p99'),
  );
}

function expectOutput(synth: Synthesized, name: string) {
  const outputs = synth.template.findOutputs('*');
  const url = Object.entries(outputs).find(([id]) => id.startsWith('SystemDashboardUrl'));
  expect(url, 'dashboard URL output').toBeDefined();
  expect(url![1].Value).toEqual({
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: 'AWS::Region' },
        '.console.aws.amazon.com/cloudwatch/home?region=',
        { Ref: 'AWS::Region' },
        `#dashboards:name=${name}`,
      ],
    ],
  });
}

/** Synthesizes once before the block's tests, then reads the dashboard's graphs. */
function renderedWithGraphs(topology: Topology, flavor: IMeshFlavor) {
  const rendered = {} as { synth: Synthesized; graphs: Map<string, ShownMetric[]> };
  beforeAll(() => {
    rendered.synth = synthesize(topology, flavor);
    rendered.graphs = graphsOf(rendered.synth.template);
  }, SYNTH_TIMEOUT_MS);
  return rendered;
}

describe('GIVEN service-connect (a canary deployment of the ingress service)', () => {
  const topology = twoServices({ client: { deployment: { strategy: 'canary' } } });
  const rendered = renderedWithGraphs(topology, MeshFlavor.serviceConnect());

  it('THEN the dashboard is named after the stack and the system, and its URL is an output', () => {
    rendered.synth.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'Test-color-teller',
    });
    expectOutput(rendered.synth, 'Test-color-teller');
  });

  it('THEN each version shows its CPU and memory', () => {
    for (const { qualifiedName, ecsService } of versionsOf(rendered.synth.template, topology)) {
      expectCpuAndMemory(rendered.graphs, qualifiedName, ecsService);
    }
  });

  it("THEN the called service shows Service Connect's requests, 5xx and p99, by cluster, ECS service and discovery name", () => {
    const [color] = versionsOf(rendered.synth.template, topology).filter(
      (v) => v.service === 'color',
    );
    const dimensions = {
      ClusterName: CLUSTER(),
      ServiceName: `\${${color!.ecsService}.Name}`,
      DiscoveryName: 'color',
    };
    const ecs = (name: string, stat: string) => ({ namespace: 'AWS/ECS', name, dimensions, stat });
    expect(rendered.graphs.get('color-red: requests / min')).toEqual([ecs('RequestCount', 'Sum')]);
    expect(rendered.graphs.get('color-red: 5xx / min')).toEqual([
      ecs('HTTPCode_Target_5XX_Count', 'Sum'),
    ]);
    expect(rendered.graphs.get('color-red: p99 latency')).toEqual([
      ecs('TargetResponseTime', 'p99'),
    ]);
  });

  it('THEN the ingress service shows the ALB figures of both target groups ECS shifts between', () => {
    const [client] = versionsOf(rendered.synth.template, topology).filter(
      (v) => v.service === 'client',
    );
    expectAlbFigures(rendered.synth, rendered.graphs, 'client-vanilla', client!.ecsService);
    expect(rendered.graphs.get('client-vanilla: requests / min')).toHaveLength(2);
  });
});

describe('GIVEN vpc-lattice with the canary topology (color red 80 / blue 20)', () => {
  const topology = canary();
  const rendered = renderedWithGraphs(topology, MeshFlavor.vpcLattice());

  it('THEN every version shows its CPU and memory, and the URL is an output', () => {
    for (const { qualifiedName, ecsService } of versionsOf(rendered.synth.template, topology)) {
      expectCpuAndMemory(rendered.graphs, qualifiedName, ecsService);
    }
    expectOutput(rendered.synth, 'Test-color-teller');
  });

  it("THEN each color version shows its own Lattice target group's requests, 5xx and p99", () => {
    const colors = versionsOf(rendered.synth.template, topology).filter(
      (v) => v.service === 'color',
    );
    expect(colors.map((v) => v.qualifiedName)).toEqual(['color-red', 'color-blue']);
    for (const { qualifiedName, prefix } of colors) {
      const targetGroup = logicalIdStartingWith(
        rendered.synth.template,
        'AWS::VpcLattice::TargetGroup',
        `${prefix}LatticeTargets`,
      );
      const lattice = (name: string, stat: string) => ({
        namespace: 'AWS/VpcLattice',
        name,
        dimensions: { TargetGroup: `\${${targetGroup}.Id}` },
        stat,
      });
      expect(rendered.graphs.get(`${qualifiedName}: requests / min`)).toEqual([
        lattice('TotalRequestCount', 'Sum'),
      ]);
      expect(rendered.graphs.get(`${qualifiedName}: 5xx / min`)).toEqual([
        lattice('HTTPCode_5XX_Count', 'Sum'),
      ]);
      expect(rendered.graphs.get(`${qualifiedName}: p99 latency`)).toEqual([
        lattice('RequestTime', 'p99'),
      ]);
    }
  });

  it('THEN the ingress service shows the ALB figures', () => {
    const [client] = versionsOf(rendered.synth.template, topology).filter(
      (v) => v.service === 'client',
    );
    expectAlbFigures(rendered.synth, rendered.graphs, 'client-vanilla', client!.ecsService);
  });
});

describe('GIVEN appmesh with the canary topology', () => {
  const topology = canary();
  const rendered = renderedWithGraphs(topology, MeshFlavor.appMesh());

  it('THEN every version shows its CPU and memory, and none claims request figures it lacks', () => {
    for (const { qualifiedName, ecsService } of versionsOf(rendered.synth.template, topology)) {
      expectCpuAndMemory(rendered.graphs, qualifiedName, ecsService);
      expect(rendered.graphs.has(`${qualifiedName}: requests / min`), qualifiedName).toBe(false);
    }
    expectOutput(rendered.synth, 'Test-color-teller');
  });

  it('THEN a text says that Envoy stats are not in CloudWatch', () => {
    const [dashboard] = Object.values(
      resourcesOf(rendered.synth.template, 'AWS::CloudWatch::Dashboard'),
    );
    expect(JSON.stringify(dashboard!.Properties)).toMatch(
      /Envoy's request stats are not in CloudWatch/,
    );
  });

  it("THEN the ingress gateway shows the ALB's figures and its own CPU and memory", () => {
    const gateway = logicalIdStartingWith(
      rendered.synth.template,
      'AWS::ECS::Service',
      'SystemIngressGatewayService',
    );
    expectCpuAndMemory(rendered.graphs, 'ingress gateway', gateway);
    expectAlbFigures(rendered.synth, rendered.graphs, 'ingress gateway', gateway);
  });
});

describe('GIVEN the add-ons without the dashboard', () => {
  it(
    'THEN no flavor renders a dashboard or its output',
    () => {
      const addOns = defaultAddOns().filter((addOn) => addOn.name !== 'dashboard');
      for (const flavor of [
        MeshFlavor.serviceConnect(),
        MeshFlavor.vpcLattice(),
        MeshFlavor.appMesh(),
      ]) {
        const { template } = synthesize(
          flavor.name === 'service-connect' ? twoServices() : canary(),
          flavor,
          { addOns },
        );
        template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
        expect(Object.keys(template.findOutputs('*'))).toEqual([
          expect.stringMatching(/^SystemUrl/),
        ]);
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('dashboardNameOf', () => {
  it('keeps the characters CloudWatch allows and stays within 255', () => {
    expect(dashboardNameOf('ColorTeller-vpc-lattice', 'color teller.v2')).toBe(
      'ColorTeller-vpc-lattice-color-teller-v2',
    );
    expect(dashboardNameOf('S', 'x'.repeat(300))).toHaveLength(255);
  });
});
