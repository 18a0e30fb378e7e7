import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MeshProvider } from '../src';
import { PINNED_IMAGES, imageReference } from '../src/private/pinned-images';
import { canary, containersOf, synthesize, twoServices, SYNTH_TIMEOUT_MS } from './fixtures';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PINNED_REFERENCE = /^[^@\s]+:[^@:\s]+@sha256:[0-9a-f]{64}$/;
/** Images no source could give a digest for (see each one's `source`); nothing else may be here. */
const UNPINNED = ['envoy'];

describe('GIVEN the pinned images', () => {
  it('THEN each carries a sha256 digest beside its tag, except the listed unconfirmed ones', () => {
    for (const [name, image] of Object.entries(PINNED_IMAGES)) {
      const digest = (image as { digest?: string }).digest;
      if (UNPINNED.includes(name)) {
        expect(digest, name).toBeUndefined();
        expect(image.source, name).toMatch(/no published record/);
      } else {
        expect(digest, name).toMatch(DIGEST);
        expect(imageReference(image), name).toMatch(PINNED_REFERENCE);
      }
    }
  });

  it.each(['color-backend', 'color-client'])(
    "THEN %s's Dockerfile builds FROM exactly the pinned Node images",
    (service) => {
      const dockerfile = readFileSync(
        fileURLToPath(new URL(`../../../services/${service}/Dockerfile`, import.meta.url)),
        'utf8',
      );
      const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
      expect(froms).toEqual([
        imageReference(PINNED_IMAGES.nodeBuild),
        imageReference(PINNED_IMAGES.nodeRuntime),
      ]);
    },
  );
});

/**
 * An image as a string: a reference into the account's registry (the pull-through cache) is a
 * `Fn::Join` of the account, Region and URL suffix, written here as `\${AWS::AccountId}` and so on.
 */
function referenceOf(image: unknown): string {
  if (typeof image === 'string') return image;
  const [, parts] = (image as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((p) => (typeof p === 'string' ? p : `\${${(p as { Ref: string }).Ref}}`))
    .join('');
}

describe.each([
  {
    flavor: 'service-connect',
    render: () => synthesize(twoServices(), MeshProvider.serviceConnect()),
  },
  { flavor: 'appmesh (canary)', render: () => synthesize(canary(), MeshProvider.appMesh()) },
])('GIVEN $flavor WHEN synthesized', ({ render }) => {
  it(
    'THEN every sidecar image reference in the template carries its digest',
    () => {
      const unpinned = UNPINNED.map((name) =>
        imageReference(PINNED_IMAGES[name as keyof typeof PINNED_IMAGES]),
      );
      const images = containersOf(render().template)
        .map((c) => referenceOf(c.Image))
        // The fixture's app images stand in for the caller's own.
        .filter((image) => !image.startsWith('example.com/'));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        if (unpinned.includes(image)) continue;
        expect(image).toMatch(PINNED_REFERENCE);
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});
