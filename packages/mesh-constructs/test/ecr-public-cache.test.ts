import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import { ecrPublicCachePrefix, ecrPublicImageViaCache } from '../src/parts/ecr-public-cache';
import { PINNED_IMAGES } from '../src/private/pinned-images';

/** ECR's rule for a repository prefix: 2 to 30 characters, lower-case words joined by . _ or -. */
const VALID_PREFIX = /^(?=.{2,30}$)[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

describe('ecrPublicCachePrefix', () => {
  it("is the stack's name, lower-cased, after ecr-public-", () => {
    expect(ecrPublicCachePrefix('Test')).toBe('ecr-public-test');
    expect(ecrPublicCachePrefix('My_Stack.2')).toBe('ecr-public-my-stack-2');
  });

  it('shortens a long name with a hash of it, so that the two flavor stacks never share a prefix', () => {
    const connect = ecrPublicCachePrefix('ColorTeller-service-connect');
    const lattice = ecrPublicCachePrefix('ColorTeller-vpc-lattice');
    for (const prefix of [connect, lattice, ecrPublicCachePrefix('x'.repeat(128))]) {
      expect(prefix, prefix).toMatch(VALID_PREFIX);
    }
    expect(connect).not.toBe(lattice);
    expect(connect).toMatch(/^ecr-public-colortelle-[0-9a-f]{8}$/);
  });
});

describe('ecrPublicImageViaCache', () => {
  it('refuses an image that is not an ECR Public image pinned by digest, naming it', () => {
    const task = new ecs.FargateTaskDefinition(new Stack(new App(), 'Images'), 'Task');
    expect(() => ecrPublicImageViaCache(task, PINNED_IMAGES.nodeRuntime)).toThrow(
      'image node:22.23.3-alpine: the pull-through cache takes an public.ecr.aws image pinned by digest',
    );
    expect(() => ecrPublicImageViaCache(task, PINNED_IMAGES.envoy)).toThrow(/aws-appmesh-envoy/);
  });
});
