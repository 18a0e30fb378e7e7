import type { ServiceSpec, VersionSpec } from './types';

/** A version's weight, 1 when unset (valid only for a single version). */
export function versionWeight(version: VersionSpec): number {
  return version.weight ?? 1;
}

/** Each version's share of the traffic that no route claims, in percent (may be fractional). */
export function weightPercentages(service: ServiceSpec): Record<string, number> {
  const total = service.versions.reduce((sum, v) => sum + versionWeight(v), 0);
  return Object.fromEntries(
    service.versions.map((v) => [v.name, total > 0 ? (versionWeight(v) * 100) / total : 0]),
  );
}

/** True when traffic to the service must be split or matched: several versions, or any route. */
export function needsRouting(service: ServiceSpec): boolean {
  return service.versions.length > 1 || (service.routes?.length ?? 0) > 0;
}
