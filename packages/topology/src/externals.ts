import type { BackendRef, ExternalSpec, ServiceSpec, Topology } from './types';

/** The external named `name`, or undefined when `name` is not declared in `externals`. */
export function findExternal(topology: Topology, name: string): ExternalSpec | undefined {
  return (topology.externals ?? []).find((external) => external.name === name);
}

/** The backends of `service` that are services of the topology, not externals. */
export function serviceBackends(topology: Topology, service: ServiceSpec): BackendRef[] {
  return (service.backends ?? []).filter((backend) => !findExternal(topology, backend.service));
}

/** The externals `service` calls, in the order it lists them. */
export function externalBackends(topology: Topology, service: ServiceSpec): ExternalSpec[] {
  return (service.backends ?? []).flatMap(
    (backend) => findExternal(topology, backend.service) ?? [],
  );
}
