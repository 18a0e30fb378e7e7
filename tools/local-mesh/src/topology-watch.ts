import { unwatchFile, watchFile } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TopologyError } from '@color-teller/topology';
import type { Topology } from '@color-teller/topology';
import type { AppliedEdit, TopologyEditor } from './applied-edit';

/**
 * Follows a topology file while the system runs: each saved edit is imported afresh and applied
 * with `mesh.applyTopology`; an edit that fails is refused with its reason, and the running
 * topology stays. Returns a function that stops watching.
 */
export function watchTopologyFile(
  file: string,
  mesh: TopologyEditor,
  onLog: (line: string) => void,
): () => void {
  const path = resolve(file);
  let generation = 0;
  const onChange = () => {
    generation += 1;
    // A new query string makes the module loader import the edited file, not its cached copy.
    import(`${pathToFileURL(path).href}?edit=${generation}`)
      .then(async (module: { default?: Topology }) => {
        if (!module.default) throw new Error('the file has no default export');
        onLog(
          `[local-mesh] topology edit applied: ${describe(await mesh.applyTopology(module.default))}`,
        );
      })
      .catch((error: unknown) =>
        onLog(
          `[local-mesh] topology edit refused, the last good topology stays: ${reasonOf(error)}`,
        ),
      );
  };
  // Stat polling 10 times a second: editors that replace the file are seen as well as in-place writes.
  watchFile(path, { interval: 100, persistent: false }, onChange);
  return () => unwatchFile(path, onChange);
}

function reasonOf(error: unknown): string {
  if (error instanceof TopologyError) return error.problems.join('; ');
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function describe(edit: AppliedEdit): string {
  const parts = [`routers of ${edit.routers.join(', ') || 'none'} updated`];
  if (edit.started.length > 0) parts.push(`started ${edit.started.join(', ')}`);
  if (edit.stopped.length > 0) parts.push(`stopped ${edit.stopped.join(', ')}`);
  return parts.join('; ');
}
