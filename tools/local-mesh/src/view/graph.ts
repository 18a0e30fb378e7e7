import { ingressService, needsRouting, weightPercentages } from '@color-teller/topology';
import type { Topology } from '@color-teller/topology';

export interface ViewNode {
  readonly id: string;
  readonly kind: 'ingress' | 'service' | 'router' | 'version';
  readonly name: string;
  /** The process behind the node (`service version`), for routers and versions. */
  readonly process?: string;
  /** A version's configured share of its service's unrouted traffic, in percent. */
  readonly weightPercent?: number;
}

export interface ViewEdge {
  readonly from: string;
  readonly to: string;
}

export interface ViewGraph {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
}

/** The topology as the view draws it: ingress, services, their routers and versions. */
export function graphOf(topology: Topology): ViewGraph {
  const nodes: ViewNode[] = [{ id: 'ingress', kind: 'ingress', name: 'ingress' }];
  const edges: ViewEdge[] = [{ from: 'ingress', to: `service:${ingressService(topology).name}` }];
  for (const service of topology.services) {
    const serviceId = `service:${service.name}`;
    nodes.push({ id: serviceId, kind: 'service', name: service.name });
    for (const backend of service.backends ?? []) {
      edges.push({ from: serviceId, to: `service:${backend.service}` });
    }
    let versionsFrom = serviceId;
    if (needsRouting(service)) {
      versionsFrom = `router:${service.name}`;
      const process = `${service.name} router`;
      nodes.push({ id: versionsFrom, kind: 'router', name: `${service.name} router`, process });
      edges.push({ from: serviceId, to: versionsFrom });
    }
    const weights = weightPercentages(service);
    for (const version of service.versions) {
      const id = `version:${service.name}:${version.name}`;
      const process = `${service.name} ${version.name}`;
      nodes.push({
        id,
        kind: 'version',
        name: process,
        process,
        weightPercent: weights[version.name]!,
      });
      edges.push({ from: versionsFrom, to: id });
    }
  }
  return { nodes, edges };
}
