import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTopology } from '@color-teller/topology/load';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import type { App } from 'aws-cdk-lib';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshProvider, appHealthProbe, imagesFromRepository } from '../src';
import {
  containerNamed,
  envOf,
  synthesize,
  taskOf,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
} from './fixtures';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let topology: Topology;
beforeAll(async () => {
  topology = await loadTopology('examples/polyglot/polyglot.topology.ts', root);
});

// The Python service's image is built from its own folder; the Node backend's stands in.
const built = imagesFromRepository(root);
const image = (service: ServiceSpec) =>
  service.command
    ? built(service)
    : ContainerImage.fromRegistry(`example.com/${service.name}:test`);

describe('GIVEN the polyglot example WHEN rendered with service-connect', () => {
  it('THEN it fails naming the weighted Python service and a flavor that splits by weight', () => {
    expect(() => synthesize(topology, MeshProvider.serviceConnect(), { image })).toThrow(
      /service "shade" has 2 versions with steady weights \(light 70, dark 30\): Service Connect cannot split traffic between versions; use MeshProvider\.vpcLattice\(\)/,
    );
  });
});

// Every flavor that can split a service's traffic by weight.
describe.each([
  { flavor: 'vpc-lattice', provider: () => MeshProvider.vpcLattice() },
  { flavor: 'appmesh', provider: () => MeshProvider.appMesh() },
])('GIVEN the polyglot example WHEN rendered with $flavor', ({ provider }) => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(topology, provider(), {
      image,
      appHealthProbe: (service) => appHealthProbe(service, root),
    });
  }, SYNTH_TIMEOUT_MS);

  it.each(['Light', 'Dark'])(
    'THEN shade %s runs its own image, health-checked with the python3 its Dockerfile declares',
    (version) => {
      const app = containerNamed(taskOf(synth.template, `SystemShade${version}Task`), 'app');
      expect(JSON.stringify(app.Image)).toContain('container-assets');
      expect(envOf(app).SHADE).toBe(version.toLowerCase());
      const [form, program, flag, script] = app.HealthCheck.Command as string[];
      expect([form, program, flag]).toEqual(['CMD', 'python3', '-c']);
      expect(script).toContain("/health'");
      expect(app.HealthCheck).toMatchObject({ Interval: 5, Timeout: 2, Retries: 3 });
    },
  );

  it('THEN the Node services keep their node probe, and each caller finds its backend in COLOR_BACKEND', () => {
    for (const task of ['SystemColorRedTask', 'SystemClientVanillaTask']) {
      const app = containerNamed(taskOf(synth.template, task), 'app');
      expect((app.HealthCheck.Command as string[]).slice(0, 2)).toEqual(['CMD', 'node']);
    }
    const shade = containerNamed(taskOf(synth.template, 'SystemShadeLightTask'), 'app');
    const client = containerNamed(taskOf(synth.template, 'SystemClientVanillaTask'), 'app');
    expect(JSON.stringify(envOf(shade).COLOR_BACKEND)).toMatch(/color/i);
    expect(JSON.stringify(envOf(client).COLOR_BACKEND)).toMatch(/shade/i);
  });

  it("THEN shade's image builds from its own folder alone, with its Dockerfile", () => {
    const outdir = (synth.system.node.root as App).outdir;
    const manifest = JSON.parse(readFileSync(join(outdir, 'Test.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile: string } }>;
    };
    const sources = Object.values(manifest.dockerImages).map((i) => i.source);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.dockerFile).toBe('Dockerfile');
    expect(readdirSync(join(outdir, sources[0]!.directory)).sort()).toEqual([
      'Dockerfile',
      'server.py',
    ]);
  });
});
