import { startLocalMesh, type LocalMesh } from '@color-teller/local-mesh';
import { loadTopology } from '@color-teller/topology/load';
import type { Topology } from '@color-teller/topology';
import path from 'node:path';
import { passthroughProxyMain, repoRoot } from './harness/paths';
import {
  spawnHttpProcess,
  startBackendAndGateway,
  type ServiceProcess,
} from './harness/service-process';

/** Everything the data path runs against, started once and stopped together. */
export interface DataPathSystem {
  readonly backend: ServiceProcess;
  readonly gateway: ServiceProcess;
  readonly baseline: ServiceProcess;
  /** The default topology through the local mesh, or why it did not start. */
  readonly mesh: LocalMesh | { unavailable: string };
  stop(): Promise<void>;
}

/** Runs a topology file through the local mesh on a free ingress port. */
export async function startMesh(
  topologyFile: string,
  options: { readonly viewPort?: number } = {},
): Promise<LocalMesh | { unavailable: string }> {
  try {
    return await startTopology(await loadTopology(path.join(repoRoot, topologyFile)), options);
  } catch (error) {
    return {
      unavailable: `local mesh (${topologyFile}) did not start: ${(error as Error).message}`,
    };
  }
}

/** Runs a topology through the local mesh on a free ingress port, or says why it did not start. */
export async function startTopology(
  topology: Topology,
  options: { readonly viewPort?: number } = {},
): Promise<LocalMesh | { unavailable: string }> {
  try {
    return await startLocalMesh({ topology, ingressPort: 0, build: false, repoRoot, ...options });
  } catch (error) {
    return {
      unavailable: `local mesh (${topology.name}) did not start: ${(error as Error).message}`,
    };
  }
}

export async function startDataPathSystem(): Promise<DataPathSystem> {
  const { backend, client } = await startBackendAndGateway();
  const baseline = await spawnHttpProcess({
    name: 'baseline proxy',
    args: ['--import', 'tsx', passthroughProxyMain],
    env: { UPSTREAM: backend.url },
  });
  const mesh = await startMesh('color-teller.topology.ts');
  return {
    backend,
    gateway: client,
    baseline,
    mesh,
    async stop() {
      await Promise.all([
        client.stop(),
        backend.stop(),
        baseline.stop(),
        'stop' in mesh ? mesh.stop() : Promise.resolve(),
      ]);
    },
  };
}
