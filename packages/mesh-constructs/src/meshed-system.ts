import {
  backendsFirst,
  findExternal,
  findService,
  serviceBackends,
  type ServiceSpec,
  type Topology,
} from '@color-teller/topology';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { MeshIngress } from './ingress';
import { MeshedService } from './meshed-service';
import type { SystemMesh } from './mesh-flavor';
import { MeshProvider } from './mesh-provider';
import { restrictGrantsToAwsServices } from './private/hardening';
import { systemVpc } from './private/network';
import { pascalCase } from './private/names';
import { systemEnv } from './private/system-env';
import { warnLocalOnlyTimeouts } from './private/timeouts';
import { warnUnwatchedHealth } from './private/unwatched-health';
import { MeshValidationError, validateForMesh } from './validation';
import type { AppHealthProbe } from './app-health-probe';
import { imagesOfTopology } from './images';
import { sayTrafficPolicy } from './private/traffic-policy';

export interface MeshedSystemProps {
  readonly topology: Topology;
  /** The image a service runs (e.g. `imagesFromRepository(root)`); its versions share it. */
  readonly image: (service: ServiceSpec) => ecs.ContainerImage;
  /**
   * How a service's app container is health-checked, e.g. `(s) => appHealthProbe(s, root)`,
   * which reads a foreign service's Dockerfile for its HEALTHCHECK.
   * @default - a Node service of this repository with its image's `node`; a service with a
   * `command` or an `image` with no container check (its ALB or Lattice target group checks it)
   */
  readonly appHealthProbe?: (service: ServiceSpec) => AppHealthProbe;
  /**
   * How services find and call each other.
   * @default MeshProvider.serviceConnect()
   */
  readonly provider?: MeshProvider;
  /**
   * The network to run in; it needs public and private subnets with egress.
   * @default - a new VPC over 2 AZs with `natGateways` NAT gateways, a flow log and an S3 gateway endpoint
   */
  readonly vpc?: ec2.IVpc;
  /**
   * ACM certificate ARN for an HTTPS ingress.
   * @default - plain HTTP on port 80
   */
  readonly certificateArn?: string;
  /**
   * Protect the load balancer from deletion.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * NAT gateways of the new VPC (ignored with `vpc`): 2 keeps each AZ's egress when the other
   * AZ fails; 0 saves the NAT gateway by running tasks in public subnets with public IPs.
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * The ingress's name, covered by `certificateArn`: an alias record in `hostedZone` points it
   * at the ALB and the `Url` output becomes `https://<domainName>`.
   * @default - no record; `Url` is the ALB's DNS name
   */
  readonly domainName?: string;
  /**
   * The public hosted zone of `domainName`.
   * @default - none; required with `domainName`
   */
  readonly hostedZone?: route53.IHostedZone;
}

/**
 * A whole validated topology on ECS Fargate: network, encrypted logs, cluster, one
 * `MeshedService` per service (backends first, each wired to its callers), and the ingress.
 */
export class MeshedSystem extends Construct {
  readonly provider: MeshProvider;
  /** The provider bound to this system: its discovery and routing. */
  readonly mesh: SystemMesh;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
  readonly logKey: kms.Key;
  readonly services: ReadonlyMap<string, MeshedService>;
  readonly ingress: MeshIngress;

  constructor(scope: Construct, id: string, props: MeshedSystemProps) {
    super(scope, id);
    const { topology } = props;
    this.provider = props.provider ?? MeshProvider.serviceConnect();
    validateForMesh(topology, this.provider);
    // Every service's image before anything is built: all missing Dockerfiles in one error.
    const { images, problems } = imagesOfTopology(topology.services, props.image);
    if (problems.length > 0) throw new MeshValidationError(this.provider.flavor, problems);
    const healthProbe = props.appHealthProbe ?? defaultHealthProbe;
    warnLocalOnlyTimeouts(this, topology);
    sayTrafficPolicy(this, topology, this.provider.flavor);

    this.logKey = logEncryptionKey(this);
    this.vpc = props.vpc ?? systemVpc(this, props.natGateways ?? 1, this.logKey);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.mesh = this.provider.bind(this, {
      topology,
      vpc: this.vpc,
      cluster: this.cluster,
      logKey: this.logKey,
    });
    const parts = [this.mesh, ...this.mesh.parts];

    const services = new Map<string, MeshedService>();
    for (const serviceSpec of backendsFirst(topology)) {
      const probe = healthProbe(serviceSpec);
      warnUnwatchedHealth(this, topology, this.provider.flavor, serviceSpec, probe);
      const service = new MeshedService(this, pascalCase(serviceSpec.name), {
        cluster: this.cluster,
        serviceSpec,
        image: images.get(serviceSpec.name)!,
        healthProbe: probe,
        backendUrl: (name) =>
          findExternal(topology, name)?.baseUrl ??
          this.mesh.backendUrl(findService(topology, name)),
        environment: systemEnv(topology, serviceSpec, this.vpc),
        logKey: this.logKey,
        parts,
      });
      this.mesh.serviceReady?.(service);
      services.set(serviceSpec.name, service);
    }
    for (const client of services.values()) {
      for (const backend of serviceBackends(topology, client.serviceSpec)) {
        const server = services.get(backend.service)!;
        // A Service Connect client only sees servers that existed when its task started.
        client.deploysAfter(server);
        this.mesh.connect(client, server);
      }
    }
    this.services = services;

    this.ingress = new MeshIngress(this, 'Ingress', {
      vpc: this.vpc,
      certificateArn: props.certificateArn,
      deletionProtection: props.deletionProtection,
      domainName: props.domainName,
      hostedZone: props.hostedZone,
    });
    const fronted = this.mesh.attachIngress(this.ingress, services.get(topology.ingress.service)!);
    for (const { version, target } of fronted) {
      for (const part of parts) part.ingressTargetReady?.(version, target);
    }
    new CfnOutput(this, 'Url', {
      value: this.ingress.url,
      description: `The ${topology.name} page (${this.provider.flavor})${this.ingress.urlNote}`,
    });
  }
}

/** One key for every log group of the system, usable by CloudWatch Logs in this account only. */
function logEncryptionKey(scope: Construct): kms.Key {
  const key = new kms.Key(scope, 'LogKey', {
    description: 'Encrypts the logs of the meshed system',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  const stack = Stack.of(scope);
  restrictGrantsToAwsServices(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: [
        'kms:Encrypt*',
        'kms:Decrypt*',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
        'kms:Describe*',
      ],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${stack.account}:*`,
        },
      },
    }),
  );
  return key;
}

/** Without the Dockerfiles at hand: the image's `node` for this repository's services, else none. */
function defaultHealthProbe(service: ServiceSpec): AppHealthProbe {
  return service.command || service.image
    ? { kind: 'none', reason: 'no Dockerfile was read (pass appHealthProbe)' }
    : { kind: 'node' };
}
