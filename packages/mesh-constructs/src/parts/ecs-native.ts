/** How the ECS native flavors (Service Connect, VPC Lattice) attach the ingress. */
import type { IMeshedService, IMeshIngress, IngressAttachment } from '../contracts';
import { APP_CONTAINER_NAME } from '../service-version';
import { shiftsTraffic } from './deployment';

/** The ALB sends every path straight to the service's app containers, one target group a version. */
export function albFrontsVersions(
  ingress: IMeshIngress,
  service: IMeshedService,
): IngressAttachment {
  return {
    fronted: service.versions.map((version) => ({
      version,
      target: ingress.addTarget(version.node.id, {
        service: version.fargateService,
        containerName: APP_CONTAINER_NAME,
        containerPort: service.serviceSpec.port,
        healthCheckPath: service.serviceSpec.healthPath,
        alternateTargets: shiftsTraffic(service.serviceSpec),
      }),
    })),
  };
}
