import {
  MESH_FLAVORS,
  type MeshFlavorDescription,
  type MeshFlavorName,
} from '@color-teller/mesh-constructs';

/** A flavor of the library's list. */
type FlavorEntry = MeshFlavorDescription<MeshFlavorName>;
import { DEFAULT_FLAVOR, flavorEntry } from './options';

/** One run of the CDK CLI: its arguments (the app and common flags are added by the runner). */
export type CdkInvocation = readonly string[];

/** The value of `-c <key>=v`, `--context <key>=v` or `--context=<key>=v` in `args`. */
export function contextValue(args: readonly string[], key: string): string | undefined {
  const prefix = `${key}=`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const pair =
      arg === '-c' || arg === '--context'
        ? args[i + 1]
        : arg.startsWith('--context=')
          ? arg.slice('--context='.length)
          : undefined;
    if (pair?.startsWith(prefix)) return pair.slice(prefix.length);
  }
  return undefined;
}

/** The flavor named in `args`, else the default. */
export function flavorIn(args: readonly string[]): string {
  return contextValue(args, 'mesh') ?? DEFAULT_FLAVOR;
}

/** A command the runner refuses before it calls the CDK CLI. */
export class RefusedCommandError extends Error {
  override readonly name = 'RefusedCommandError';
}

/** Why a retired flavor never deploys, and what to deploy instead. */
export function retiredFlavorMessage(entry: FlavorEntry): string {
  const { on, successor } = entry.retired!;
  return `${entry.title} was retired by AWS on ${on}: its resources can no longer be created, so -c mesh=${entry.name} only synthesizes (npm run synth). Deploy -c mesh=${successor} instead (docs/migrate-from-app-mesh.md).`;
}

export interface CdkPlan {
  /** deploy|destroy: the CDK CLI's arguments (synth runs without the CLI: none). */
  readonly invocations: readonly CdkInvocation[];
  /** synth: the flavors to write, each into `<outRoot>/<flavor>/`, in the library's order. */
  readonly flavors: readonly string[];
  /** Flavors `synth` leaves out because they cannot express the topology, with the reasons. */
  readonly skipped: readonly { readonly flavor: string; readonly reasons: readonly string[] }[];
}

export interface CdkPlanOptions {
  /** @default 'cdk.out' */
  readonly outRoot?: string;
  /** Why a flavor cannot render the topology. @default - every flavor can */
  readonly problemsOf?: (entry: FlavorEntry) => readonly string[];
}

/**
 * The context `-c key=value` arguments give (values stay strings, as the CDK CLI passes them).
 * `synth` builds the apps itself, so any other argument is refused, all of them named at once.
 */
export function contextArgs(args: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  const refused: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const pair =
      arg === '-c' || arg === '--context'
        ? args[++i]
        : arg.startsWith('--context=')
          ? arg.slice('--context='.length)
          : undefined;
    const at = pair?.indexOf('=') ?? -1;
    if (pair === undefined || at < 1) refused.push(pair === undefined ? arg : `${arg} ${pair}`);
    else context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (refused.length > 0) {
    throw new RefusedCommandError(
      `npm run synth takes only -c key=value (context), not ${refused.map((a) => `"${a}"`).join(', ')}: for other CDK CLI options run npx cdk synth with them`,
    );
  }
  return context;
}

/**
 * What `npm run synth|deploy|destroy` runs: synth writes every flavor that can express the
 * topology into `<outRoot>/<flavor>/` (or only the one named by `-c mesh=`); deploy and destroy
 * act on one flavor through the CDK CLI, and a retired flavor never deploys. Other arguments
 * pass on (synth takes only `-c`).
 */
export function planCdk(
  command: string | undefined,
  rest: readonly string[],
  options: CdkPlanOptions = {},
): CdkPlan {
  const outRoot = options.outRoot ?? 'cdk.out';
  const named = contextValue(rest, 'mesh');
  const flavorArgs = (flavor: string) => (named ? [] : ['-c', `mesh=${flavor}`]);
  switch (command) {
    case 'synth': {
      contextArgs(rest);
      const entries = named ? [flavorEntry(named)] : MESH_FLAVORS;
      const checked = entries.map((entry) => ({
        entry,
        reasons: named ? [] : (options.problemsOf?.(entry) ?? []),
      }));
      return {
        invocations: [],
        flavors: checked.filter((c) => c.reasons.length === 0).map(({ entry }) => entry.name),
        skipped: checked
          .filter((c) => c.reasons.length > 0)
          .map(({ entry, reasons }) => ({ flavor: entry.name, reasons })),
      };
    }
    case 'deploy':
    case 'destroy': {
      const entry = flavorEntry(named);
      if (command === 'deploy' && entry.retired) {
        throw new RefusedCommandError(retiredFlavorMessage(entry));
      }
      return {
        invocations: [
          [command, ...flavorArgs(entry.name), '-o', `${outRoot}/${entry.name}`, ...rest],
        ],
        flavors: [],
        skipped: [],
      };
    }
    default:
      throw new Error(
        `unknown command "${command ?? ''}": use synth, deploy [-c mesh=<flavor>] or destroy [-c mesh=<flavor>]`,
      );
  }
}

/**
 * How `synth` spreads `flavors` over `processes` Node processes: the last `processes - 1`
 * flavors each in a process of their own, the rest in the runner's process. The runner has
 * already loaded the libraries, and a process's first synthesis pays for starting
 * aws-cdk-lib's validation engine, later ones little (bench/README.md, "Synthesis, taken apart").
 */
export function synthGroups(
  flavors: readonly string[],
  processes: number,
): { readonly here: readonly string[]; readonly apart: readonly string[] } {
  const apart = Math.min(Math.max(processes, 1), flavors.length) - 1;
  return {
    here: flavors.slice(0, flavors.length - apart),
    apart: flavors.slice(flavors.length - apart),
  };
}

/** `CDK_SYNTH_PROCESSES`: how many Node processes synth uses; 2 suits this project's 2 cores. */
export function synthProcesses(value: string | undefined): number {
  if (value === undefined || value === '') return 2;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new RefusedCommandError(
      `CDK_SYNTH_PROCESSES=${value} is not a count of processes: use a whole number from 1 (unset: 2)`,
    );
  }
  return count;
}

/** What the runner needs from the outside world; tests pass stand-ins. */
export interface CdkRunnerIo {
  /** Runs the CDK CLI with `args` (deploy, destroy); resolves to its exit status. */
  readonly spawn: (args: CdkInvocation) => Promise<number>;
  /** Runs `npm run synth <args>` in a process of its own; resolves to its exit status. */
  readonly spawnSynth: (args: readonly string[]) => Promise<number>;
  /** Synthesizes `flavor` in this process into `outdir`, with the context `args` give; throws on failure. */
  readonly synthesize: (flavor: string, outdir: string, args: readonly string[]) => Promise<void>;
  /** Empties an output folder before synthesis. */
  readonly clearOutdir: (outdir: string) => void;
  /** Why each flavor cannot render the topology named by `-c topology=` (or the default). */
  readonly problemsFor: (
    topologyFile: string | undefined,
  ) => Promise<(entry: FlavorEntry) => readonly string[]>;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
  /** @default 'cdk.out' */
  readonly outRoot?: string;
  /** How many Node processes synth uses (see {@link synthGroups}). @default 2 */
  readonly synthProcesses?: number;
}

/** `npm run synth|deploy|destroy [args]`: plans, refuses what must not run, then runs it. */
export async function runCdk(argv: readonly string[], io: CdkRunnerIo): Promise<number> {
  const [command, ...rest] = argv;
  let plan: CdkPlan;
  try {
    const problemsOf =
      command === 'synth' && contextValue(rest, 'mesh') === undefined
        ? await io.problemsFor(contextValue(rest, 'topology'))
        : undefined;
    plan = planCdk(command, rest, { outRoot: io.outRoot, problemsOf });
  } catch (error) {
    io.error((error as Error).message);
    return 2;
  }
  if (command !== 'synth') {
    const statuses = await Promise.all(plan.invocations.map((args) => io.spawn(args)));
    return statuses.find((status) => status !== 0) ?? 0;
  }
  for (const { flavor, reasons } of plan.skipped) {
    io.log(`skipped ${flavor}: it cannot express this topology:\n  - ${reasons.join('\n  - ')}`);
  }
  if (plan.flavors.length === 0) {
    io.error('no flavor can express this topology: fix the problems above');
    return 1;
  }
  return synthesizeFlavors(plan.flavors, rest, io);
}

/**
 * Writes each flavor into `<outRoot>/<flavor>/` without the CDK CLI, which would add a process
 * and its start-up per flavor. The processes of their own start first, then this one
 * synthesizes its share; a failing flavor does not stop the others, and fails the run.
 */
async function synthesizeFlavors(
  flavors: readonly string[],
  rest: readonly string[],
  io: CdkRunnerIo,
): Promise<number> {
  const outRoot = io.outRoot ?? 'cdk.out';
  const { here, apart } = synthGroups(flavors, io.synthProcesses ?? 2);
  const others = apart.map((flavor) => io.spawnSynth(['-c', `mesh=${flavor}`, ...rest]));
  let status = 0;
  for (const flavor of here) {
    const outdir = `${outRoot}/${flavor}`;
    // A fresh folder holds only this synthesis's assets (the App adds to an existing one).
    io.clearOutdir(outdir);
    try {
      await io.synthesize(flavor, outdir, rest);
      io.log(`synthesized into ${outdir}/`);
    } catch (error) {
      io.error(`${flavor}: ${(error as Error).message}`);
      status = 1;
    }
  }
  const statuses = await Promise.all(others);
  return statuses.find((s) => s !== 0) ?? status;
}
