import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { freePorts } from '@color-teller/local-mesh';
import { repoRoot, serviceBundles, type ServiceKind } from './paths';
import { waitFor200 } from './http-probe';

export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from spawn() to the first 200 on the health path. */
  readonly spawnToHealthyMs: number;
  readonly child: ChildProcess;
  /** Resolves once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
  /** The last lines the process wrote to stderr, for error messages. */
  stderrTail(): string;
  /** Sends `signal` and waits for the exit; SIGKILLs after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null }>;
}

export interface SpawnOptions {
  readonly name: string;
  /** Arguments after the executable, e.g. the bundle's path. */
  readonly args: readonly string[];
  /** @default - this Node executable */
  readonly command?: string;
  /** Env vars beyond PATH, NODE_ENV, HOST and PORT. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a known port (a restart on the same address); default a fresh free port. */
  readonly port?: number;
  readonly healthPath?: string;
  readonly deadlineMs?: number;
}

// Children still running when this process exits (a failed run, the bench's watchdog) are
// killed with it, so no service is left holding a port.
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/**
 * Starts a Node process listening on a loopback port and waits for its health path. Stdout (one
 * JSON line per request for our services) goes nowhere so that reading it does not load the
 * machine under test; stderr is kept for error messages.
 */
export async function spawnHttpProcess(options: SpawnOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePorts(1))[0]!;
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(options.command ?? process.execPath, [...options.args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  liveChildren.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      liveChildren.delete(child);
      resolve({ code, signal });
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 12_000) => {
    if (!alive) return { code: (await exited).code };
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const { code } = await exited;
    clearTimeout(timer);
    return { code };
  };
  try {
    await waitFor200(`${url}${options.healthPath ?? '/health'}`, {
      deadlineMs: options.deadlineMs ?? 10_000,
      isAlive: () => alive,
    });
  } catch (error) {
    await stop('SIGKILL');
    throw new Error(
      `${options.name} did not become healthy: ${(error as Error).message}\n${stderr.trim()}`,
    );
  }
  return {
    name: options.name,
    port,
    url,
    pid: child.pid ?? -1,
    spawnToHealthyMs: performance.now() - started,
    child,
    exited,
    isAlive: () => alive,
    stderrTail: () => stderr.trim(),
    stop,
  };
}

/** Starts one of our service bundles (`services/<name>/dist/server.js`). */
export function startService(
  kind: ServiceKind,
  options: Omit<SpawnOptions, 'name' | 'args'> = {},
): Promise<ServiceProcess> {
  const bundle = serviceBundles[kind];
  if (!existsSync(bundle)) {
    throw new Error(
      `${bundle} is missing: build it with \`npm run build -w @color-teller/color-${kind}\``,
    );
  }
  return spawnHttpProcess({ ...options, name: `color-${kind}`, args: [bundle] });
}

/** The backend and the gateway in front of it, as the article's two services. */
export async function startBackendAndGateway(
  extraEnv: { backend?: Record<string, string>; client?: Record<string, string> } = {},
): Promise<{ backend: ServiceProcess; client: ServiceProcess; stop(): Promise<void> }> {
  const backend = await startService('backend', { env: { COLOR: 'red', ...extraEnv.backend } });
  const client = await startService('client', {
    env: { COLOR_BACKEND: backend.url, VERSION: 'vanilla', ...extraEnv.client },
  }).catch(async (error: unknown) => {
    await backend.stop();
    throw error;
  });
  return {
    backend,
    client,
    async stop() {
      await Promise.all([client.stop(), backend.stop()]);
    },
  };
}

/** Resident set size of a live process, from /proc (Linux), in megabytes (10^6 bytes). */
export async function readRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS line in /proc/${pid}/status: is the process alive?`);
  return (Number(match[1]) * 1024) / 1e6;
}

let clockTicksPerSec: number | undefined;

/** The sum of `/proc/<pid>/stat` fields `first`..`last` (1-based, as proc(5) counts), in ms. */
async function statTicksMs(pid: number | 'self', first: number, last: number): Promise<number> {
  clockTicksPerSec ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields.slice(first - 3, last - 2).reduce((sum, field) => sum + Number(field), 0);
  if (!Number.isFinite(ticks))
    throw new Error(`unreadable /proc/${pid}/stat: ${stat.slice(0, 80)}`);
  return (ticks * 1000) / clockTicksPerSec;
}

/** CPU time (user + system) a live process has used so far, from /proc (Linux), in ms. */
export function readCpuMs(pid: number): Promise<number> {
  return statTicksMs(pid, 14, 15);
}

/**
 * CPU time (user + system) of the children this process has waited for, and of theirs that
 * each waited for in turn (cutime + cstime), from /proc (Linux), in ms.
 */
export function readWaitedChildrenCpuMs(): Promise<number> {
  return statTicksMs('self', 16, 17);
}
