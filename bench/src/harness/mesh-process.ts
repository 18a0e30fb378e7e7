import path from 'node:path';
import { freePorts } from '@color-teller/local-mesh';
import { repoRoot } from './paths';
import { spawnHttpProcess } from './service-process';

/** A local mesh whose runner is a process of its own (bench/src/mesh-main.ts). */
export interface MeshProcess {
  /** The ingress, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The live view, when it runs. */
  readonly viewUrl?: string;
  /** The runner's pid: the root of the mesh's process tree. */
  readonly pid: number;
  stop(): Promise<void>;
}

const meshMain = path.join(repoRoot, 'bench/src/mesh-main.ts');

/**
 * Starts `topologyFile` through the local mesh in its own process, with the live view or
 * without it (and then without traces), and resolves once `readyPath` answers 200 through the
 * ingress: every hop of that path is up.
 */
export async function startMeshProcess(
  topologyFile: string,
  options: {
    readonly liveView: boolean;
    readonly readyPath: string;
    /** The view's new traces a second. @default - the runner's */
    readonly viewTraces?: number;
  },
): Promise<MeshProcess> {
  const viewPort = options.liveView ? (await freePorts(1))[0]! : undefined;
  const runner = await spawnHttpProcess({
    name: `local mesh (${topologyFile})`,
    args: ['--import', 'tsx', meshMain],
    env: {
      MESH_TOPOLOGY: path.join(repoRoot, topologyFile),
      // E.g. `--import=<a module that starts the inspector's profiler>`: it reaches every child.
      ...(process.env.BENCH_MESH_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_MESH_NODE_OPTIONS }
        : {}),
      ...(viewPort === undefined ? {} : { MESH_VIEW_PORT: String(viewPort) }),
      ...(options.viewTraces === undefined ? {} : { MESH_VIEW_TRACES: String(options.viewTraces) }),
    },
    healthPath: options.readyPath,
    deadlineMs: 60_000,
  });
  return {
    url: runner.url,
    ...(viewPort === undefined ? {} : { viewUrl: `http://127.0.0.1:${viewPort}` }),
    pid: runner.pid,
    stop: async () => {
      await runner.stop('SIGTERM', 15_000);
    },
  };
}
