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
  readonly invocations: readonly CdkInvocation[];
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
 * What `npm run synth|deploy|destroy` runs: synth writes every flavor that can express the
 * topology into `<outRoot>/<flavor>/` (or only the one named by `-c mesh=`); deploy and destroy
 * act on one flavor, and a retired flavor never deploys. Other arguments pass on.
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
      const entries = named ? [flavorEntry(named)] : MESH_FLAVORS;
      const checked = entries.map((entry) => ({
        entry,
        reasons: named ? [] : (options.problemsOf?.(entry) ?? []),
      }));
      return {
        invocations: checked
          .filter((c) => c.reasons.length === 0)
          .map(({ entry }) => [
            'synth',
            '--quiet',
            ...flavorArgs(entry.name),
            '-o',
            `${outRoot}/${entry.name}`,
            ...rest,
          ]),
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
        skipped: [],
      };
    }
    default:
      throw new Error(
        `unknown command "${command ?? ''}": use synth, deploy [-c mesh=<flavor>] or destroy [-c mesh=<flavor>]`,
      );
  }
}

/** What the runner needs from the outside world; tests pass stand-ins. */
export interface CdkRunnerIo {
  /** Runs the CDK CLI with `args`; resolves to its exit status. */
  readonly spawn: (args: CdkInvocation) => Promise<number>;
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
}

/** `npm run synth|deploy|destroy [args]`: plans, refuses what must not run, then runs the CLI. */
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
  for (const { flavor, reasons } of plan.skipped) {
    io.log(`skipped ${flavor}: it cannot express this topology:\n  - ${reasons.join('\n  - ')}`);
  }
  if (plan.invocations.length === 0) {
    io.error('no flavor can express this topology: fix the problems above');
    return 1;
  }
  // Each flavor synthesizes in its own process, all at once: most of a synthesis is one
  // single-threaded process (module loading, validation), so flavors side by side use every core.
  const statuses = await Promise.all(
    plan.invocations.map(async (args) => {
      const outdir = args[args.indexOf('-o') + 1]!;
      // The CLI adds to an existing assembly folder; a fresh one holds only this synthesis's assets.
      if (command === 'synth') io.clearOutdir(outdir);
      const status = await io.spawn(args);
      if (status === 0 && command === 'synth') io.log(`synthesized into ${outdir}/`);
      return status;
    }),
  );
  return statuses.find((status) => status !== 0) ?? 0;
}
