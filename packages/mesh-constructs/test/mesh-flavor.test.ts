import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { MESH_FLAVORS, MeshFlavor, meshFlavorNamed, type MeshBindContext } from '../src';
import { twoServices } from './fixtures';

function bindContext(stack: Stack): MeshBindContext {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return {
    topology: twoServices(),
    vpc,
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
    logKey: new kms.Key(stack, 'Key'),
  };
}

describe('MESH_FLAVORS (the one list of flavors)', () => {
  it('lists every flavor once, the default first, each made by MeshFlavor.named', () => {
    expect(MESH_FLAVORS.map((entry) => entry.name)).toEqual([
      'service-connect',
      'vpc-lattice',
      'appmesh',
    ]);
    for (const entry of MESH_FLAVORS) expect(MeshFlavor.named(entry.name).name).toBe(entry.name);
  });

  it('marks App Mesh retired on 2026-09-30, succeeded by vpc-lattice, and nothing else', () => {
    expect(MESH_FLAVORS.filter((entry) => entry.retired)).toEqual([
      expect.objectContaining({
        name: 'appmesh',
        retired: { on: '2026-09-30', successor: 'vpc-lattice' },
      }),
    ]);
    expect(meshFlavorNamed('istio')).toBeUndefined();
  });
});

describe.each(MESH_FLAVORS)('GIVEN one $name flavor WHEN bound to two systems', (entry) => {
  it('THEN each system gets its own bound flavor, built in its own scope', () => {
    const app = new App();
    const flavor = MeshFlavor.named(entry.name);
    const [first, second] = ['One', 'Two'].map((name) => {
      const stack = new Stack(app, name);
      return { stack, mesh: flavor.bind(stack, bindContext(stack)) };
    });
    expect(first!.mesh).not.toBe(second!.mesh);
    const childrenOf = (stack: Stack) => stack.node.children.map((c) => c.node.id);
    expect(childrenOf(first!.stack)).toEqual(childrenOf(second!.stack));
  });
});
