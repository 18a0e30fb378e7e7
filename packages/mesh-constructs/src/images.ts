import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSpec } from '@color-teller/topology';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** What never goes into a service image's build context (keeps asset staging cheap too). */
export const IMAGE_CONTEXT_EXCLUDES: readonly string[] = [
  '**/node_modules',
  // Every synthesized cloud assembly, at any depth and by any name (`cdk.out`, `cdk.out.review`,
  // `infra/cdk.out-lattice`): each holds staged copies of the contexts, hundreds of MB.
  '**/cdk.out*',
  '.git',
  '**/dist',
  'test-artifacts',
  'coverage',
  '.local-mesh',
  'bench/results',
  'bench/.build',
  // Mutation testing's sandboxes and reports: a run in progress must not change an image's hash.
  '.stryker-tmp',
  'reports',
  '**/*.tsbuildinfo',
];

/**
 * The patterns of `<Dockerfile>.dockerignore` (BuildKit's per-Dockerfile ignore file), so that
 * what Docker would not see does not change the asset's hash either.
 */
function dockerignorePatterns(repositoryRoot: string, dockerfile: string): string[] {
  const file = join(repositoryRoot, `${dockerfile}.dockerignore`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A service whose image cannot be had as given: its message names the service and the fix. */
export class ImageSourceError extends Error {
  override readonly name = 'ImageSourceError';
}

/** Whether the service is built from its own folder (a program of its own) rather than the workspace. */
const ownFolderBuild = (service: ServiceSpec): boolean => service.command !== undefined;

/**
 * Each service's image, ARM64 (Graviton):
 * - `image` given: that registry reference, pulled as it is (the topology checked it is tagged or pinned);
 * - a service of its own (`command` given): its folder is the build context, with its `Dockerfile`,
 *   so it needs nothing of this repository;
 * - a Node service of this repository: the build context is `repositoryRoot` (so it can use the
 *   workspace's packages), with the Dockerfile in its `codePath`.
 * A missing Dockerfile throws an {@link ImageSourceError} naming the service and the fix.
 */
export function imagesFromRepository(
  repositoryRoot: string,
): (service: ServiceSpec) => ecs.ContainerImage {
  return (service) => {
    if (service.image) return ecs.ContainerImage.fromRegistry(service.image);
    const file = `${service.codePath}/Dockerfile`;
    if (!existsSync(join(repositoryRoot, file))) {
      throw new ImageSourceError(
        `service "${service.name}" has no ${file} to build its image from: add one, or give the service an "image" (a tagged or digest-pinned registry reference)`,
      );
    }
    const [context, dockerfile] = ownFolderBuild(service)
      ? [join(repositoryRoot, service.codePath), 'Dockerfile']
      : [repositoryRoot, file];
    return ecs.ContainerImage.fromAsset(context, {
      file: dockerfile,
      exclude: [...IMAGE_CONTEXT_EXCLUDES, ...dockerignorePatterns(context, dockerfile)],
      ignoreMode: IgnoreMode.DOCKER,
      platform: Platform.LINUX_ARM64,
    });
  };
}

/**
 * Every service's image from `image`, collecting every {@link ImageSourceError} into one list:
 * the problems, and the images of the services that have one.
 */
export function imagesOfTopology(
  services: readonly ServiceSpec[],
  image: (service: ServiceSpec) => ecs.ContainerImage,
): { images: Map<string, ecs.ContainerImage>; problems: string[] } {
  const images = new Map<string, ecs.ContainerImage>();
  const problems: string[] = [];
  for (const service of services) {
    try {
      images.set(service.name, image(service));
    } catch (error) {
      if (!(error instanceof ImageSourceError)) throw error;
      problems.push(error.message);
    }
  }
  return { images, problems };
}
