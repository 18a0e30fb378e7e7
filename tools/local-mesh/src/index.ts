import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { validateTopology } from '@color-teller/topology';
import type { Topology } from '@color-teller/topology';
import { buildStale } from './build';
import { LocalMeshError } from './errors';
import { waitForHealthy } from './health';
import { HealthWatch } from './health-watch';
import type { HealthCheckOptions } from './health-watch';
import { lifelineArgs, lifelineEnv } from './lifeline';
import { routerPlansFor } from './live-topology';
import { ROUTER_FILE_ENV } from './router/live-config';
import { planMesh, portsNeeded, ROUTER_CONFIG_ENV } from './plan';
import { egressArgs, routerArgs } from './router/command';
import type { PlannedProcess } from './plan';
import { assertPortFree, freePorts } from './ports';
import { Supervisor } from './supervisor';
import { MeshView } from './view/mesh-view';
import { ProcessStates } from './view/process-states';
import { startViewServer } from './view/view-server';
import type { ViewServer } from './view/view-server';
import type { BackoffOptions, ExitEvent, ProcessSpec } from './supervisor';

export { LocalMeshError } from './errors';
export { freePorts } from './ports';
export { watchTopologyFile } from './topology-watch';
export type { PlannedProcess } from './plan';
export type { BackoffOptions } from './supervisor';
export type { HealthCheckOptions } from './health-watch';

export interface LocalMeshProcess {
  readonly service: string;
  /** The version's name, or `router`. */
  readonly version: string;
  readonly role: 'service' | 'router' | 'egress';
  readonly url: string;
  /** The current pid; it changes when the process is restarted (0 while it is down). */
  readonly pid: number;
}

export interface LocalMesh {
  /** The ingress, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The live view, when `viewPort` was given. */
  readonly viewUrl?: string;
  readonly processes: readonly LocalMeshProcess[];
  /**
   * Applies a changed topology's weights and routes to the running routers (within a second, no
   * restart). Throws, keeping the running topology, when it is invalid or changes anything else.
   * @returns the services whose routers got a new plan
   */
  applyTopology(next: Topology): string[];
  /** Signals one process (default SIGKILL, a crash); the supervisor restarts it with backoff. */
  kill(service: string, version: string, signal?: NodeJS.Signals): void;
  /** Stops every process: SIGTERM, SIGKILL after 8 s. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalMeshOptions {
  readonly topology: Topology;
  /** Port of the ingress; 0 picks a free one. @default topology.ingress.port, else 8080 */
  readonly ingressPort?: number;
  /** Run `npm run build` in every service whose build is stale first. @default true */
  readonly build?: boolean;
  /** Every log line of every process, prefixed `[service version]`. @default - dropped */
  readonly onLog?: (line: string) => void;
  /** The repository the topology's code paths are relative to. @default - this repository */
  readonly repoRoot?: string;
  /** Longest wait for every health path at start-up. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Delays before restarting a dead process. @default - 250 ms doubling up to 8 s */
  readonly restartBackoff?: BackoffOptions;
  /** Health checks once the system is up. @default - every 5 s, 2 s timeout, restart after 3 failures */
  readonly healthCheck?: HealthCheckOptions;
  /**
   * Port of the live view (graph, request figures, process states, traces), which also receives
   * the services' spans over OTLP/HTTP; 0 picks a free one. @default - no view, no tracing
   */
  readonly viewPort?: number;
  /**
   * PEM file of certificate authorities the egress forwarders trust besides Node's own, e.g. a
   * local stand-in's for an external (certificates are always checked). @default - Node's own only
   */
  readonly egressCaFile?: string;
}

const DEFAULT_REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STOP_GRACE_MS = 8000;

/**
 * Starts the topology on loopback: builds what is stale, runs one process per service version
 * (and a router where a service has several versions or routes), waits for every health path,
 * then resolves. Fails with a one-line LocalMeshError (or TopologyError) and leaves nothing running.
 */
export async function startLocalMesh(options: LocalMeshOptions): Promise<LocalMesh> {
  const topology = validateTopology(options.topology);
  const repoRoot = options.repoRoot ?? DEFAULT_REPO_ROOT;
  const onLog = options.onLog ?? (() => {});

  // A taken port fails at once, before a build that may take a while.
  const ingressPort = await chooseIngressPort(options.ingressPort ?? topology.ingress.port ?? 8080);
  const serviceDirs = topology.services.map((s) => join(repoRoot, s.codePath));
  if (options.build ?? true) await buildStale(serviceDirs, repoRoot, onLog);
  const ports = await freePorts(portsNeeded(topology));
  const planned = planMesh(topology, {
    repoRoot,
    ingressPort,
    nextPort: () => ports.shift()!,
    ...(options.egressCaFile ? { egressCaFile: options.egressCaFile } : {}),
  });
  for (const p of planned) {
    if (p.entry && !existsSync(p.entry)) {
      throw new LocalMeshError(
        `${p.entry} is missing: build it with "npm run build" in ${join(p.entry, '..', '..')}`,
      );
    }
  }

  // Each router follows a plan file, which applyTopology rewrites.
  const planDir = mkdtempSync(join(tmpdir(), 'local-mesh-routers-'));
  const planFileOf = (p: PlannedProcess) => join(planDir, `${p.service}.json`);
  const routers = planned.filter((p) => p.role === 'router');
  for (const router of routers) writeFileSync(planFileOf(router), router.env[ROUTER_CONFIG_ENV]!);
  let running = topology;

  const recent = new Map<string, string[]>();
  let view: MeshView | undefined;
  const supervisor = new Supervisor({
    ...(options.restartBackoff ? { backoff: options.restartBackoff } : {}),
    onLog: (line) => {
      rememberLine(recent, line);
      view?.onLine(line);
      onLog(line);
    },
  });
  const watch = new HealthWatch(
    supervisor,
    planned.map((p) => ({ label: labelOf(p), port: p.port, healthUrl: p.healthUrl })),
    onLog,
    options.healthCheck,
  );
  const states = new ProcessStates(supervisor, planned.map(labelOf), (label) =>
    watch.failedChecks(label),
  );
  let viewServer: ViewServer | undefined;
  if (options.viewPort !== undefined) {
    view = new MeshView(topology, () => states.all());
    viewServer = await startViewServer(view, options.viewPort);
  }

  let stopped: Promise<void> | undefined;
  const stop = () => {
    watch.stop();
    states.stop();
    // The view closes last: processes send their last spans to it while they drain.
    return (stopped ??= supervisor
      .stop(STOP_GRACE_MS)
      .then(() => viewServer?.close())
      .then(() => rmSync(planDir, { recursive: true, force: true })));
  };
  try {
    const tracingEnv = viewServer ? viewTracingEnv(viewServer.url) : {};
    for (const p of planned) {
      const planEnv: Record<string, string> =
        p.role === 'router' ? { [ROUTER_FILE_ENV]: planFileOf(p) } : {};
      supervisor.start(specOf(p, repoRoot, { ...tracingEnv, ...planEnv }));
    }
    await Promise.all(
      planned.map((p) =>
        waitForHealthy(p.healthUrl, {
          timeoutMs: options.startTimeoutMs ?? 30_000,
          gaveUp: exitedBeforeHealthy(supervisor, labelOf(p), recent),
        }).catch((error: Error) => {
          throw new LocalMeshError(`${labelOf(p)} did not start: ${error.message}`);
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  watch.start();

  return {
    url: `http://127.0.0.1:${ingressPort}`,
    ...(viewServer ? { viewUrl: viewServer.url } : {}),
    get processes() {
      return planned.map((p) => ({
        service: p.service,
        version: p.version,
        role: p.role,
        url: p.url,
        pid: supervisor.pid(labelOf(p)) ?? 0,
      }));
    },
    applyTopology(next) {
      const plans = routerPlansFor(running, next, routers);
      routers.forEach((router, i) => {
        // Written whole, then renamed: a router never reads half a plan.
        const file = planFileOf(router);
        writeFileSync(`${file}.next`, JSON.stringify(plans[i]));
        renameSync(`${file}.next`, file);
      });
      running = next;
      view?.setTopology(next);
      return routers.map((r) => r.service);
    },
    kill(service, version, signal = 'SIGKILL') {
      supervisor.kill(`${service} ${version}`, signal);
    },
    stop,
  };
}

async function chooseIngressPort(port: number): Promise<number> {
  if (port === 0) return (await freePorts(1))[0]!;
  await assertPortFree(port, 'the ingress', 'stop what listens there, or set PORT to another port');
  return port;
}

function labelOf(p: Pick<PlannedProcess, 'service' | 'version'>): string {
  return `${p.service} ${p.version}`;
}

/** Sends every process's spans to the view, in batches half a second apart. */
function viewTracingEnv(viewUrl: string): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: viewUrl, OTEL_BSP_SCHEDULE_DELAY: '500' };
}

function specOf(
  p: PlannedProcess,
  repoRoot: string,
  runnerEnv: Record<string, string>,
): ProcessSpec {
  return {
    label: labelOf(p),
    command: process.execPath,
    args: [
      ...lifelineArgs(),
      ...(p.entry ? [p.entry] : p.role === 'egress' ? egressArgs() : routerArgs()),
    ],
    cwd: repoRoot,
    env: { ...process.env, ...runnerEnv, ...p.env, ...lifelineEnv },
  };
}

/** Resolves with a reason when the process exits before it answered its health path. */
function exitedBeforeHealthy(
  supervisor: Supervisor,
  label: string,
  recent: ReadonlyMap<string, string[]>,
): Promise<string> {
  return new Promise((resolve) => {
    const onExit = (event: ExitEvent) => {
      if (event.label !== label) return;
      supervisor.off('exit', onExit);
      const how = event.signal ? `signal ${event.signal}` : `code ${event.code}`;
      const why = telling(recent.get(label) ?? []);
      resolve(
        `it exited (${how}) before it was healthy; ${why ? `it said: ${why}` : 'it printed nothing'}`,
      );
    };
    supervisor.on('exit', onExit);
  });
}

/** The line of a dying process most likely to say why: its last error, else its last words. */
function telling(lines: readonly string[]): string | undefined {
  const error = lines.findLast((l) => /^\s*\w*Error\b|"level":(50|60)\b/.test(l));
  return error?.trim() ?? lines.findLast((l) => l.trim() && !/^\s+at |^Node\.js v/.test(l))?.trim();
}

/** Keeps the last lines of each process, to explain a failed start. */
function rememberLine(recent: Map<string, string[]>, line: string): void {
  const match = /^\[([^\]]+)\] (.*)$/.exec(line);
  if (!match || match[1] === 'local-mesh') return;
  const lines = recent.get(match[1]!) ?? [];
  lines.push(match[2]!);
  if (lines.length > 30) lines.shift();
  recent.set(match[1]!, lines);
}
