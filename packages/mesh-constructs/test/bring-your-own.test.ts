import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { CfnService } from 'aws-cdk-lib/aws-vpclattice';
import { describe, expect, it } from 'vitest';
import { MeshFlavor, MeshedService, MeshedSystem, type MeshedSystemProps } from '../src';
import { FEATURE_FLAGS, SYNTH_TIMEOUT_MS, twoServices } from './fixtures';

/** A stack with a VPC, cluster and ALB made outside the system, as a platform team would own them. */
function platform() {
  const app = new App({ context: FEATURE_FLAGS });
  const stack = new Stack(app, 'Platform');
  const vpc = new ec2.Vpc(stack, 'SharedVpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'SharedCluster', { vpc });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'SharedAlb', {
    vpc,
    internetFacing: true,
  });
  const render = (extra: Partial<MeshedSystemProps>) =>
    new MeshedSystem(stack, 'System', {
      topology: twoServices(),
      flavor: MeshFlavor.serviceConnect(),
      image: (service) => ecs.ContainerImage.fromRegistry(`example.com/${service.name}:test`),
      ...extra,
    });
  return { stack, vpc, cluster, loadBalancer, render };
}

describe('GIVEN a cluster and an ALB of your own WHEN the system renders', () => {
  it(
    'THEN it runs in that cluster and listens on that ALB, creating neither, nor a VPC',
    () => {
      const { stack, cluster, loadBalancer, render } = platform();
      const system = render({ cluster, loadBalancer });
      const template = Template.fromStack(stack);
      expect(system.cluster).toBe(cluster);
      expect(system.vpc).toBe(cluster.vpc);
      expect(system.ingress.loadBalancer).toBe(loadBalancer);
      expect(system.ingress.accessLogs).toBeUndefined();
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.resourceCountIs('AWS::S3::Bucket', 0);
      const clusterId = stack.getLogicalId(cluster.node.defaultChild as ecs.CfnCluster);
      for (const service of Object.values(template.findResources('AWS::ECS::Service'))) {
        expect(service.Properties.Cluster).toEqual({ Ref: clusterId });
      }
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: {
          Ref: stack.getLogicalId(loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer),
        },
        Port: 80,
      });
    },
    SYNTH_TIMEOUT_MS,
  );

  it('fails when the cluster runs in another VPC than the one given, naming the fix', () => {
    const { stack, cluster, render } = platform();
    const otherVpc = new ec2.Vpc(stack, 'OtherVpc', { maxAzs: 2, natGateways: 0 });
    expect(() => render({ cluster, vpc: otherVpc })).toThrow(
      /the cluster runs in another VPC than vpc: pass the cluster alone/,
    );
  });

  it('fails when deletionProtection is given with your own ALB, whose attributes stay yours', () => {
    const { loadBalancer, render } = platform();
    expect(() => render({ loadBalancer, deletionProtection: true })).toThrow(
      /deletionProtection applies to the load balancer the ingress creates/,
    );
  });
});

describe('GIVEN VPC Lattice bound to a system WHEN a caller asks for a URL before its server exists', () => {
  it('THEN the URL is a token that resolves to the Lattice service made later', () => {
    const app = new App();
    const stack = new Stack(app, 'Order');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const topology = twoServices();
    const bound = MeshFlavor.vpcLattice().bind(stack, {
      topology,
      vpc,
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
      logKey: new kms.Key(stack, 'Key'),
    });
    const color = topology.services[0]!;
    const url = bound.backendUrl(color);
    expect(() => stack.resolve(url)).toThrow(/service "color" has no Lattice service/);

    const server = new MeshedService(stack, 'Color', {
      cluster: new ecs.Cluster(stack, 'ServerCluster', { vpc }),
      serviceSpec: color,
      image: ecs.ContainerImage.fromRegistry('example.com/color:test'),
      backendUrl: () => 'http://unused',
      logKey: new kms.Key(stack, 'ServerKey'),
      parts: [bound],
    });
    bound.serviceReady?.(server);
    const latticeService = server.node.findChild('LatticeService') as CfnService;
    expect(stack.resolve(url)).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [stack.getLogicalId(latticeService), 'DnsEntry.DomainName'] }],
      ],
    });
  });
});
