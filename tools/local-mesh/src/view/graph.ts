import {
  externalBackends,
  ingressService,
  serviceBackends,
  weightPercentages,
} from '@color-teller/topology';
import type { Topology } from '@color-teller/topology';
import { hasRouter } from '../routed';

export interface ViewNode {
  readonly id: string;
  readonly kind: 'ingress' | 'service' | 'router' | 'version' | 'egress' | 'external';
  readonly name: string;
  /** The process behind the node (`service version`), for routers, versions and egress forwarders. */
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

/** The topology as the view draws it: ingress, services, their routers and versions, externals. */
export function graphOf(topology: Topology): ViewGraph {
  const nodes: ViewNode[] = [{ id: 'ingress', kind: 'ingress', name: 'ingress' }];
  const edges: ViewEdge[] = [{ from: 'ingress', to: `service:${ingressService(topology).name}` }];
  for (const external of topology.externals ?? []) {
    nodes.push({ id: `external:${external.name}`, kind: 'external', name: external.name });
  }
  for (const service of topology.services) {
    const serviceId = `service:${service.name}`;
    nodes.push({ id: serviceId, kind: 'service', name: service.name });
    for (const backend of serviceBackends(topology, service)) {
      edges.push({ from: serviceId, to: `service:${backend.service}` });
    }
    const externals = externalBackends(topology, service);
    if (externals.length > 0) {
      // Calls to externals pass the caller's egress forwarder: its figures label the edge.
      const id = `egress:${service.name}`;
      const process = `${service.name} egress`;
      nodes.push({ id, kind: 'egress', name: process, process });
      edges.push({ from: serviceId, to: id });
      for (const external of externals) edges.push({ from: id, to: `external:${external.name}` });
    }
    let versionsFrom = serviceId;
    if (hasRouter(service)) {
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
