import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { validateTopology } from '@color-teller/topology';
import type { FaultsSpec, Topology } from '@color-teller/topology';
import type { AppliedEdit } from './applied-edit';
import { buildStale } from './build';
import { LocalMeshError } from './errors';
import { waitForHealthy } from './health';
import { HealthWatch } from './health-watch';
import type { HealthCheckOptions } from './health-watch';
import { InjectedFaults } from './injected-faults';
import { lifelineArgs, lifelineEnv, watchdogArgs } from './lifeline';
import { assertRunnableHere, runsCommand } from './programs';
import { startFailureLine } from './start-failure';
import { liveChangeFor } from './live-topology';
import { ROUTER_FILE_ENV } from './router/live-config';
import { isRouterMessage } from './router/channel';
import { planMesh, planVersion, portsNeeded, ROUTER_CONFIG_ENV, routerPlanOf } from './plan';
import { egressArgs, routerArgs } from './router/command';
import { egressUrlOf } from './egress/plan';
import type { PlannedProcess } from './plan';
import { assertPortFree, freePorts } from './ports';
import { Supervisor } from './supervisor';
import { ProcessTable, labelOf } from './process-table';
import { MeshView } from './view/mesh-view';
import { ProcessStates } from './view/process-states';
import { startViewServer } from './view/view-server';
import {
  DEFAULT_VIEW_TRACES_PER_SECOND,
  viewTracesPerSecondOf,
  viewTracingEnv,
} from './view/view-tracing';
import type { ViewServer } from './view/view-server';
import type { BackoffOptions, ExitEvent, ProcessSpec } from './supervisor';

export type { AppliedEdit } from './applied-edit';

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
   * Applies a changed topology while it runs: weights and routes go to the running routers
   * (within a second, no restart); a version added to a routed service is started, and joins its
   * router once healthy; a removed one leaves its router first, then drains and stops. No other
   * process restarts. Rejects, keeping the running topology, when `next` is invalid or changes
   * what only a restart can.
   */
  applyTopology(next: Topology): Promise<AppliedEdit>;
  /**
   * Injects faults on a version, kept in memory over the topology (the live view's control):
   * applied like a topology edit, shown with a marker until cleared.
   */
  injectFault(service: string, version: string, faults: FaultsSpec): Promise<AppliedEdit>;
  /** Clears an injected fault; the version's faults from the file, if any, apply again. */
  clearFault(service: string, version: string): Promise<AppliedEdit>;
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
   * New traces a second the services start for the view (requests that continue a caller's
   * trace follow it); 0 for none, and no tracing cost. The view's request figures stay exact
   * either way. @default 2
   */
  readonly viewTracesPerSecond?: number;
  /**
   * PEM file of certificate authorities the egress forwarders trust besides Node's own, e.g. a
   * local stand-in's for an external (certificates are always checked). @default - Node's own only
   */
  readonly egressCaFile?: string;
}

const DEFAULT_REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STOP_GRACE_MS = 8000;
// Routers poll their plan file ten times a second; a loaded machine can stretch that a lot.
const PLAN_APPLIED_WITHIN_MS = 10_000;

/**
 * Starts the topology on loopback: builds what is stale, runs one process per service version
 * (and a router where a service has several versions or routes), waits for every health path,
 * then resolves. Fails with a one-line LocalMeshError (or TopologyError) and leaves nothing running.
 */
export async function startLocalMesh(options: LocalMeshOptions): Promise<LocalMesh> {
  const topology = validateTopology(options.topology);
  const repoRoot = options.repoRoot ?? DEFAULT_REPO_ROOT;
  const onLog = options.onLog ?? (() => {});
  assertRunnableHere(topology, repoRoot);
  const viewTraces = viewTracesPerSecondOf(
    options.viewTracesPerSecond ?? DEFAULT_VIEW_TRACES_PER_SECOND,
    'viewTracesPerSecond',
  );

  // A taken port fails at once, before a build that may take a while.
  const ingressPort = await chooseIngressPort(options.ingressPort ?? topology.ingress.port ?? 8080);
  const serviceDirs = topology.services
    .filter((s) => !runsCommand(s))
    .map((s) => join(repoRoot, s.codePath));
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
  // Routers never come or go while running (that edit needs a restart).
  const routers = planned.filter((p) => p.role === 'router');
  for (const router of routers) writeFileSync(planFileOf(router), router.env[ROUTER_CONFIG_ENV]!);
  const table = new ProcessTable(planned);
  let running = topology;
  // The topology as its file says, and the faults injected over it from the view.
  let fromFile = topology;
  const injected = new InjectedFaults();

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
  // The health watch and the view's process states follow the table's desired processes.
  const watch = new HealthWatch(supervisor, () => table.watched(), onLog, options.healthCheck);
  const states = new ProcessStates(
    supervisor,
    () => table.labels(),
    (label) => watch.failedChecks(label),
    (label) => watch.isRecovering(label),
  );
  let viewServer: ViewServer | undefined;
  if (options.viewPort !== undefined) {
    const meshView = new MeshView(topology, () => states.all());
    view = meshView;
    // The routers' measured requests (the figures of every version behind a router), their
    // ejections and retries.
    supervisor.on('message', (_label: string, message: unknown) => {
      if (isRouterMessage(message)) meshView.onRouterMessage(message);
    });
    viewServer = await startViewServer(view, options.viewPort, {
      injectFault: (service, version, faults) => injectFault(service, version, faults),
      clearFault: (service, version) => clearFault(service, version),
    });
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
  const tracingEnv = viewServer ? viewTracingEnv(viewServer.url, viewTraces) : {};
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const untilHealthy = (p: PlannedProcess) =>
    waitForHealthy(p.healthUrl, {
      timeoutMs: startTimeoutMs,
      gaveUp: exitedBeforeHealthy(supervisor, labelOf(p), recent),
    }).catch((error: Error) => {
      throw new LocalMeshError(startFailureLine(labelOf(p), p, error.message));
    });
  const specFor = (p: PlannedProcess) =>
    specOf(p, repoRoot, {
      ...tracingEnv,
      ...(p.role === 'router' ? { [ROUTER_FILE_ENV]: planFileOf(p) } : {}),
    });
  try {
    await table.reconcile(supervisor, specFor, STOP_GRACE_MS);
    // Versions first: a router answers its health path through them, so a version that never
    // becomes healthy is named, not its router.
    await Promise.all(planned.filter((p) => p.role !== 'router').map(untilHealthy));
    await Promise.all(planned.filter((p) => p.role === 'router').map(untilHealthy));
  } catch (error) {
    await stop();
    throw error;
  }
  watch.start();

  /**
   * Resolves when each of these routers has said it applied the plan of `revision` (or a later
   * one); rejects naming those that did not within the bound, so an edit never reports done
   * while a router still routes by the old plan.
   */
  const routersApplied = (services: readonly string[], revision: number) => {
    const waiting = new Set(services);
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        supervisor.off('message', onMessage);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (_label: string, message: unknown) => {
        if (
          isRouterMessage(message) &&
          message.type === 'plan-applied' &&
          message.revision >= revision
        ) {
          waiting.delete(message.service);
        }
        if (waiting.size === 0) finish();
      };
      const timer = setTimeout(
        () =>
          finish(
            new LocalMeshError(
              `router of ${[...waiting].join(', ')} did not apply the edit within ${PLAN_APPLIED_WITHIN_MS / 1000} s: see its log lines`,
            ),
          ),
        PLAN_APPLIED_WITHIN_MS,
      );
      supervisor.on('message', onMessage);
      if (waiting.size === 0) finish();
    });
  };
  let revision = 0;

  const applyEdit = async (next: Topology): Promise<AppliedEdit> => {
    const change = liveChangeFor(running, next);
    // Added versions become desired, each on a free port, wired as at start; the table starts them.
    const ports = await freePorts(change.added.length);
    const added = change.added.map(({ service, version }, i) =>
      planVersion(next, service, version, ports[i]!, repoRoot, (name) =>
        backendUrlOf(table.desired(), service.name, name),
      ),
    );
    for (const p of added) table.want(p);
    const { started } = await table.reconcile(supervisor, specFor, STOP_GRACE_MS);
    try {
      await Promise.all(started.map(untilHealthy));
    } catch (error) {
      for (const p of added) table.unwant(labelOf(p));
      await table.reconcile(supervisor, specFor, STOP_GRACE_MS);
      throw error;
    }
    revision += 1;
    const applied = routersApplied(
      routers.map((r) => r.service),
      revision,
    );
    // Awaited below; a write failing first must not leave it rejected with no one listening.
    applied.catch(() => {});
    for (const router of routers) {
      const plan = {
        ...routerPlanOf(next, router.service, (v) => table.find(router.service, v)!.url),
        revision,
      };
      // Written whole, then renamed: a router never reads half a plan.
      const file = planFileOf(router);
      writeFileSync(`${file}.next`, JSON.stringify(plan));
      renameSync(`${file}.next`, file);
    }
    running = next;
    view?.setTopology(next, injected.all());
    // Done means routed by the new plan; a removed version also leaves its router before it
    // stops, so no request is sent to it after.
    await applied;
    for (const { service, version } of change.removed)
      table.unwant(labelOf({ service: service.name, version: version.name }));
    const { stopped } = await table.reconcile(supervisor, specFor, STOP_GRACE_MS);
    return { routers: routers.map((r) => r.service), started: started.map(labelOf), stopped };
  };
  let editing: Promise<AppliedEdit> = Promise.resolve({ routers: [], started: [], stopped: [] });
  // One edit at a time: a second save waits for the first to finish starting or stopping.
  const enqueue = (edit: () => Promise<AppliedEdit>) => (editing = editing.then(edit, edit));
  const injectFault = (service: string, version: string, faults: FaultsSpec) =>
    enqueue(() => {
      injected.set(service, version, faults);
      return applyEdit(injected.over(fromFile)).catch((error: unknown) => {
        injected.clear(service, version);
        throw error;
      });
    });
  const clearFault = (service: string, version: string) =>
    enqueue(() =>
      injected.clear(service, version)
        ? applyEdit(injected.over(fromFile))
        : Promise.resolve({ routers: [], started: [], stopped: [] }),
    );

  return {
    url: `http://127.0.0.1:${ingressPort}`,
    ...(viewServer ? { viewUrl: viewServer.url } : {}),
    get processes() {
      return table.desired().map((p) => ({
        service: p.service,
        version: p.version,
        role: p.role,
        url: p.url,
        pid: supervisor.pid(labelOf(p)) ?? 0,
      }));
    },
    applyTopology(next) {
      return enqueue(async () => {
        const applied = await applyEdit(injected.over(next));
        fromFile = next;
        return applied;
      });
    },
    injectFault,
    clearFault,
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

/** Where `caller` reaches `backend`: a service's router, else its only version; an external through the caller's egress forwarder. */
function backendUrlOf(
  planned: readonly PlannedProcess[],
  caller: string,
  backend: string,
): string | undefined {
  const own = planned.filter((p) => p.service === backend && p.role !== 'egress');
  const front = own.find((p) => p.role === 'router') ?? own[0];
  if (front) return front.url;
  const egress = planned.find((p) => p.service === caller && p.role === 'egress');
  return egress && egressUrlOf(egress, backend);
}

function specOf(
  p: PlannedProcess,
  repoRoot: string,
  runnerEnv: Record<string, string>,
): ProcessSpec {
  const env = { ...process.env, ...runnerEnv, ...p.env, ...lifelineEnv };
  if (p.command) {
    // A program in any language: the watchdog holds its lifeline for it.
    return {
      label: labelOf(p),
      command: process.execPath,
      args: [...watchdogArgs(), ...p.command],
      cwd: p.cwd ?? repoRoot,
      env,
    };
  }
  return {
    label: labelOf(p),
    command: process.execPath,
    // Routers talk to the runner over IPC (plan applied, measured requests).
    channel: p.role === 'router',
    args: [
      ...lifelineArgs(),
      ...(p.entry ? [p.entry] : p.role === 'egress' ? egressArgs() : routerArgs()),
    ],
    cwd: repoRoot,
    env,
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
