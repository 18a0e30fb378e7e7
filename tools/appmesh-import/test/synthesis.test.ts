import { imagesFromRepository, MeshProvider } from '@color-teller/mesh-constructs';
import type { ServiceSpec } from '@color-teller/topology';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import { importAppMesh } from '../src';
import { FIXTURES, REPOSITORY_ROOT, SYNTH_TIMEOUT_MS, synthesizedTemplate } from './support';

/** What the cloud runs, as ServiceSpec.image documents it: the image, else codePath's Dockerfile. */
const imageOf = (service: ServiceSpec) =>
  service.image
    ? ContainerImage.fromRegistry(service.image)
    : imagesFromRepository(REPOSITORY_ROOT)(service);

describe('synthesis of an imported topology', () => {
  it(
    'GIVEN templates with task definitions THEN the import synthesizes on VPC Lattice, running the images the tasks ran',
    () => {
      const { result } = importAppMesh({
        templates: [`${FIXTURES}paint-shop-mesh.yaml`, `${FIXTURES}paint-shop-tasks.json`],
      });
      const template = JSON.parse(
        synthesizedTemplate(result.topology, MeshProvider.vpcLattice(), imageOf),
      ) as {
        Resources: Record<
          string,
          { Type: string; Properties: { ContainerDefinitions?: { Image: unknown }[] } }
        >;
      };
      const images = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
        .flatMap((r) => r.Properties.ContainerDefinitions!.map((c) => c.Image));
      expect(images).toEqual(
        expect.arrayContaining([
          'registry.example.com/paint/storefront:1.4.2',
          'registry.example.com/paint/palette:1.4.2',
        ]),
      );
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'GIVEN a service with no task definition in the input THEN synthesis refuses its placeholder, naming the folder to fill in',
    () => {
      const { result } = importAppMesh({
        templates: [`${FIXTURES}color-gallery.yaml`],
        parameters: { GalleryDomain: 'gallery.local', GalleryMesh: 'gallery' },
      });
      expect(result.topology.services.map((s) => s.codePath)).toEqual([
        'fill-in/the-folder-with-the-dockerfile-of-teller',
        'fill-in/the-folder-with-the-dockerfile-of-gallerygateway',
      ]);
      expect(() =>
        synthesizedTemplate(result.topology, MeshProvider.vpcLattice(), imageOf),
      ).toThrow(/fill-in\/the-folder-with-the-dockerfile-of-(teller|gallerygateway)\/Dockerfile/);
    },
    SYNTH_TIMEOUT_MS,
  );
});
