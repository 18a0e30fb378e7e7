import { callerTimeoutEnv, type ServiceSpec, type Topology } from '@color-teller/topology';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The env a service gets from the system it runs in, the same in every flavor: how long it waits
 * for its backends (the topology's timeouts, as the mesh enforces them), and, for the service
 * the ingress fronts, whose `X-Forwarded-*` it keeps: the load balancer's (any address in the
 * VPC) and a sidecar proxy in its own task (loopback, App Mesh's Envoy).
 */
export function systemEnv(
  topology: Topology,
  serviceSpec: ServiceSpec,
  vpc: ec2.IVpc,
): Record<string, string> {
  const env = callerTimeoutEnv(topology, serviceSpec);
  if (serviceSpec.name === topology.ingress.service) {
    env.TRUST_FORWARDED_FROM = `${vpc.vpcCidrBlock},127.0.0.1`;
  }
  return env;
}
