import type { WatchedProcess } from './health-watch';
import type { PlannedProcess } from './plan';
import type { ProcessSpec, Supervisor } from './supervisor';

/** The label a process is known by everywhere: `service version` (`color red`, `color router`). */
export function labelOf(p: Pick<PlannedProcess, 'service' | 'version'>): string {
  return `${p.service} ${p.version}`;
}

interface Row {
  readonly planned: PlannedProcess;
  /** False once the topology no longer wants it: it leaves its router, then stops. */
  desired: boolean;
}

/**
 * The runner's control plane: one table of the processes the topology wants, against those the
 * supervisor runs. Edits change what is desired; {@link reconcile} starts what is desired and
 * not running and stops what runs and is no longer desired. The health watch, the view's
 * process states, the routers' plans and `processes` all read the desired rows from here.
 */
export class ProcessTable {
  /** In start order: backends first, each router after its versions. */
  private readonly rows = new Map<string, Row>();

  constructor(planned: readonly PlannedProcess[]) {
    for (const p of planned) this.want(p);
  }

  /** Adds a process the topology wants; it starts at the next reconcile. */
  want(p: PlannedProcess): void {
    this.rows.set(labelOf(p), { planned: p, desired: true });
  }

  /** Marks a process as no longer wanted; it stops at the next reconcile. */
  unwant(label: string): void {
    const row = this.rows.get(label);
    if (row) row.desired = false;
  }

  /** The processes the topology wants, in start order. */
  desired(): PlannedProcess[] {
    return [...this.rows.values()].filter((r) => r.desired).map((r) => r.planned);
  }

  labels(): string[] {
    return this.desired().map(labelOf);
  }

  watched(): WatchedProcess[] {
    return this.desired().map((p) => ({ label: labelOf(p), port: p.port, healthUrl: p.healthUrl }));
  }

  /** The desired process of `service` named `version` (or `router`). */
  find(service: string, version: string): PlannedProcess | undefined {
    const row = this.rows.get(`${service} ${version}`);
    return row?.desired ? row.planned : undefined;
  }

  /**
   * Brings the supervisor in line with the table: starts every desired process it does not run
   * (returning them, in start order) and stops every process no longer desired, waiting for each
   * to drain and leaving the table without it.
   */
  async reconcile(
    supervisor: Supervisor,
    specOf: (p: PlannedProcess) => ProcessSpec,
    graceMs: number,
  ): Promise<{ started: PlannedProcess[]; stopped: string[] }> {
    const started: PlannedProcess[] = [];
    const leaving: string[] = [];
    for (const [label, row] of this.rows) {
      const running = supervisor.has(label);
      if (row.desired && !running) {
        supervisor.start(specOf(row.planned));
        started.push(row.planned);
      } else if (!row.desired) {
        leaving.push(label);
      }
    }
    await Promise.all(
      leaving.map(async (label) => {
        if (supervisor.has(label)) await supervisor.remove(label, graceMs);
        this.rows.delete(label);
      }),
    );
    return { started, stopped: leaving };
  }
}
