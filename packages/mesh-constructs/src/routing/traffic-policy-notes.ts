/** What each flavor does with the topology's traffic policy, said at synthesis. */
import { hasFaults, type ServiceSpec, type Topology } from '@color-teller/topology';
import type { MeshFlavorName } from '../mesh-flavor';
import { latticeHealthCheckTiming } from './lattice-traffic-policy';

const ON_ITS_OWN =
  'its Envoy proxy retries failed requests and ejects failing tasks on its own, with settings ECS does not expose';

/**
 * Service Connect cannot take retries or outlier detection (ECS developer guide, Service
 * Connect: retries and outlier detection are built in): refused, with the flavor that can.
 */
export function serviceConnectPolicyProblems(service: ServiceSpec): string[] {
  const problems: string[] = [];
  const at = `service "${service.name}"`;
  if (service.retries) {
    problems.push(
      `${at}: retries cannot be set on Service Connect (${ON_ITS_OWN}): remove "retries", or use MeshProvider.vpcLattice(), whose callers retry as the topology says`,
    );
  }
  if (service.outlierDetection) {
    problems.push(
      `${at}: outlierDetection cannot be set on Service Connect (${ON_ITS_OWN}): remove "outlierDetection", or use MeshProvider.vpcLattice(), which turns it into target-group health checks`,
    );
  }
  return problems;
}

/** Versions with faults, as `service version`. */
export function faultyVersions(topology: Topology): string[] {
  return topology.services.flatMap((s) =>
    s.versions.filter(hasFaults).map((v) => `${s.name} ${v.name}`),
  );
}

/** The statements a flavor makes about the traffic policy, one per line of the synthesis. */
export function trafficPolicyNotes(topology: Topology, flavor: MeshFlavorName): string[] {
  if (flavor === 'service-connect') {
    return [
      `Service Connect: ${ON_ITS_OWN}; the topology sets neither retries nor outlierDetection here`,
    ];
  }
  if (flavor === 'vpc-lattice') return topology.services.flatMap((s) => latticeNotes(topology, s));
  return topology.services.flatMap(appMeshNotes);
}

function latticeNotes(topology: Topology, service: ServiceSpec): string[] {
  const notes: string[] = [];
  if (service.retries) {
    const callers = topology.services
      .filter((s) => (s.backends ?? []).some((b) => b.service === service.name))
      .map((s) => s.name);
    notes.push(
      `service "${service.name}": VPC Lattice does not retry; its callers (${callers.join(', ') || 'none'}) retry it themselves through service-kit's upstream client, configured by UPSTREAM_RETRIES`,
    );
  }
  if (service.outlierDetection) {
    const timing = latticeHealthCheckTiming(service);
    notes.push(
      `service "${service.name}": VPC Lattice has no outlier detection; it becomes target-group health checks of ${service.healthPath} every ${timing.intervalSeconds} s: a task is out after ${timing.unhealthyThresholdCount} failed checks and back after ${timing.healthyThresholdCount} passed ones (the checks probe the health path, not the answers to calls)`,
    );
  }
  return notes;
}

function appMeshNotes(service: ServiceSpec): string[] {
  if (!service.retries || service.retries.nonIdempotent) return [];
  return [
    `service "${service.name}": App Mesh's retry policy has no method condition, so Envoy retries POST and PATCH too; only the local router and service-kit keep retries to idempotent methods`,
  ];
}
