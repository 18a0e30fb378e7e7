import type { ServiceSpec, Topology } from './types';

/** The service named `name`; throws naming the known services when there is none. */
export function findService(topology: Topology, name: string): ServiceSpec {
  const service = topology.services.find((s) => s.name === name);
  if (!service) {
    const known = topology.services.map((s) => s.name).join(', ');
    throw new Error(`Topology "${topology.name}" has no service "${name}" (known: ${known})`);
  }
  return service;
}

/** The service the ingress fronts. */
export function ingressService(topology: Topology): ServiceSpec {
  return findService(topology, topology.ingress.service);
}

/**
 * A cycle of backends as the list of service names walked (`['a', 'b', 'a']`), or undefined.
 * Unknown backend names are ignored here; validation reports them on their own.
 */
export function findBackendCycle(topology: Topology): string[] | undefined {
  const byName = new Map(topology.services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (name: string): string[] | undefined => {
    const start = path.indexOf(name);
    if (start >= 0) return [...path.slice(start), name];
    if (done.has(name)) return undefined;
    path.push(name);
    for (const backend of byName.get(name)?.backends ?? []) {
      if (!byName.has(backend.service)) continue;
      const cycle = visit(backend.service);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(name);
    return undefined;
  };

  for (const service of topology.services) {
    const cycle = visit(service.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Services ordered so that each comes after the backends it calls: the order to start or
 * deploy them in (a Service Connect client only sees servers that existed when it started).
 * Expects a validated, acyclic topology.
 */
export function backendsFirst(topology: Topology): ServiceSpec[] {
  const byName = new Map(topology.services.map((s) => [s.name, s]));
  const ordered: ServiceSpec[] = [];
  const seen = new Set<string>();
  const visit = (service: ServiceSpec): void => {
    if (seen.has(service.name)) return;
    seen.add(service.name);
    for (const backend of service.backends ?? []) {
      const called = byName.get(backend.service);
      if (called) visit(called);
    }
    ordered.push(service);
  };
  topology.services.forEach(visit);
  return ordered;
}
