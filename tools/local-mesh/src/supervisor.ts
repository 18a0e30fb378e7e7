import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

/** How to run one supervised process. */
export interface ProcessSpec {
  /** Log prefix and handle, e.g. `color red`. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /**
   * Opens Node's IPC channel to the process (it must be Node): its `process.send` messages are
   * emitted as `message` (label, message). @default false
   */
  readonly channel?: boolean;
}

export interface BackoffOptions {
  /** First delay before a restart. @default 250 */
  readonly initialMs?: number;
  /** Delays double up to this. @default 8000 */
  readonly maxMs?: number;
  /** A process that ran this long before dying restarts after `initialMs` again. @default 10000 */
  readonly resetAfterMs?: number;
}

export interface SupervisorOptions {
  /** Receives every line the processes print, prefixed with their label, and the supervisor's own reports. */
  readonly onLog: (line: string) => void;
  readonly backoff?: BackoffOptions;
}

export interface ExitEvent {
  readonly label: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Delay before the restart, or undefined when the supervisor is stopping. */
  readonly restartInMs: number | undefined;
}

// A crash can print a whole minified bundle line; nobody reads past this.
const MAX_LINE_CHARS = 2000;

function shortened(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  return `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`;
}

/**
 * Signals the child's whole process group (each child leads its own): a program started through
 * a wrapper or a shell, and whatever it started, gets the signal too.
 */
function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already, or the child never became a leader: signal it alone.
    child.kill(signal);
  }
}

interface Supervised {
  readonly spec: ProcessSpec;
  child: ChildProcess | undefined;
  startedAt: number;
  nextDelayMs: number;
  restartTimer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
  /** Set by remove(): its exit is final, no restart. */
  removed: boolean;
}

/**
 * Runs processes, prefixes their output, restarts any that dies with exponential backoff (as
 * ECS replaces a task), and stops them all: SIGTERM, then SIGKILL after a grace period.
 * Emits `spawn` (label, pid), `exit` ({@link ExitEvent}) and, from processes with a channel,
 * `message` (label, message).
 */
export class Supervisor extends EventEmitter {
  private readonly processes = new Map<string, Supervised>();
  private stopping = false;
  private readonly backoff: Required<BackoffOptions>;
  private readonly killAllOnExit = () => this.killAllNow();

  constructor(private readonly options: SupervisorOptions) {
    super();
    this.backoff = { initialMs: 250, maxMs: 8000, resetAfterMs: 10_000, ...options.backoff };
    // Last resort against orphans if the runner exits without calling stop().
    process.once('exit', this.killAllOnExit);
  }

  /** Starts a process; its label must be unique. */
  start(spec: ProcessSpec): void {
    if (this.stopping) throw new Error('the supervisor is stopping');
    if (this.processes.has(spec.label)) throw new Error(`process "${spec.label}" already exists`);
    const entry: Supervised = {
      spec,
      child: undefined,
      startedAt: 0,
      nextDelayMs: this.backoff.initialMs,
      restartTimer: undefined,
      exited: Promise.resolve(),
      removed: false,
    };
    this.processes.set(spec.label, entry);
    this.launch(entry);
  }

  /** Whether a process with this label is supervised (running, or waiting to restart). */
  has(label: string): boolean {
    return this.processes.has(label);
  }

  /** The current pid of a process, undefined while it is down. */
  pid(label: string): number | undefined {
    return this.processes.get(label)?.child?.pid;
  }

  /** Sends a signal to a running process; the supervisor restarts it when it exits. */
  kill(label: string, signal: NodeJS.Signals = 'SIGTERM'): void {
    const entry = this.processes.get(label);
    if (!entry) throw new Error(`no process "${label}"`);
    signalGroup(entry.child, signal);
  }

  /** Resolves when the process with this label has exited, or at once when it is not running. */
  exited(label: string): Promise<void> {
    return this.processes.get(label)?.exited ?? Promise.resolve();
  }

  /**
   * Stops one process for good (a version taken out of the topology): SIGTERM so it drains,
   * SIGKILL after `graceMs`; resolves once it has exited and its label is free again.
   */
  async remove(label: string, graceMs = 8000): Promise<void> {
    const entry = this.processes.get(label);
    if (!entry) throw new Error(`no process "${label}"`);
    entry.removed = true;
    clearTimeout(entry.restartTimer);
    signalGroup(entry.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(entry.child, 'SIGKILL'), graceMs);
    await entry.exited;
    clearTimeout(timer);
    this.processes.delete(label);
  }

  /** Stops every process: no more restarts, SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    const entries = [...this.processes.values()];
    for (const entry of entries) {
      clearTimeout(entry.restartTimer);
      signalGroup(entry.child, 'SIGTERM');
    }
    const allExited = Promise.all(entries.map((e) => e.exited));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    if ((await Promise.race([allExited, graceOver])) === 'late') {
      for (const entry of entries) {
        if (entry.child) {
          this.options.onLog(`[local-mesh] ${entry.spec.label} ignored SIGTERM; killing it`);
          signalGroup(entry.child, 'SIGKILL');
        }
      }
      await allExited;
    }
    clearTimeout(timer);
    process.removeListener('exit', this.killAllOnExit);
  }

  private launch(entry: Supervised): void {
    const { spec } = entry;
    // Own process group: a terminal's Ctrl-C reaches the runner only, which stops children in order.
    // The fourth pipe is the child's lifeline: it closes when the runner dies, however it dies.
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: spec.channel
        ? ['ignore', 'pipe', 'pipe', 'pipe', 'ipc']
        : ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    entry.child = child;
    entry.startedAt = Date.now();
    entry.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        entry.child = undefined;
        this.onExit(entry, code, signal);
        resolve();
      });
    });
    child.once('error', (error) => {
      this.options.onLog(`[local-mesh] ${spec.label} could not start: ${error.message}`);
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
        this.options.onLog(`[${spec.label}] ${shortened(line)}`),
      );
    }
    if (spec.channel) child.on('message', (message) => this.emit('message', spec.label, message));
    if (child.pid !== undefined) this.emit('spawn', spec.label, child.pid);
  }

  private onExit(entry: Supervised, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.stopping || entry.removed) {
      this.emit('exit', { label: entry.spec.label, code, signal, restartInMs: undefined });
      return;
    }
    if (Date.now() - entry.startedAt >= this.backoff.resetAfterMs) {
      entry.nextDelayMs = this.backoff.initialMs;
    }
    const delay = entry.nextDelayMs;
    entry.nextDelayMs = Math.min(delay * 2, this.backoff.maxMs);
    this.options.onLog(
      `[local-mesh] ${entry.spec.label} exited (${how}); restarting in ${delay} ms`,
    );
    this.emit('exit', { label: entry.spec.label, code, signal, restartInMs: delay });
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      if (!this.stopping) this.launch(entry);
    }, delay);
  }

  private killAllNow(): void {
    for (const entry of this.processes.values()) signalGroup(entry.child, 'SIGKILL');
  }
}
