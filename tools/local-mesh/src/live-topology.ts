import { needsRouting, validateTopology, versionWeight } from '@color-teller/topology';
import type { Topology } from '@color-teller/topology';
import { LocalMeshError } from './errors';
import { ROUTER_CONFIG_ENV } from './plan';
import type { PlannedProcess, RouterConfig } from './plan';

/** The topology without what a running system can change in place: weights and routes. */
function fixedPart(topology: Topology): string {
  return JSON.stringify({
    ...topology,
    services: topology.services.map((s) => ({
      ...s,
      routed: needsRouting(s),
      routes: undefined,
      versions: s.versions.map((v) => ({ ...v, weight: undefined })),
    })),
  });
}

/**
 * The routers' new plans for `next`, validated; throws when `next` is invalid (TopologyError) or
 * changes more than weights and routes (LocalMeshError), so the running topology stays.
 */
export function routerPlansFor(
  running: Topology,
  next: Topology,
  routers: readonly PlannedProcess[],
): RouterConfig[] {
  validateTopology(next);
  if (fixedPart(next) !== fixedPart(running)) {
    throw new LocalMeshError(
      'only weights and routes change while the system runs: restart npm start to apply other edits',
    );
  }
  return routers.map((router) => {
    const planned = JSON.parse(router.env[ROUTER_CONFIG_ENV]!) as RouterConfig;
    const service = next.services.find((s) => s.name === router.service)!;
    return {
      ...planned,
      upstreams: planned.upstreams.map((u) => ({
        ...u,
        weight: versionWeight(service.versions.find((v) => v.name === u.name)!),
      })),
      routes: service.routes ?? [],
    };
  });
}
