import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TopologyLoadError } from './errors';
import type { Topology } from './types';
import { validateTopology } from './validate';

/**
 * Imports a topology file (TypeScript needs a TS-aware runtime such as tsx or Vitest), takes its
 * default export and validates it. A missing file, a failing import or a missing default export
 * throws a {@link TopologyLoadError} with a one-line message; an invalid topology throws
 * `TopologyError`.
 */
export async function loadTopology(file: string, cwd: string = process.cwd()): Promise<Topology> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new TopologyLoadError(
      `Topology file not found: ${path} (check the path given to --topology)`,
    );
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TopologyLoadError(`Topology file ${path} could not be imported: ${reason}`);
  }
  const topology = module.default;
  if (typeof topology !== 'object' || topology === null) {
    throw new TopologyLoadError(
      `Topology file ${path} has no default export: end it with "export default defineTopology({ ... })"`,
    );
  }
  return validateTopology(topology as Topology);
}
