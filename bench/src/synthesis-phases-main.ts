// One flavor's synthesis taken apart, in a fresh process: what loading, building and each
// validation plugin cost. Prints one JSON line { phase: CPU ms }. Run by measures/synthesis.ts.
// CPU time, not wall time, so that a busy machine changes the figures little: user + system of
// this process and of the children it waited for (cfn-guard runs as one), from /proc (Linux).
import { readFileSync } from 'node:fs';

const ticksPerSec = 100; // Linux's USER_HZ: /proc counts CPU time in hundredths of a second.

function cpuMs(): number {
  // Fields after the command name: utime, stime, cutime, cstime are the 12th to 15th.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
  return (ticks * 1000) / ticksPerSec;
}

let last = cpuMs();
const phases: Record<string, number> = {};
function phase(name: string): void {
  const now = cpuMs();
  phases[name] = Math.round(now - last);
  last = now;
}

const cdk = await import('aws-cdk-lib');
phase('load aws-cdk-lib');
const { AwsSolutionsChecks } = await import('cdk-nag');
const { CfnGuardValidator } = await import('@cdklabs/cdk-validator-cfnguard');
phase('load cdk-nag and the cfn-guard plugin');
const mesh = await import('@color-teller/mesh-constructs');
const { ContainerImage } = await import('aws-cdk-lib/aws-ecs');
const { loadTopology } = await import('@color-teller/topology/load');
const { ColorTellerStack } = await import('../../infra/lib/color-teller-stack');
const { REPOSITORY_ROOT, DEFAULT_TOPOLOGY_FILE } = await import('../../infra/lib/app');
const { featureFlags } = await import('../../infra/lib/feature-flags');
const { CDK_CLI_CONTEXT } = await import('../../infra/lib/synth');
phase('load the construct library and the app (tsx transpiles TypeScript)');

const topology = await loadTopology(DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT);
const flavor = process.argv[2] ?? 'service-connect';
const entry = mesh.MESH_FLAVORS.find((e) => e.name === flavor);
if (!entry) throw new Error(`unknown flavor "${flavor}"`);
const flags = featureFlags(REPOSITORY_ROOT);

type Variant =
  'registry images' | 'images from the repository' | 'cfn-validate' | 'cdk-nag' | 'cfn-guard';

/**
 * A fresh app with the flavor's stack, with the context `npm run synth` gives it, synthesized into
 * a temporary folder. Every variant but 'images from the repository' uses registry images (no
 * asset staging) and one validation at most. aws-cdk-lib's CloudFormation validation runs
 * whatever `@aws-cdk/core:validateAgainstDefaultRules` says (the flag only decides whether its
 * errors fail synthesis); `builtinCloudFormationValidation` is what turns it off.
 */
function synthesize(variant: Variant): void {
  const app = new cdk.App({
    context: { ...CDK_CLI_CONTEXT, ...flags },
    builtinCloudFormationValidation: variant === 'cfn-validate',
  });
  new ColorTellerStack(app, `ColorTeller-${flavor}`, {
    topology,
    flavor: mesh.MeshFlavor.named(entry!.name),
    image:
      variant === 'images from the repository'
        ? mesh.imagesFromRepository(REPOSITORY_ROOT)
        : (service) => ContainerImage.fromRegistry(`example.com/${service.name}:bench`),
  });
  if (variant === 'cdk-nag') cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (variant === 'cfn-guard') cdk.Validations.of(app).addPlugins(new CfnGuardValidator());
  app.synth();
}

synthesize('registry images');
phase('first synthesis in the process (tree, template, no validation)');
synthesize('cfn-validate');
phase('first validation');
const firstValidation = phases['first validation']!;
delete phases['first validation'];
// Later syntheses are warm; each variant runs twice and keeps its cheaper run.
const variants: Variant[] = [
  'registry images',
  'images from the repository',
  'cfn-validate',
  'cdk-nag',
  'cfn-guard',
];
const warm: Record<string, number> = {};
for (const variant of [...variants, ...variants]) {
  synthesize(variant);
  phase('warm');
  warm[variant] = Math.min(warm[variant] ?? Infinity, phases.warm!);
}
delete phases.warm;
const core = warm['registry images']!;
phases[
  'the validation engine starts: first CloudFormation validation in the process, beyond a warm one'
] = Math.max(0, firstValidation - warm['cfn-validate']!);
phases['a warm synthesis (tree, template, no validation)'] = core;
for (const variant of variants.slice(1)) {
  phases[`${variant}: added to a warm synthesis`] = Math.max(0, warm[variant]! - core);
}
process.stdout.write(`${JSON.stringify(phases)}\n`);
