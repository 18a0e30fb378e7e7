// Runs the CDK CLI on the app with the options every command shares (see lib/cli.ts):
//   synth            every flavor that can express the topology, each into cdk.out/<flavor>/, in parallel
//   deploy|destroy   one flavor (`-c mesh=<flavor>`, default service-connect); more args pass on
// CDK_OUT_ROOT moves the output folder (the tests synthesize into a temporary one).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTopology } from '@color-teller/topology/load';
import { DEFAULT_TOPOLOGY_FILE } from '../lib/app';
import { runCdk } from '../lib/cli';
import { flavorProblems } from '../lib/options';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdkBin = fileURLToPath(new URL('../../node_modules/aws-cdk/bin/cdk', import.meta.url));

function spawnCdk(args: readonly string[]): Promise<number> {
  const child = spawn(
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
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

process.exitCode = await runCdk(process.argv.slice(2), {
  spawn: spawnCdk,
  clearOutdir: (outdir) => rmSync(resolve(root, outdir), { recursive: true, force: true }),
  problemsFor: async (file) => {
    // As in bin/app.ts: a file given on the command line is relative to where the command runs.
    const topology = file
      ? await loadTopology(file, process.cwd())
      : await loadTopology(DEFAULT_TOPOLOGY_FILE, root);
    return (entry) => flavorProblems(topology, entry);
  },
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  outRoot: process.env.CDK_OUT_ROOT,
});
