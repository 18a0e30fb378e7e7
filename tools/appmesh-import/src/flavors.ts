/** Which of the construct library's flavors can render the imported topology, and why not. */
import { MESH_FLAVORS, type MeshFlavorEntry } from '@color-teller/mesh-constructs';
import type { Topology } from '@color-teller/topology';

export interface FlavorVerdict {
  readonly entry: MeshFlavorEntry;
  /** Empty when the flavor renders the topology. */
  readonly problems: readonly string[];
}

export function flavorVerdicts(topology: Topology): FlavorVerdict[] {
  return MESH_FLAVORS.map((entry) => ({ entry, problems: entry.provider().validate(topology) }));
}

/** The live flavor to deploy with: the first (the default) that renders the topology. */
export function bestLiveFlavor(verdicts: readonly FlavorVerdict[]): FlavorVerdict | undefined {
  return verdicts.find((v) => v.problems.length === 0 && !v.entry.retired);
}
