/** What each flavor can do with a topology's timeouts, settled once for every flavor. */
import { timeoutsOf, type ServiceSpec, type Topology } from '@color-teller/topology';
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Warning ID for a timeout only the local runner applies; acknowledge it where that is intended. */
export const LOCAL_ONLY_TIMEOUT_WARNING = '@color-teller/mesh-constructs:localOnlyTimeout';

/**
 * Service Connect takes its timeouts in whole seconds, 0 meaning off: one message per value it
 * cannot express, with the nearest values it can.
 */
export function wholeSecondTimeoutProblems(service: ServiceSpec): string[] {
  const timeouts = timeoutsOf(service);
  const problems: string[] = [];
  for (const name of ['perRequestMs', 'idleMs'] as const) {
    const ms = timeouts[name];
    if (ms === 0 || (ms >= 1000 && ms % 1000 === 0)) continue;
    const down = Math.max(1000, Math.floor(ms / 1000) * 1000);
    const up = Math.max(1000, Math.ceil(ms / 1000) * 1000);
    const nearest = down === up ? `${down}` : `${down} or ${up}`;
    problems.push(
      `service "${service.name}": timeouts.${name} is ${ms}; Service Connect takes 0 (off) or whole seconds of at least 1000 ms: use ${nearest}`,
    );
  }
  return problems;
}

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
