import type { Topology } from '@color-teller/topology';

/** What a topology edit changed in the running system. */
export interface AppliedEdit {
  /** Services whose routers got a new plan. */
  readonly routers: readonly string[];
  /** Processes started (`service version`). */
  readonly started: readonly string[];
  /** Processes stopped (`service version`). */
  readonly stopped: readonly string[];
}

/** What follows a topology file needs of the running system. */
export interface TopologyEditor {
  applyTopology(next: Topology): Promise<AppliedEdit>;
}
