// `npm run synth|deploy|destroy` (see lib/cli.ts):
//   synth            every flavor that can express the topology, each into cdk.out/<flavor>/, built
//                    here without the CDK CLI, in CDK_SYNTH_PROCESSES Node processes (default 2)
//   deploy|destroy   one flavor through the CDK CLI (`-c mesh=<flavor>`, default service-connect)
// CDK_OUT_ROOT moves the output folder (the tests synthesize into a temporary one).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Topology } from '@color-teller/topology';
import { loadTopology } from '@color-teller/topology/load';
import { DEFAULT_TOPOLOGY_FILE } from '../lib/app';
import { contextArgs, runCdk, synthProcesses } from '../lib/cli';
import { flavorProblems } from '../lib/options';
import { synthesizeFlavor } from '../lib/synth';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdkBin = fileURLToPath(new URL('../../node_modules/aws-cdk/bin/cdk', import.meta.url));

/** Runs `args` with Node; resolves to its exit status. */
function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', env });
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function spawnCdk(args: readonly string[]): Promise<number> {
  const app = `"${process.execPath}" --import tsx infra/bin/app.ts`;
  // Offline and without credentials until AWS is called: no version check, no telemetry.
  return run([cdkBin, ...args, '--app', app, '--no-notices'], root, {
    ...process.env,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  });
}

/** `npm run synth <args>` in a process of its own, where this one runs (for relative topologies). */
function spawnSynth(args: readonly string[]): Promise<number> {
  const script = fileURLToPath(import.meta.url);
  return run(['--import', 'tsx', script, 'synth', ...args], process.cwd(), process.env);
}

const topologies = new Map<string, Promise<Topology>>();
/** The topology `-c topology=` names (relative to where the command runs), else the default. */
function topologyFor(file: string | undefined): Promise<Topology> {
  const key = file ?? '';
  if (!topologies.has(key)) {
    topologies.set(
      key,
      file ? loadTopology(file, process.cwd()) : loadTopology(DEFAULT_TOPOLOGY_FILE, root),
    );
  }
  return topologies.get(key)!;
}

try {
  process.exitCode = await runCdk(process.argv.slice(2), {
    spawn: spawnCdk,
    spawnSynth,
    synthesize: async (flavor, outdir, args) => {
      const context = contextArgs(args);
      const topology = await topologyFor(context.topology);
      synthesizeFlavor({ flavor, outdir: resolve(root, outdir), context, topology });
    },
    clearOutdir: (outdir) => rmSync(resolve(root, outdir), { recursive: true, force: true }),
    problemsFor: async (file) => {
      const topology = await topologyFor(file);
      return (entry) => flavorProblems(topology, entry);
    },
    log: (line) => console.log(line),
    error: (line) => console.error(line),
    outRoot: process.env.CDK_OUT_ROOT,
    synthProcesses: synthProcesses(process.env.CDK_SYNTH_PROCESSES),
  });
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
