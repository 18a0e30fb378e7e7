// The systems a measure can need, each started at most once per run and stopped as soon as no
// measure left in the run needs it (see runMeasures in registry.ts).
import type { LocalMesh } from '@color-teller/local-mesh';
import { localHopTopology } from './measures/local-hop';
import {
  startDataPathSystem,
  startMesh,
  startTopology,
  type DataPathSystem,
} from './system-under-test';

/** A local mesh that started, or why it did not. */
export type MeshOrWhyNot = LocalMesh | { unavailable: string };

/** What each need starts. */
export interface Systems {
  /** Backend, gateway and baseline proxy bundles, and the default topology through the local mesh. */
  readonly dataPath: DataPathSystem;
  /** The canary example through the local mesh, live view off. */
  readonly canary: MeshOrWhyNot;
  /** The canary example with the live view on (`viewPort: 0`). */
  readonly canaryWithView: MeshOrWhyNot;
  /** One service behind one local router hop, live view on (measures/local-hop.ts). */
  readonly localHop: MeshOrWhyNot;
}

export type Need = keyof Systems;

interface Starter<N extends Need> {
  start(): Promise<Systems[N]>;
  stop(system: Systems[N]): Promise<void>;
}

const stopMesh = async (mesh: MeshOrWhyNot) => {
  if ('stop' in mesh) await mesh.stop();
};

export const STARTERS: { readonly [N in Need]: Starter<N> } = {
  dataPath: { start: startDataPathSystem, stop: (system) => system.stop() },
  canary: { start: () => startMesh('examples/canary.topology.ts'), stop: stopMesh },
  canaryWithView: {
    start: () => startMesh('examples/canary.topology.ts', { viewPort: 0 }),
    stop: stopMesh,
  },
  localHop: {
    start: () => startTopology(localHopTopology(process.execPath), { viewPort: 0 }),
    stop: stopMesh,
  },
};
