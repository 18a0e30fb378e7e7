import type { DeploymentShape } from './shape';

/**
 * The article's deployment as its CDK code sizes it: backend and client tasks of 1 GiB on x86
 * (0.25 vCPU, Fargate's smallest CPU for that memory) each with an Envoy sidecar and a 256 MiB
 * X-Ray daemon reservation inside the task, the Envoy ingress gateway at 512 MiB, all in public
 * subnets with public IPs (no NAT gateway), one ALB and one private DNS namespace.
 */
export const articleSizing: DeploymentShape = {
  tasks: [
    {
      name: 'color-teller-backend',
      vcpu: 0.25,
      memoryMiB: 1024,
      architecture: 'X86_64',
      count: 1,
      containers: ['app', 'envoy', 'xray'],
      publicIp: true,
    },
    {
      name: 'color-teller-client',
      vcpu: 0.25,
      memoryMiB: 1024,
      architecture: 'X86_64',
      count: 1,
      containers: ['app', 'envoy', 'xray'],
      publicIp: true,
    },
    {
      name: 'ingress-gateway',
      vcpu: 0.25,
      memoryMiB: 512,
      architecture: 'X86_64',
      count: 1,
      containers: ['envoy', 'xray'],
      publicIp: true,
    },
  ],
  applicationLoadBalancers: 1,
  natGateways: 0,
  // One log group per container that logs through the awslogs driver.
  logGroups: 8,
  privateDnsNamespaces: 1,
  // Two ALB nodes plus one address per task.
  publicIpv4Addresses: 5,
};
