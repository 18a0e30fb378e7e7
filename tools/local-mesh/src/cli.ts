// `npm start [-- --topology <file>] [--no-build]`: runs a topology on this machine.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, styleText } from 'node:util';
import { TopologyError, TopologyLoadError } from '@color-teller/topology';
import { loadTopology } from '@color-teller/topology/load';
import { LocalMeshError, startLocalMesh } from './index';
import type { LocalMesh } from './index';
import { BoundedOutput } from './bounded-output';
import { formatProcessTable, titleOf } from './report';
import { watchTopologyFile } from './topology-watch';
import { viewPortNextTo } from './view/view-port';
import { viewTracesPerSecondOf } from './view/view-tracing';

const DEFAULT_TOPOLOGY = fileURLToPath(
  new URL('../../../color-teller.topology.ts', import.meta.url),
);

const USAGE = `Usage: npm start -- [--topology <file>] [--no-build] [--no-live-view] [--view-traces <n>]
  --topology <file>  topology to run (default: color-teller.topology.ts)
  --no-build         skip building stale services
  --no-live-view     no live view (and no traces): the view listens next to the ingress otherwise
  --view-traces <n>  new traces a second the view samples (default 2; 0 = none, and no tracing
                     cost: the view's request figures stay exact)
  PORT=<n>           ingress port (default 8080; 0 = any free port)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      topology: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'no-live-view': { type: 'boolean', default: false },
      'view-traces': { type: 'string' },
      // The flag's first name: "dashboard" is the CloudWatch dashboard everywhere else.
      'no-dashboard': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const ingressPort = portFromEnv(process.env.PORT);
  // npm runs scripts from the root; a relative --topology is meant from where the user typed it.
  const topologyFile = values.topology
    ? resolve(process.env.INIT_CWD ?? process.cwd(), values.topology)
    : DEFAULT_TOPOLOGY;
  const topology = await loadTopology(topologyFile);

  // Set once start-up is done; until then a signal just exits (see below).
  const running: { mesh?: LocalMesh } = {};
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[local-mesh] ${signal}: stopping every process`);
    // Before start-up finished: exiting kills the children (the supervisor's exit hook).
    if (!running.mesh) process.exit(130);
    running.mesh.stop().then(
      () => {
        console.log('[local-mesh] stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A closed terminal or a dropped SSH session: stop as for Ctrl-C rather than die in place.
  process.on('SIGHUP', shutdown);

  const colorize = process.stdout.isTTY ? colorPrefix : (line: string) => line;
  const output = new BoundedOutput(process.stdout);
  if (values['no-dashboard']) console.log('[local-mesh] --no-dashboard is now --no-live-view');
  const viewPort =
    values['no-live-view'] || values['no-dashboard']
      ? undefined
      : await viewPortNextTo(ingressPort ?? topology.ingress.port ?? 8080);
  const mesh = await startLocalMesh({
    topology,
    ingressPort,
    ...(viewPort === undefined ? {} : { viewPort }),
    ...(values['view-traces'] === undefined
      ? {}
      : { viewTracesPerSecond: viewTracesPerSecondOf(values['view-traces'], '--view-traces') }),
    build: !values['no-build'],
    onLog: (line) => output.writeLine(colorize(line)),
  });
  running.mesh = mesh;
  watchTopologyFile(topologyFile, mesh, (line) => output.writeLine(line));
  const shownUrl = mesh.url.replace('127.0.0.1', 'localhost');
  console.log(formatProcessTable(mesh.processes, mesh.url, shownUrl));
  if (mesh.viewUrl) {
    console.log(`Live mesh view at ${mesh.viewUrl.replace('127.0.0.1', 'localhost')}`);
  }
  console.log(`${titleOf(topology.name)} is up at ${shownUrl}`);
}

function portFromEnv(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new LocalMeshError(`PORT=${raw} is not a port: use an integer from 0 to 65535`);
  }
  return port;
}

const PALETTE = ['cyan', 'magenta', 'yellow', 'green', 'blue'] as const;
const assigned = new Map<string, (typeof PALETTE)[number]>();

/** Colors a line's `[service version]` prefix, one color per process, on a terminal. */
function colorPrefix(line: string): string {
  const match = /^(\[[^\]]+\])(.*)$/s.exec(line);
  if (!match) return line;
  const label = match[1]!;
  if (!assigned.has(label)) assigned.set(label, PALETTE[assigned.size % PALETTE.length]!);
  return styleText(assigned.get(label)!, label) + match[2];
}

main().catch((error: unknown) => {
  // Errors the user can fix are told in their own words; anything else in one line too.
  const known =
    error instanceof LocalMeshError ||
    error instanceof TopologyError ||
    error instanceof TopologyLoadError;
  const message =
    error instanceof TopologyError
      ? `topology "${error.topologyName}" is invalid: ${error.problems.join('; ')}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(known ? `local-mesh: ${message}` : `local-mesh: unexpected error: ${message}`);
  process.exit(1);
});
