import { describe, expect, it } from 'vitest';
import { MeshFlavor } from '../src';
import { resourcesOf, synthesize, twoServices, SYNTH_TIMEOUT_MS } from './fixtures';

describe.each([
  { natGateways: 1, privateSubnets: 2, publicIp: 'DISABLED' },
  { natGateways: 2, privateSubnets: 2, publicIp: 'DISABLED' },
  { natGateways: 0, privateSubnets: 0, publicIp: 'ENABLED' },
])(
  'GIVEN natGateways: $natGateways WHEN the system renders',
  ({ natGateways, privateSubnets, publicIp }) => {
    it(
      'THEN the VPC has that many NAT gateways and the tasks sit where they can reach out',
      () => {
        const { template } = synthesize(twoServices(), MeshFlavor.serviceConnect(), {
          natGateways,
        });
        template.resourceCountIs('AWS::EC2::NatGateway', natGateways);
        const subnets = Object.keys(resourcesOf(template, 'AWS::EC2::Subnet'));
        expect(subnets.filter((id) => id.includes('Private'))).toHaveLength(privateSubnets);
        for (const service of Object.values(resourcesOf(template, 'AWS::ECS::Service'))) {
          const network = service.Properties.NetworkConfiguration.AwsvpcConfiguration;
          expect(network.AssignPublicIp).toBe(publicIp);
          for (const subnet of network.Subnets as { Ref: string }[]) {
            expect(subnet.Ref).toMatch(natGateways > 0 ? /Private/ : /Public/);
          }
        }
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
      },
      SYNTH_TIMEOUT_MS,
    );
  },
);

it('fails when natGateways is not 0, 1 or 2, naming what each means', () => {
  expect(() => synthesize(twoServices(), MeshFlavor.serviceConnect(), { natGateways: 3 })).toThrow(
    /natGateways is 3; use 0 \(tasks in public subnets.*\), 1 .* or 2 \(one a zone/,
  );
});
