/**
 * Every outside name a task of the ECS native flavors resolves, in one place: the hosts the
 * topology declares, and the AWS endpoints the tasks need, each with why. On Fargate (platform
 * 1.4) the task's own network interface carries image pulls, the awslogs driver and secrets (ECS
 * Developer Guide, "Fargate task networking"); the apps add X-Ray and Lattice. The tasks call
 * neither STS (ECS hands them role credentials on a link-local address), SSM nor Secrets Manager
 * (the system has no secrets), so those are absent. A name missing here shows up as NXDOMAIN in
 * the Resolver query logs (`dnsQueryLogs`).
 */
import type { Topology } from '@color-teller/topology';
import { Aws } from 'aws-cdk-lib';
import type { MeshFlavorName } from '../mesh-flavor';

export interface AwsEndpointName {
  /** A DNS Firewall domain: exact, or `*.` followed by a domain for its subdomains. */
  readonly domain: string;
  readonly reason: string;
  /** @default - every ECS native flavor needs it */
  readonly onlyFor?: MeshFlavorName;
}

const REGION = Aws.REGION;

export const AWS_ENDPOINT_NAMES: readonly AwsEndpointName[] = [
  {
    domain: `api.ecr.${REGION}.amazonaws.com`,
    reason: 'ECR API: the registry token and the manifests of the system images',
  },
  {
    domain: `*.dkr.ecr.${REGION}.amazonaws.com`,
    reason:
      "ECR registries: the system images, named by the owning account's ID; the collector comes through the account's pull-through cache of ECR Public, so no public registry is named",
  },
  {
    domain: `prod-${REGION}-starport-layer-bucket.s3.${REGION}.amazonaws.com`,
    reason: 'the S3 bucket ECR serves private image layers from',
  },
  {
    domain: `logs.${REGION}.amazonaws.com`,
    reason: 'CloudWatch Logs: the awslogs driver of every container',
  },
  {
    domain: `xray.${REGION}.amazonaws.com`,
    reason: "X-Ray: the collector's trace exporter",
  },
  {
    // The AWS CLI's example of DiscoverPollEndpoint answers serviceConnectEndpoint
    // `https://ecs-sc.<region>.api.aws`: the Service Connect agent's control endpoint.
    domain: `ecs-sc.${REGION}.api.aws`,
    reason: 'the Service Connect agent polls its configuration (listeners, routes) here',
    onlyFor: 'service-connect',
  },
  {
    domain: `ecs.${REGION}.amazonaws.com`,
    reason: 'ECS API: DiscoverPollEndpoint, which names the Service Connect control endpoint',
    onlyFor: 'service-connect',
  },
  {
    domain: `*.vpc-lattice-svcs.${REGION}.on.aws`,
    reason: 'VPC Lattice services: the backend URLs callers resolve',
    onlyFor: 'vpc-lattice',
  },
];

/** The host of each declared external, once each. */
export function externalHosts(topology: Topology): string[] {
  return [...new Set((topology.externals ?? []).map((e) => new URL(e.baseUrl).hostname))];
}

/** The names tasks of `flavor` may resolve: declared hosts first, then AWS endpoints. */
export function allowedEgressNames(topology: Topology, flavor: MeshFlavorName): string[] {
  const aws = AWS_ENDPOINT_NAMES.filter((n) => (n.onlyFor ?? flavor) === flavor);
  return [...externalHosts(topology), ...aws.map((n) => n.domain)];
}

/** The port every task may open outward: tasks' security groups let out HTTPS only. */
export const HTTPS_PORT = 443;

/** Externals on another port than 443, which the tasks' security groups would refuse. */
export function externalPortProblems(topology: Topology): string[] {
  return (topology.externals ?? []).flatMap((external) => {
    const port = new URL(external.baseUrl).port;
    if (port === '' || Number(port) === HTTPS_PORT) return [];
    return [
      `external "${external.name}": baseUrl ${external.baseUrl} uses port ${port}, and tasks may open only HTTPS on ${HTTPS_PORT} outward; use the API's address on port ${HTTPS_PORT}`,
    ];
  });
}
