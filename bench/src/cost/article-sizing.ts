import type { DeploymentShape } from './shape';

/**
 * The article's deployment as its CDK code sizes it: backend and client tasks of 1 GiB on x86
 * (0.25 vCPU, Fargate's smallest CPU for that memory) each with an Envoy sidecar and a 256 MiB
 * X-Ray daemon reservation inside the task, the Envoy ingress gateway at 512 MiB, all in public
 * subnets with public IPs (no NAT gateway), one ALB and one private DNS namespace.
 */
/** A task of the article's: 0.25 vCPU on x86 in a public subnet with a public IP, one of each. */
function articleTask(name: string, memoryMiB: number, containers: string[]) {
  return {
    name,
    vcpu: 0.25,
    memoryMiB,
    architecture: 'X86_64',
    count: 1,
    containers,
    publicIp: true,
  } as const;
}

export const articleSizing: DeploymentShape = {
  tasks: [
    articleTask('color-teller-backend', 1024, ['app', 'envoy', 'xray']),
    articleTask('color-teller-client', 1024, ['app', 'envoy', 'xray']),
    articleTask('ingress-gateway', 512, ['envoy', 'xray']),
  ],
  applicationLoadBalancers: 1,
  natGateways: 0,
  // One log group per container that logs through the awslogs driver.
  logGroups: 8,
  privateDnsNamespaces: 1,
  // Two ALB nodes plus one address per task.
  publicIpv4Addresses: 5,
};
