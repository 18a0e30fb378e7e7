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
import { Construct } from 'constructs';
import { defaultAddOns } from './add-ons';
import type { BoundMeshFlavor, IMeshFlavor, MeshAddOn, ServicePart } from './contracts';
import { MeshIngress, type MeshIngressOptions } from './ingress';
import { MeshedService } from './meshed-service';
import { MeshFlavor } from './mesh-flavor';
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

export interface MeshedSystemProps extends MeshIngressOptions {
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
   * @default MeshFlavor.serviceConnect()
   */
  readonly flavor?: IMeshFlavor;
  /**
   * The single-job pieces composed around the flavor, in the order their hooks run. Shorten,
   * reorder or extend the defaults: `defaultAddOns().filter((a) => a.name !== 'dashboard')`.
   * @default - `defaultAddOns()`: tracing, deployment strategies, rollback alarms, autoscaling,
   * the dashboard and the DNS firewall
   */
  readonly addOns?: readonly MeshAddOn[];
  /**
   * The network to run in; it needs public and private subnets with egress.
   * @default - the cluster's VPC, else a new VPC over 2 AZs with `natGateways` NAT gateways, a
   * flow log and an S3 gateway endpoint
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The ECS cluster the services run in; its VPC must be `vpc` when both are given.
   * @default - a new cluster in the VPC with Container Insights
   */
  readonly cluster?: ecs.ICluster;
  /**
   * NAT gateways of the new VPC (ignored with `vpc` or `cluster`): 2 keeps each AZ's egress when
   * the other AZ fails; 0 saves the NAT gateway by running tasks in public subnets with public IPs.
   * @default 1
   */
  readonly natGateways?: number;
}

/**
 * A whole validated topology on ECS Fargate: network, encrypted logs, cluster, one
 * `MeshedService` per service (each wired to its callers), the ingress, and the add-ons.
 */
export class MeshedSystem extends Construct {
  /** Tracing, deployment strategies, rollback alarms, autoscaling, the dashboard and the DNS firewall: fresh objects each call. */
  static defaultAddOns(): MeshAddOn[] {
    return defaultAddOns();
  }

  readonly flavor: IMeshFlavor;
  /** The flavor bound to this system: its discovery and routing. */
  readonly boundFlavor: BoundMeshFlavor;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly logKey: kms.Key;
  readonly services: ReadonlyMap<string, MeshedService>;
  readonly ingress: MeshIngress;

  constructor(scope: Construct, id: string, props: MeshedSystemProps) {
    super(scope, id);
    const { topology } = props;
    this.flavor = props.flavor ?? MeshFlavor.serviceConnect();
    validateForMesh(topology, this.flavor);
    checkNetwork(props);
    // Every service's image before anything is built: all missing Dockerfiles in one error.
    const { images, problems } = imagesOfTopology(topology.services, props.image);
    if (problems.length > 0) throw new MeshValidationError(this.flavor.name, problems);
    const healthProbe = props.appHealthProbe ?? defaultHealthProbe;
    warnLocalOnlyTimeouts(this, topology);
    sayTrafficPolicy(this, topology, this.flavor.name);

    this.logKey = logEncryptionKey(this);
    this.vpc =
      props.vpc ?? props.cluster?.vpc ?? systemVpc(this, props.natGateways ?? 1, this.logKey);
    this.cluster =
      props.cluster ??
      new ecs.Cluster(this, 'Cluster', {
        vpc: this.vpc,
        containerInsightsV2: ecs.ContainerInsights.ENABLED,
      });
    const context = { topology, vpc: this.vpc, cluster: this.cluster, logKey: this.logKey };
    this.boundFlavor = this.flavor.bind(this, context);
    const flavor = this.boundFlavor;
    const addOnContext = { ...context, flavorName: this.flavor.name, flavor };
    const parts: ServicePart[] = [
      flavor,
      ...(props.addOns ?? defaultAddOns()).map((addOn) => addOn.bind(this, addOnContext)),
    ];

    // Backends first is the order of the dashboard's rows; no flavor depends on it: a URL may be
    // a token that resolves at synthesis.
    const services = new Map<string, MeshedService>();
    for (const serviceSpec of backendsFirst(topology)) {
      const probe = healthProbe(serviceSpec);
      warnUnwatchedHealth(this, topology, this.flavor.name, serviceSpec, probe);
      const service = new MeshedService(this, pascalCase(serviceSpec.name), {
        cluster: this.cluster,
        serviceSpec,
        image: images.get(serviceSpec.name)!,
        healthProbe: probe,
        backendUrl: (name) =>
          findExternal(topology, name)?.baseUrl ?? flavor.backendUrl(findService(topology, name)),
        environment: systemEnv(topology, serviceSpec, this.vpc),
        logKey: this.logKey,
        parts,
      });
      flavor.serviceReady?.(service);
      services.set(serviceSpec.name, service);
    }
    const serviceNamed = (name: string): MeshedService => {
      const service = services.get(name);
      if (!service) throw new Error(`service "${name}" is not in topology ${topology.name}`);
      return service;
    };
    for (const client of services.values()) {
      for (const backend of serviceBackends(topology, client.serviceSpec)) {
        const server = serviceNamed(backend.service);
        // A Service Connect client only sees servers that existed when its task started.
        client.deploysAfter(server);
        flavor.connect(client, server);
      }
    }
    this.services = services;

    this.ingress = new MeshIngress(this, 'Ingress', {
      vpc: this.vpc,
      certificateArn: props.certificateArn,
      deletionProtection: props.deletionProtection,
      domainName: props.domainName,
      hostedZone: props.hostedZone,
      loadBalancer: props.loadBalancer,
    });
    const attached = flavor.attachIngress(this.ingress, serviceNamed(topology.ingress.service));
    for (const { version, target } of attached.fronted) {
      for (const part of parts) part.ingressTargetReady?.(version, target);
    }
    for (const gateway of attached.gateways ?? []) {
      for (const part of parts) part.ingressGatewayReady?.(gateway);
    }
    new CfnOutput(this, 'Url', {
      value: this.ingress.url,
      description: `The ${topology.name} page (${this.flavor.name})${this.ingress.urlNote}`,
    });
  }
}

/** A given cluster must run in the given VPC. */
function checkNetwork(props: MeshedSystemProps): void {
  const { vpc, cluster } = props;
  if (vpc && cluster && cluster.vpc !== vpc) {
    throw new Error(
      'the cluster runs in another VPC than vpc: pass the cluster alone (the system uses its VPC), or a cluster of that VPC',
    );
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
