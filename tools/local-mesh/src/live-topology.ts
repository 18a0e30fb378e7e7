import { validateTopology } from '@color-teller/topology';
import type { ServiceSpec, Topology, VersionSpec } from '@color-teller/topology';
import { LocalMeshError } from './errors';
import { hasRouter } from './routed';

/** One version to start or stop while the system runs. */
export interface VersionChange {
  readonly service: ServiceSpec;
  readonly version: VersionSpec;
}

/** What a topology edit asks of the running system, once it is known to be applicable. */
export interface LiveChange {
  /** Versions of routed services to start, then add to their router. */
  readonly added: readonly VersionChange[];
  /** Versions of routed services to take out of their router, then stop. */
  readonly removed: readonly VersionChange[];
}

const namesOf = (s: ServiceSpec) => new Set(s.versions.map((v) => v.name));

/**
 * The topology without what a running system can change in place: weights, routes, the traffic
 * policy of a service that has a router (retries, outlier detection, faults), and which
 * versions a routed service has (its router stays; a version starts or stops on its own). A
 * version present on both sides must stay as it was.
 */
function fixedPart(topology: Topology, other: Topology): string {
  return JSON.stringify({
    ...topology,
    services: topology.services.map((s) => {
      const twin = other.services.find((o) => o.name === s.name);
      const routedOnBothSides = twin !== undefined && hasRouter(s) && hasRouter(twin);
      const kept = routedOnBothSides
        ? s.versions.filter((v) => namesOf(twin).has(v.name))
        : s.versions;
      return {
        ...s,
        routed: hasRouter(s),
        routes: undefined,
        retries: undefined,
        outlierDetection: undefined,
        versions: kept.map((v) => ({ ...v, weight: undefined, faults: undefined })),
      };
    }),
  });
}

/**
 * What applying `next` to the running system takes; throws when `next` is invalid
 * (TopologyError) or changes what only a restart can (LocalMeshError), so the running topology stays.
 */
export function liveChangeFor(running: Topology, next: Topology): LiveChange {
  validateTopology(next);
  if (fixedPart(next, running) !== fixedPart(running, next)) {
    throw new LocalMeshError(
      'only weights, routes, retries, outlier detection, faults and the versions of a service ' +
        'that has a router change while the system runs (a version env, a port, a new service ' +
        'or a router of its own need a restart): restart npm start to apply this edit',
    );
  }
  const versionsOnlyIn = (a: Topology, b: Topology): VersionChange[] =>
    a.services.flatMap((service) => {
      const twin = b.services.find((s) => s.name === service.name)!;
      return service.versions
        .filter((v) => !namesOf(twin).has(v.name))
        .map((version) => ({ service, version }));
    });
  return { added: versionsOnlyIn(next, running), removed: versionsOnlyIn(running, next) };
}
