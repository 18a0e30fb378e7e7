import { defineTopology } from '@color-teller/topology';

/**
 * Imported from App Mesh by `npm run import -- appmesh tools/appmesh-import/test/fixtures/color-gallery.yaml --param GalleryDomain=gallery.local --param GalleryMesh=gallery --out docs/examples/color-gallery.topology.ts --report docs/examples/color-gallery.import.md`.
 * What carried over and what did not: docs/examples/color-gallery.import.md.
 * No task definition was given for teller, gallerygateway: each has a placeholder codePath that names no folder, so synthesis stops at it; set codePath to the folder with the service's Dockerfile, or set image.
 */
export default defineTopology({
  name: 'gallery',
  namespace: 'gallery.local',
  services: [
    {
      name: 'teller',
      codePath: 'fill-in/the-folder-with-the-dockerfile-of-teller',
      port: 9080,
      healthPath: '/ping',
      versions: [
        { name: 'ivory', weight: 2 },
        { name: 'amber', weight: 1 },
        { name: 'teal', weight: 1 },
      ],
    },
    {
      name: 'gallerygateway',
      codePath: 'fill-in/the-folder-with-the-dockerfile-of-gallerygateway',
      port: 9080,
      healthPath: '/',
      versions: [{ name: 'main' }],
      backends: [{ service: 'teller' }],
    },
  ],
  ingress: { service: 'gallerygateway' },
});
