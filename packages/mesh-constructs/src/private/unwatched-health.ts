import type { ServiceSpec, Topology } from '@color-teller/topology';
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AppHealthProbe } from '../app-health-probe';
import type { MeshFlavorName } from '../mesh-flavor';

/** Warning ID for a service whose health nothing checks; acknowledge it where that is intended. */
export const UNWATCHED_HEALTH_WARNING = '@color-teller/mesh-constructs:noHealthCheck';

/**
 * Says at synthesis when a service's health is checked by nothing: no container check, not the
 * ingress (the ALB checks that one), and a flavor without health checks of its own (Service
 * Connect has none; VPC Lattice's and App Mesh's target health checks cover the rest).
 */
export function warnUnwatchedHealth(
  scope: IConstruct,
  topology: Topology,
  flavor: MeshFlavorName,
  service: ServiceSpec,
  probe: AppHealthProbe,
): void {
  if (probe.kind !== 'none' || flavor !== 'service-connect') return;
  if (service.name === topology.ingress.service) return;
  Annotations.of(scope).addWarningV2(
    UNWATCHED_HEALTH_WARNING,
    `service "${service.name}" has no container health check (${probe.reason}) and Service Connect checks none: add a HEALTHCHECK with a program its image has to ${service.codePath}/Dockerfile, or a hung task stays in service`,
  );
}
