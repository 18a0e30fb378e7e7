import type { ServiceSpec, Topology } from './types';

/**
 * A copy of `topology` with one service changed, so that a variant (a canary, a test case) is
 * written as its difference from a base topology instead of a second full description.
 */
export function withServiceChanged(
  topology: Topology,
  serviceName: string,
  change: (service: ServiceSpec) => ServiceSpec,
): Topology {
  if (!topology.services.some((service) => service.name === serviceName)) {
    throw new Error(
      `withServiceChanged: topology "${topology.name}" has no service "${serviceName}"; use one of: ${topology.services.map((s) => s.name).join(', ')}`,
    );
  }
  return {
    ...topology,
    services: topology.services.map((service) =>
      service.name === serviceName ? change(service) : service,
    ),
  };
}
