/**
 * The importer on real templates that no one here wrote: AWS's aws-app-mesh-examples. They are
 * not committed (their license is not this repository's), so this file runs only when
 * APPMESH_EXAMPLES_DIR names a checkout of that repository; otherwise it is absent from the run,
 * never counted as passing. See docs/migrate-from-app-mesh.md.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MESH_FLAVORS } from '@color-teller/mesh-constructs';
import type { Topology } from '@color-teller/topology';
import { loadTopology } from '@color-teller/topology/load';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src';
import { REPOSITORY_ROOT, SYNTH_TIMEOUT_MS, scratchDir, synthesizedTemplate } from './support';

const EXAMPLES_DIR = process.env.APPMESH_EXAMPLES_DIR;
const IMAGES = [
  'ColorAppImage=registry.example.com/colorapp:1',
  'FrontAppImage=registry.example.com/feapp:1',
  'DJAppImage=registry.example.com/djapp:1',
].flatMap((p) => ['--param', p]);

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly check: (topology: Topology, report: string) => void;
  /** The templates hold task definitions: the import must synthesize. */
  readonly synthesizes?: boolean;
}

const versionsOf = (topology: Topology) =>
  Object.fromEntries(
    topology.services.map((s) => [s.name, s.versions.map((v) => `${v.name}:${v.weight ?? '-'}`)]),
  );

const CASES: readonly Case[] = [
  {
    name: 'examples/apps/colorapp (DNS nodes, a router over three colors, a TCP service, no tasks)',
    args: [
      'examples/apps/colorapp/servicemesh/appmesh-colorapp.yaml',
      '--param',
      'ServicesDomain=default.svc.cluster.local',
      '--param',
      'AppMeshMeshName=colorapp',
      '--param',
      'EnvironmentName=demo',
      '--ingress',
      'colorgateway',
    ],
    check: (topology, report) => {
      expect(versionsOf(topology)).toEqual({
        colorteller: ['white:1', 'blue:1', 'red:1'],
        'colorteller-black': ['main:-'],
        colorgateway: ['main:-'],
      });
      expect(topology.services.find((s) => s.name === 'colorgateway')!.backends).toEqual([
        { service: 'colorteller' },
      ]);
      expect(report).toContain('node "tcpecho-vn" listens for tcp');
      expect(report).toContain(
        'no task definition in the input for `colorteller`, `colorteller-black`, `colorgateway`',
      );
    },
  },
  {
    name: 'walkthroughs/howto-ecs-basics 3-routing (Cloud Map nodes, a 50/50 router, tasks, an ALB)',
    args: [
      'walkthroughs/howto-ecs-basics/deploy/3-routing.yaml',
      '--param',
      'ProjectName=howto-ecs-basics',
      ...IMAGES,
    ],
    synthesizes: true,
    check: (topology, report) => {
      expect(versionsOf(topology)).toEqual({ color: ['v1:50', 'v2:50'], front: ['main:-'] });
      expect(topology.ingress.service).toBe('front');
      const [color, front] = topology.services;
      expect(color!.versions.map((v) => v.env?.COLOR)).toEqual(['green', 'blue']);
      expect(front).toMatchObject({
        healthPath: '/ping',
        backends: [{ service: 'color', envVar: 'COLOR_HOST' }],
      });
      expect(report).toContain('COLOR_HOST held "color.howto-ecs-basics.mesh.local:8080"');
    },
  },
  {
    name: 'walkthroughs/howto-metrics-extension-ecs djapp-v2 (a virtual gateway, a canary router, tasks)',
    args: [
      'walkthroughs/howto-metrics-extension-ecs/deploy/djapp-v2.yaml',
      '--param',
      'ProjectName=djapp',
      ...IMAGES,
    ],
    synthesizes: true,
    check: (topology) => {
      expect(versionsOf(topology)).toEqual({
        djapp: ['main:-'],
        jazz: ['main:-'],
        metal: ['v1:60', 'v2:40'],
      });
      expect(topology.ingress.service).toBe('djapp');
    },
  },
  {
    name: 'walkthroughs/howto-outlier-detection (outlier detection on a node)',
    args: ['walkthroughs/howto-outlier-detection/mesh/mesh.yaml', '--param', 'ProjectName=howto'],
    check: (topology, report) => {
      expect(topology.services.find((s) => s.name === 'color')!.outlierDetection).toEqual({
        consecutive5xx: 5,
        ejectMs: 5000,
        maxEjectionPercent: 100,
      });
      expect(report).toContain('the 30000 ms counting interval');
    },
  },
  {
    name: 'walkthroughs/howto-mutual-tls-file-provided-by-acm (TLS and a virtual gateway)',
    args: ['walkthroughs/howto-mutual-tls-file-provided-by-acm/infrastructure/mesh.yaml'],
    check: (topology, report) => {
      expect(versionsOf(topology)).toEqual({ colorteller: ['main:-'] });
      expect(report).toContain('### TLS and mTLS');
    },
  },
];

describe.runIf(EXAMPLES_DIR !== undefined && existsSync(EXAMPLES_DIR))(
  'the real aws-app-mesh-examples templates in APPMESH_EXAMPLES_DIR',
  () => {
    const scratch = scratchDir();
    afterAll(() => scratch.remove());
    const inExamples = (args: readonly string[]) =>
      args.map((arg, i) =>
        i === 0 || (!arg.startsWith('-') && !args[i - 1]!.startsWith('-'))
          ? join(EXAMPLES_DIR!, arg)
          : arg,
      );

    it.each(CASES)(
      '$name: imports to a topology that loads and validates',
      async (c) => {
        const slug = c.args[0]!.replace(/[^a-z0-9]+/gi, '-');
        const out = join(scratch.dir, `${slug}.topology.ts`);
        const report = join(scratch.dir, `${slug}.md`);
        const errors: string[] = [];
        const code = await runCli(
          ['appmesh', ...inExamples(c.args), '--out', out, '--report', report],
          { out: () => {}, err: (text) => errors.push(text) },
          REPOSITORY_ROOT,
        );
        expect(errors).toEqual([]);
        expect(code).toBe(0);
        const topology = await loadTopology(out);
        c.check(topology, (await import('node:fs')).readFileSync(report, 'utf8'));
        if (c.synthesizes) {
          const flavor = MESH_FLAVORS.find((f) => f.provider().validate(topology).length === 0)!;
          const template = JSON.parse(synthesizedTemplate(topology, flavor.provider())) as {
            Resources: Record<string, { Type: string }>;
          };
          const services = Object.values(template.Resources).filter(
            (r) => r.Type === 'AWS::ECS::Service',
          );
          const versions = topology.services.reduce((sum, s) => sum + s.versions.length, 0);
          expect(services.length).toBeGreaterThanOrEqual(versions);
        }
      },
      SYNTH_TIMEOUT_MS,
    );

    it('walkthroughs/howto-http-headers: versions reached only by header routes have weight 0, which the topology refuses in its own words', async () => {
      const errors: string[] = [];
      const out = join(scratch.dir, 'headers.topology.ts');
      const code = await runCli(
        [
          'appmesh',
          join(EXAMPLES_DIR!, 'walkthroughs/howto-http-headers/app.yaml'),
          '--param',
          'ProjectName=howto',
          ...IMAGES,
          '--out',
          out,
        ],
        { out: () => {}, err: (text) => errors.push(text) },
        REPOSITORY_ROOT,
      );
      expect(code).toBe(2);
      expect(errors.join('\n')).toMatch(
        /app\.yaml:\d+ \(resource \w+\): the imported topology fails validation: .*\n {2}- service "color": version "\w+" has weight 0/,
      );
      expect(existsSync(out)).toBe(false);
    });
  },
);
