import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  MESH_FLAVORS,
  MeshValidationError,
  type MeshFlavorName,
} from '@color-teller/mesh-constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYNTH_TIMEOUT_MS, synthesizedApp, type SynthesizedApp } from './support/synthesized-app';

/** CloudFormation JSON as read back from a template: loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Cfn = any;

/** The color backend's URL in the client's env, by flavor; a new flavor fails to compile until it is here. */
const COLOR_URLS = {
  'service-connect': 'http://color:3000',
  // The Lattice service's DNS name, a CloudFormation attribute.
  'vpc-lattice': expect.objectContaining({ 'Fn::Join': ['', ['https://', expect.anything()]] }),
  appmesh: 'http://color.color-teller.local:3000',
} satisfies Record<MeshFlavorName, unknown>;

/** Every flavor of the library, the default one without `-c mesh`. */
const FLAVORS = MESH_FLAVORS.map((entry, index) => {
  const context: Record<string, string> = index === 0 ? {} : { mesh: entry.name };
  return { context, stackName: `ColorTeller-${entry.name}`, colorUrl: COLOR_URLS[entry.name] };
});

describe.each(FLAVORS)(
  'GIVEN the default topology WHEN the app synthesizes with $context',
  ({ context, stackName, colorUrl }) => {
    let synth: SynthesizedApp;
    beforeAll(async () => {
      synth = await synthesizedApp(context);
    }, SYNTH_TIMEOUT_MS);
    const stack = () => synth.assembly.getStackByName(stackName);

    it('THEN it writes one environment-agnostic stack named for the flavor, with no lookups', () => {
      expect(synth.assembly.stacks.map((s) => s.stackName)).toEqual([stackName]);
      expect(stack().environment).toMatchObject({
        account: 'unknown-account',
        region: 'unknown-region',
      });
      expect(synth.assembly.manifest.missing ?? []).toEqual([]);
    });

    it("THEN the client's env points at the flavor's URL of the color backend", () => {
      type Container = { Name: string; Environment?: { Name: string; Value: string }[] };
      type Resource = { Type: string; Properties: { ContainerDefinitions?: Container[] } };
      const tasks = Object.values(stack().template.Resources as Record<string, Resource>)
        .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
        .flatMap((r) => r.Properties.ContainerDefinitions ?? []);
      const backends = tasks.flatMap((c) =>
        (c.Environment ?? []).filter((e) => e.Name === 'COLOR_BACKEND'),
      );
      expect(backends).toEqual([{ Name: 'COLOR_BACKEND', Value: colorUrl }]);
    });

    it('THEN each service image builds from the repository root with its own Dockerfile for ARM64', () => {
      const assets = JSON.parse(
        readFileSync(join(synth.outdir, `${stackName}.assets.json`), 'utf8'),
      ) as {
        dockerImages: Record<
          string,
          { source: { directory: string; dockerFile: string; platform: string } }
        >;
      };
      const images = Object.values(assets.dockerImages).map((image) => image.source);
      expect(images.map((i) => i.dockerFile).sort()).toEqual([
        'services/color-backend/Dockerfile',
        'services/color-client/Dockerfile',
      ]);
      for (const image of images) {
        expect(image.platform).toBe('linux/arm64');
        const staged = join(synth.outdir, image.directory);
        expect(existsSync(join(staged, 'package.json'))).toBe(true);
        expect(existsSync(join(staged, image.dockerFile))).toBe(true);
        // Heavy and private folders never reach the build context.
        for (const excluded of ['node_modules', '.git', 'cdk.out']) {
          expect(readdirSync(staged)).not.toContain(excluded);
        }
      }
    });

    it('THEN cdk-nag AwsSolutions, the Control Tower controls and CloudFormation validation report nothing unacknowledged', () => {
      const report = JSON.parse(
        readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8'),
      ) as {
        pluginReports: { pluginName: string; violations: unknown[] }[];
      };
      expect(report.pluginReports.map((r) => r.pluginName)).toEqual(
        expect.arrayContaining(['AwsSolutions', 'cdk-validator-cfnguard']),
      );
      for (const plugin of report.pluginReports)
        expect(plugin.violations, plugin.pluginName).toEqual([]);
    });

    it('THEN the plain-HTTP warning is acknowledged with its reason and no other warning remains', () => {
      const warnings = Object.values(stack().manifest.metadata ?? {})
        .flat()
        .filter((entry) => entry.type === 'aws:cdk:warning');
      expect(warnings).toEqual([]);
    });

    it("THEN the stack outputs the URL and the dashboard's URL", () => {
      const outputs = Object.keys(stack().template.Outputs as Record<string, unknown>).sort();
      expect(outputs).toEqual([
        expect.stringMatching(/^SystemDashboardUrl/),
        expect.stringMatching(/^SystemUrl/),
      ]);
    });
  },
);

describe('GIVEN the canary example (-c topology=examples/canary.topology.ts)', () => {
  it(
    'THEN appmesh sends red 80 and blue 20, each weight to its own version, after the header and cookie routes',
    async () => {
      const { assembly } = await synthesizedApp({ mesh: 'appmesh' }, 'examples/canary.topology.ts');
      const resources = Object.values(
        assembly.getStackByName('ColorTeller-appmesh').template.Resources as Record<
          string,
          { Type: string; Properties: Cfn }
        >,
      );
      const colorRoutes = resources
        .filter((r) => r.Type === 'AWS::AppMesh::Route')
        .map((r) => r.Properties.Spec)
        .filter((spec: Cfn) => JSON.stringify(spec).includes('SystemColor'))
        .sort((a: Cfn, b: Cfn) => a.Priority - b.Priority);
      // The target's node, by the version its logical ID is named after, with its weight.
      const targets = (spec: Cfn) =>
        spec.HttpRoute.Action.WeightedTargets.map(
          (t: Cfn) =>
            `${/^SystemColor(Red|Blue)/.exec(t.VirtualNode['Fn::GetAtt'][0])?.[1]} ${t.Weight}`,
        );
      expect(colorRoutes.map(targets)).toEqual([['Blue 1'], ['Blue 1'], ['Red 80', 'Blue 20']]);
      // A whole app with cdk-nag: on a loaded 2-core machine this took over 60 s.
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'THEN vpc-lattice renders its weights and routes',
    async () => {
      const { assembly } = await synthesizedApp(
        { mesh: 'vpc-lattice' },
        'examples/canary.topology.ts',
      );
      const resources = Object.values(
        assembly.getStackByName('ColorTeller-vpc-lattice').template.Resources as Record<
          string,
          { Type: string }
        >,
      );
      expect(resources.filter((r) => r.Type === 'AWS::VpcLattice::Rule')).toHaveLength(3);
      expect(resources.filter((r) => r.Type === 'AWS::VpcLattice::TargetGroup')).toHaveLength(2);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('THEN service-connect fails, naming the service and pointing to vpc-lattice, never to the retired appmesh', async () => {
    const failure = synthesizedApp({}, 'examples/canary.topology.ts');
    await expect(failure).rejects.toThrow(MeshValidationError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toMatch(
      /service "color" has 2 versions with steady weights \(red 80, blue 20\).*-c mesh=vpc-lattice/,
    );
    expect(message).not.toMatch(/appmesh|appMesh/i);
  });
});
