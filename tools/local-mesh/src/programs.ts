import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { LocalMeshError } from './errors';

/** Where `program` would be run from in `cwd`, or undefined when it is not an executable file. */
export function findProgram(
  program: string,
  cwd: string,
  path: string | undefined,
): string | undefined {
  // A name with a slash is a file (relative to the service's folder); a bare name is looked up on PATH.
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : join(cwd, program)]
    : (path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether the runner starts this service from its `command` (any language) rather than a Node bundle. */
export const runsCommand = (service: ServiceSpec): boolean => service.command !== undefined;

/**
 * What stops `npm start` from running these services, each naming the service and the fix: a
 * service with only an `image` (nothing to run here), a `command` whose folder or program is
 * missing. Checked before anything is built or started, all at once.
 */
export function localRunProblems(
  topology: Topology,
  repoRoot: string,
  path: string | undefined = process.env.PATH,
): string[] {
  const problems: string[] = [];
  for (const service of topology.services) {
    const at = `service "${service.name}"`;
    if (!service.command) {
      if (service.image) {
        problems.push(
          `${at} has only an image (${service.image}), which runs in the cloud but not here: add a "command" that starts its code in ${service.codePath}, e.g. ["python3", "server.py"]`,
        );
      }
      continue;
    }
    const dir = join(repoRoot, service.codePath);
    if (!isDirectory(dir)) {
      problems.push(
        `${at}: codePath ${service.codePath} is not a folder: create it, or point codePath at the folder its command runs in`,
      );
      continue;
    }
    const program = service.command[0]!;
    if (!findProgram(program, dir, path)) {
      problems.push(
        program.includes('/')
          ? `${at}: command "${program}" is not an executable file in ${service.codePath}: fix the path in "command", or make it executable (chmod +x)`
          : `${at}: command "${program}" was not found on PATH: install it, or fix "command" in the topology`,
      );
    }
  }
  return problems;
}

/** Throws one LocalMeshError listing every {@link localRunProblems}. */
export function assertRunnableHere(topology: Topology, repoRoot: string): void {
  const problems = localRunProblems(topology, repoRoot);
  if (problems.length > 0) throw new LocalMeshError(problems.join('; '));
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
