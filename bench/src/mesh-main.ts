// Runs a topology through the local mesh in a process of its own, as `npm start` does, so that
// the runner's CPU is counted with its children's and never with the load generator's.
// MESH_TOPOLOGY: the topology file; PORT: the ingress port; MESH_VIEW_PORT: the live view's
// port (absent: no view and no traces, as `--no-live-view`); MESH_VIEW_TRACES: the view's new
// traces a second (absent: the runner's default), as `--view-traces`.
import { startLocalMesh } from '@color-teller/local-mesh';
import { loadTopology } from '@color-teller/topology/load';
import { repoRoot } from './harness/paths';

const topologyFile = process.env.MESH_TOPOLOGY;
const ingressPort = Number(process.env.PORT);
const viewPort = process.env.MESH_VIEW_PORT ? Number(process.env.MESH_VIEW_PORT) : undefined;
const viewTraces = process.env.MESH_VIEW_TRACES;
if (!topologyFile || !Number.isInteger(ingressPort) || ingressPort <= 0) {
  console.error(`set MESH_TOPOLOGY (got ${topologyFile}) and PORT (got ${process.env.PORT})`);
  process.exit(1);
}
const mesh = await startLocalMesh({
  topology: await loadTopology(topologyFile),
  ingressPort,
  build: false,
  repoRoot,
  ...(viewPort === undefined ? {} : { viewPort }),
  ...(viewTraces === undefined ? {} : { viewTracesPerSecond: Number(viewTraces) }),
});
process.on('SIGTERM', () => void mesh.stop().then(() => process.exit(0)));
