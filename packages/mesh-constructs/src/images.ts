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

/**
 * Images built from the repository: the build context is `repositoryRoot` (so a service can use
 * the workspace's packages) and the Dockerfile sits in the service's `codePath`. ARM64 (Graviton).
 */
export function imagesFromRepository(
  repositoryRoot: string,
): (service: ServiceSpec) => ecs.ContainerImage {
  return (service) => {
    const file = `${service.codePath}/Dockerfile`;
    return ecs.ContainerImage.fromAsset(repositoryRoot, {
      file,
      exclude: [...IMAGE_CONTEXT_EXCLUDES, ...dockerignorePatterns(repositoryRoot, file)],
      ignoreMode: IgnoreMode.DOCKER,
      platform: Platform.LINUX_ARM64,
    });
  };
}
