/** What Service Connect cannot do with a service's versions, routes and timeouts. */
import { timeoutsOf, type ServiceSpec } from '@color-teller/topology';
import { serviceConnectPolicyProblems } from './traffic-policy-notes';

const LATTICE_HINT = 'use MeshProvider.vpcLattice()';

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

/**
 * Steady weights and content routes need another flavor; timeouts must be whole seconds;
 * retries and outlier detection are Service Connect's own.
 */
export function serviceConnectRoutingProblems(service: ServiceSpec): string[] {
  const problems: string[] = [];
  if (service.versions.length > 1) {
    const weights = service.versions.map((v) => `${v.name} ${v.weight ?? 1}`).join(', ');
    problems.push(
      `service "${service.name}" has ${service.versions.length} versions with steady weights (${weights}): Service Connect cannot split traffic between versions; ${LATTICE_HINT}, or keep one version and roll a new one out with deployment: { strategy: 'canary' }`,
    );
  }
  if ((service.routes?.length ?? 0) > 0) {
    problems.push(
      `service "${service.name}" has header or cookie routes: Service Connect cannot route by request content; ${LATTICE_HINT}`,
    );
  }
  return [
    ...problems,
    ...wholeSecondTimeoutProblems(service),
    ...serviceConnectPolicyProblems(service),
  ];
}
