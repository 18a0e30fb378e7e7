// The systems a measure can need, each started at most once per run and stopped as soon as no
// measure left in the run needs it (see runMeasures in registry.ts).
import type { LocalMesh } from '@color-teller/local-mesh';
import { startMeshProcess, type MeshProcess } from './harness/mesh-process';
import { localHopTopology } from './measures/local-hop';
import { startDataPathSystem, startTopology, type DataPathSystem } from './system-under-test';

/** A local mesh that started, or why it did not. */
export type MeshOrWhyNot = LocalMesh | { unavailable: string };
/** A local mesh in a process tree of its own, or why it did not start. */
export type MeshProcessOrWhyNot = MeshProcess | { unavailable: string };

/** What each need starts. */
export interface Systems {
  /** Backend, gateway and baseline proxy bundles, and the default topology through the local mesh. */
  readonly dataPath: DataPathSystem;
  /** The canary example through the local mesh (its runner a process of its own), live view off. */
  readonly canary: MeshProcessOrWhyNot;
  /** The same with the live view on, as `npm start` runs it by default. */
  readonly canaryWithView: MeshProcessOrWhyNot;
  /** The same with the live view on and its traces off (`--view-traces 0`). */
  readonly canaryWithViewNoTraces: MeshProcessOrWhyNot;
  /** One service behind one local router hop, live view on (measures/local-hop.ts). */
  readonly localHop: MeshOrWhyNot;
}

export type Need = keyof Systems;

interface Starter<N extends Need> {
  start(): Promise<Systems[N]>;
  stop(system: Systems[N]): Promise<void>;
}

const stopMesh = async (mesh: MeshOrWhyNot | MeshProcessOrWhyNot) => {
  if ('stop' in mesh) await mesh.stop();
};

const CANARY = 'examples/canary.topology.ts';
const startCanary = (liveView: boolean, viewTraces?: number): Promise<MeshProcessOrWhyNot> =>
  startMeshProcess(CANARY, {
    liveView,
    readyPath: '/gateway/color/color',
    ...(viewTraces === undefined ? {} : { viewTraces }),
  }).catch((error: unknown) => ({
    unavailable: `local mesh (${CANARY}) did not start: ${(error as Error).message}`,
  }));

export const STARTERS: { readonly [N in Need]: Starter<N> } = {
  dataPath: { start: startDataPathSystem, stop: (system) => system.stop() },
  canary: { start: () => startCanary(false), stop: stopMesh },
  canaryWithView: { start: () => startCanary(true), stop: stopMesh },
  canaryWithViewNoTraces: { start: () => startCanary(true, 0), stop: stopMesh },
  localHop: {
    start: () => startTopology(localHopTopology(process.execPath), { viewPort: 0 }),
    stop: stopMesh,
  },
};
