import { portOwner } from './port-owner';
import { LOOPBACK } from './ports';
import type { ExitEvent, Supervisor } from './supervisor';

export interface HealthCheckOptions {
  /** Time between health checks of a running process. @default 5000 */
  readonly intervalMs?: number;
  /** A check without a 200 within this time failed. @default 2000 */
  readonly timeoutMs?: number;
  /** Consecutive failed checks after which the process is killed and restarted, as ECS does. @default 3 */
  readonly unhealthyThreshold?: number;
}

/** One watched process: where it answers its health path. */
export interface WatchedProcess {
  readonly label: string;
  readonly port: number;
  readonly healthUrl: string;
}

async function answers200(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The runner's view of its processes once the system is up. A restarted process "is back" only
 * when it answers while it is still the process that was started (an impostor on its port, or
 * an earlier crash-looping attempt, never counts), and a running process that fails its health
 * check `unhealthyThreshold` times in a row (hung, stopped) is killed so the supervisor restarts it.
 */
export class HealthWatch {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly threshold: number;
  private readonly failures = new Map<string, number>();
  private readonly recovering = new Set<string>();
  private readonly toldPortTaken = new Set<string>();
  private checking = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly supervisor: Supervisor,
    /** The processes to watch now (a topology edit adds and removes some). */
    private readonly processes: () => readonly WatchedProcess[],
    private readonly onLog: (line: string) => void,
    options: HealthCheckOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.threshold = options.unhealthyThreshold ?? 3;
  }

  /** Health checks this process failed in a row, 0 once it answers again. */
  failedChecks(label: string): number {
    return this.failures.get(label) ?? 0;
  }

  /** Whether this process was (re)started and has not answered its health path yet. */
  isRecovering(label: string): boolean {
    return this.recovering.has(label);
  }

  /** Starts watching; call once every process is healthy. */
  start(): void {
    this.supervisor.on('spawn', this.onSpawn);
    this.timer = setInterval(() => void this.checkAll(), this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.supervisor.off('spawn', this.onSpawn);
  }

  private readonly onSpawn = (label: string, pid: number) => {
    const watched = this.processes().find((p) => p.label === label);
    if (watched) void this.awaitReturn(watched, pid);
  };

  /**
   * Reports "is back" once, when this very process (`pid`) answers its health path while it holds
   * its port. Watches for as long as it runs: another process may hold the port when it starts and
   * leave before it binds, so what the port looked like at its start decides nothing.
   */
  private async awaitReturn(watched: WatchedProcess, pid: number): Promise<void> {
    const { label } = watched;
    this.recovering.add(label);
    this.failures.set(label, 0);
    let exited = false;
    const onExit = (event: ExitEvent) => {
      if (event.label === label) exited = true;
    };
    this.supervisor.on('exit', onExit);
    const current = () => !exited && !this.stopped && this.supervisor.pid(label) === pid;
    try {
      while (current()) {
        const owner = await portOwner(watched.port, pid);
        if (owner === 'other') this.tellPortTaken(watched);
        // Where the system cannot tell who listens, an answer from the port is taken as this process's.
        const mayBeOurs = owner === 'ours' || owner === 'unknown';
        if (mayBeOurs && (await answers200(watched.healthUrl, this.timeoutMs)) && current()) {
          this.onLog(`[local-mesh] ${label} is back at http://${LOOPBACK}:${watched.port}`);
          this.toldPortTaken.delete(label);
          return;
        }
        await sleep(100);
      }
    } finally {
      this.supervisor.off('exit', onExit);
      if (this.supervisor.pid(label) === pid || this.supervisor.pid(label) === undefined) {
        this.recovering.delete(label);
      }
    }
  }

  /** Once per outage: a crash loop against a taken port would say it at every attempt. */
  private tellPortTaken({ label, port }: WatchedProcess): void {
    if (this.toldPortTaken.has(label)) return;
    this.toldPortTaken.add(label);
    this.onLog(
      `[local-mesh] ${label} cannot come back: another process holds port ${port}; stop it`,
    );
  }

  private async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    await Promise.all(
      this.processes().map(async (watched) => {
        const { label } = watched;
        const pid = this.supervisor.pid(label);
        if (pid === undefined || this.recovering.has(label)) return;
        if (await answers200(watched.healthUrl, this.timeoutMs)) {
          this.failures.set(label, 0);
          return;
        }
        if (this.stopped || this.supervisor.pid(label) !== pid) return;
        const failed = (this.failures.get(label) ?? 0) + 1;
        this.failures.set(label, failed);
        if (failed < this.threshold) return;
        this.onLog(
          `[local-mesh] ${label} failed ${failed} health checks in a row; killing it to restart it`,
        );
        this.failures.set(label, 0);
        this.supervisor.kill(label, 'SIGKILL');
      }),
    );
    this.checking = false;
  }
}
