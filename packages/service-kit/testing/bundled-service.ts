import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleServer } from '../build/bundle-server.mjs';
import { spawnNode } from './spawned-process';
import type { SpawnedProcess } from './spawned-process';

export interface BundledService extends SpawnedProcess {
  /** Kills the process and removes the bundle's folder. */
  readonly dispose: () => Promise<void>;
}

/**
 * Bundles the service in `serviceDir` into a temporary folder outside the repository (so no
 * node_modules is in reach, as in the container) and starts it with `env`.
 */
export async function startBundledService(
  serviceDir: URL,
  env: Readonly<Record<string, string>>,
): Promise<BundledService> {
  const folder = await mkdtemp(join(tmpdir(), 'bundled-service-'));
  const outdir = join(folder, 'dist');
  await bundleServer(serviceDir, { outdir });
  const service = spawnNode([join(outdir, 'server.js')], { HOST: '127.0.0.1', PORT: '0', ...env });
  return {
    ...service,
    dispose: async () => {
      service.child.kill('SIGKILL');
      await rm(folder, { recursive: true, force: true });
    },
  };
}
