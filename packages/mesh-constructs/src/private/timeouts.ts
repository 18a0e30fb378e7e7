/** The timeout no cloud flavor can apply, said at synthesis for every flavor. */
import type { Topology } from '@color-teller/topology';
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Warning ID for a timeout only the local runner applies; acknowledge it where that is intended. */
export const LOCAL_ONLY_TIMEOUT_WARNING = '@color-teller/mesh-constructs:localOnlyTimeout';

/** The mesh cannot apply `connectMs` in the cloud: say so at synthesis rather than drop it in silence. */
export function warnLocalOnlyTimeouts(scope: IConstruct, topology: Topology): void {
  for (const service of topology.services) {
    const connectMs = service.timeouts?.connectMs;
    if (connectMs === undefined) continue;
    Annotations.of(scope).addWarningV2(
      LOCAL_ONLY_TIMEOUT_WARNING,
      `service "${service.name}": timeouts.connectMs (${connectMs}) is not set on the mesh: no cloud flavor has a connect timeout; only its callers' own upstream client applies it, to their first hop (the local proxy, or the Lattice endpoint)`,
    );
  }
}
