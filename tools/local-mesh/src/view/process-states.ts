import { readFileSync } from 'node:fs';
import type { ExitEvent, Supervisor } from '../supervisor';

export interface ProcessState {
  readonly label: string;
  /** `starting`: running again after a restart, not answering its health path yet. */
  readonly state: 'up' | 'starting' | 'restarting' | 'hung';
  readonly pid: number;
  readonly restarts: number;
  /** The delay before the pending restart, while restarting. */
  readonly backoffMs?: number;
  /** Resident memory in bytes; undefined while down or where /proc is missing. */
  readonly rssBytes?: number;
}

/** Follows the supervisor's spawns and exits: each process's state and restart count. */
export class ProcessStates {
  private readonly restarts = new Map<string, number>();
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly supervisor: Supervisor,
    /** The labels to show now (a topology edit adds and removes some). */
    private readonly labels: () => readonly string[],
    private readonly failedChecks: (label: string) => number,
    private readonly recovering: (label: string) => boolean = () => false,
  ) {
    supervisor.on('exit', this.onExit);
    supervisor.on('spawn', this.onSpawn);
  }

  stop(): void {
    this.supervisor.off('exit', this.onExit);
    this.supervisor.off('spawn', this.onSpawn);
  }

  all(): ProcessState[] {
    return this.labels().map((label) => {
      const pid = this.supervisor.pid(label);
      const backoffMs = this.pending.get(label);
      const restarts = this.restarts.get(label) ?? 0;
      if (pid === undefined || backoffMs !== undefined) {
        return { label, state: 'restarting', pid: 0, restarts, backoffMs: backoffMs ?? 0 };
      }
      const rssBytes = rssOf(pid);
      const answering = this.failedChecks(label) > 0 ? 'hung' : 'up';
      return {
        label,
        state: this.recovering(label) ? 'starting' : answering,
        pid,
        restarts,
        ...(rssBytes === undefined ? {} : { rssBytes }),
      };
    });
  }

  private readonly onExit = (event: ExitEvent) => {
    if (event.restartInMs === undefined) return;
    this.pending.set(event.label, event.restartInMs);
  };

  private readonly onSpawn = (label: string) => {
    if (!this.pending.delete(label)) return;
    this.restarts.set(label, (this.restarts.get(label) ?? 0) + 1);
  };
}

/** VmRSS from /proc, in bytes (Linux); undefined elsewhere or when the process is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
