// Runs the CDK CLI on the app with the options every command shares (see lib/cli.ts):
//   synth            both flavors into cdk.out/service-connect/ and cdk.out/appmesh/
//   deploy|destroy   one flavor (`-c mesh=appmesh`, default service-connect); more args pass on
// CDK_OUT_ROOT moves the output folder (the tests synthesize into a temporary one).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdkInvocations } from '../lib/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdkBin = fileURLToPath(new URL('../../node_modules/aws-cdk/bin/cdk', import.meta.url));

function run(args: readonly string[]): number {
  const result = spawnSync(
    process.execPath,
    [
      cdkBin,
      ...args,
      '--app',
      `"${process.execPath}" --import tsx infra/bin/app.ts`,
      '--no-notices',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      // Synthesis works offline and without credentials: no version check, no telemetry.
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    },
  );
  return result.status ?? 1;
}

function main(): number {
  const [command, ...rest] = process.argv.slice(2);
  let invocations;
  try {
    invocations = cdkInvocations(command, rest, process.env.CDK_OUT_ROOT);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  for (const args of invocations) {
    const outdir = args[args.indexOf('-o') + 1]!;
    // The CLI adds to an existing assembly folder; a fresh one holds only this synthesis's assets.
    if (command === 'synth') rmSync(resolve(root, outdir), { recursive: true, force: true });
    const status = run(args);
    if (status !== 0) return status;
    if (command === 'synth') console.log(`synthesized into ${outdir}/`);
  }
  return 0;
}

process.exit(main());
