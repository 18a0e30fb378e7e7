import { hasFaults, needsRouting } from '@color-teller/topology';
import type { ServiceSpec } from '@color-teller/topology';

/**
 * Whether the runner puts a router in front of the service: several versions or any route (to
 * split traffic); a traffic policy (retries, outlier detection and faults are applied where the
 * router picks a version); or a program of its own `command` even with one version. Such a
 * program logs and traces nothing the view understands, so its router is the hop that measures
 * its traffic and starts its spans. The repository's own single-version Node services without a
 * policy get no extra hop.
 */
export function hasRouter(service: ServiceSpec): boolean {
  return (
    needsRouting(service) ||
    service.command !== undefined ||
    service.retries !== undefined ||
    service.outlierDetection !== undefined ||
    service.versions.some(hasFaults)
  );
}
