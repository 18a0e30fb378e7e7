import { fileURLToPath } from 'node:url';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Polls of the page in the browser tests: fast, so that "within two polls" stays short. */
export const POLL_MS = 500;

/**
 * Starts a topology file of the repository on a free ingress port, building what is stale.
 * Restarts wait 3 s, so that a killed backend stays down long enough for the page to notice.
 */
export async function startTopology(file: string, lines: string[] = []): Promise<LocalMesh> {
  const topology = await loadTopology(file, REPO_ROOT);
  return startLocalMesh({
    topology,
    ingressPort: 0,
    onLog: (line) => {
      lines.push(line);
      if (lines.length > 2000) lines.splice(0, 1000);
    },
    restartBackoff: { initialMs: 3000 },
  });
}

/** The page with fast polling (`?pollMs=`, which the page accepts from 100 ms up). */
export function pageUrl(mesh: LocalMesh, pollMs: number = POLL_MS): string {
  return `${mesh.url}/?pollMs=${pollMs}`;
}
