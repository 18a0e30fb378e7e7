/**
 * App Mesh's way out of a `DROP_ALL` mesh: each external host is a virtual service provided by a
 * virtual node that finds it by DNS and passes TLS through on 443, and only its callers list it.
 */
import { externalBackends, type ServiceSpec, type Topology } from '@color-teller/topology';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import { Construct } from 'constructs';
import { HTTPS_PORT } from '../parts/egress-names';
import { pascalCase } from '../private/names';
import { acknowledgeRetired } from './retired';

export class AppMeshExternals extends Construct {
  /** By host: two externals on one host share its virtual service. */
  private readonly virtualServices = new Map<string, appmesh.VirtualService>();

  constructor(scope: Construct, id: string, mesh: appmesh.IMesh, topology: Topology) {
    super(scope, id);
    for (const external of topology.externals ?? []) {
      const host = new URL(external.baseUrl).hostname;
      if (this.virtualServices.has(host)) continue;
      const name = pascalCase(external.name);
      const node = new appmesh.VirtualNode(this, `${name}Node`, {
        mesh,
        virtualNodeName: `external-${external.name}`,
        serviceDiscovery: appmesh.ServiceDiscovery.dns(host),
        // TCP, not HTTP: the caller's TLS goes to the host untouched.
        listeners: [appmesh.VirtualNodeListener.tcp({ port: HTTPS_PORT })],
      });
      const virtualService = new appmesh.VirtualService(this, `${name}Service`, {
        virtualServiceName: host,
        virtualServiceProvider: appmesh.VirtualServiceProvider.virtualNode(node),
      });
      acknowledgeRetired(node);
      acknowledgeRetired(virtualService);
      this.virtualServices.set(host, virtualService);
    }
  }

  /** Lists the externals `caller` calls as backends of `node`, one of its versions' nodes. */
  addBackendsTo(node: appmesh.VirtualNode, topology: Topology, caller: ServiceSpec): void {
    for (const external of externalBackends(topology, caller)) {
      const host = new URL(external.baseUrl).hostname;
      const virtualService = this.virtualServices.get(host);
      if (!virtualService) {
        throw new Error(
          `external "${external.name}" (${host}) is not in the topology these externals were made from`,
        );
      }
      node.addBackend(appmesh.Backend.virtualService(virtualService));
      node.node.addDependency(virtualService);
    }
  }
}
