/**
 * Images from ECR Public come through the account's own registry: an ECR pull-through cache rule
 * (upstream `public.ecr.aws`) copies them into a private repository on first pull. The tasks then
 * name no public registry, and the egress allow-list needs neither `public.ecr.aws` nor the CDN
 * it redirects layer downloads to (a name anyone can stand up a distribution under).
 */
import { createHash } from 'node:crypto';
import { Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { PinnedImage } from '../private/pinned-images';

const ECR_PUBLIC = 'public.ecr.aws';
/** An ECR repository prefix: 2 to 30 characters, lower-case words joined by `.`, `_` or `-`. */
const MAX_PREFIX = 30;
const RULE_ID = 'EcrPublicPullThroughCache';

/**
 * The stack's own prefix: a pull-through cache rule's prefix is unique in the registry (account
 * and Region), so two stacks deployed side by side must not share one.
 */
export function ecrPublicCachePrefix(stackName: string): string {
  const slug = stackName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const prefix = `ecr-public-${slug}`.replace(/-+$/, '');
  if (prefix.length <= MAX_PREFIX) return prefix;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  return `${prefix.slice(0, MAX_PREFIX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The stack's one pull-through cache rule for ECR Public, created on first use. */
function cacheRule(scope: Construct): ecr.CfnPullThroughCacheRule {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(RULE_ID);
  if (existing) return existing as ecr.CfnPullThroughCacheRule;
  return new ecr.CfnPullThroughCacheRule(stack, RULE_ID, {
    ecrRepositoryPrefix: ecrPublicCachePrefix(stack.stackName),
    upstreamRegistry: 'ecr-public',
    upstreamRegistryUrl: ECR_PUBLIC,
  });
}

/**
 * `image` (an ECR Public image) as the task pulls it: from the account's registry under the
 * stack's cache prefix, by the same tag and digest. The execution role may pull it, and import it
 * from upstream and create its repository on the first pull (ECR User Guide, "IAM permissions
 * required to sync an upstream registry").
 */
export function ecrPublicImageViaCache(
  taskDefinition: ecs.TaskDefinition,
  image: PinnedImage,
): ecs.ContainerImage {
  if (!image.repository.startsWith(`${ECR_PUBLIC}/`) || !image.digest) {
    throw new Error(
      `image ${image.repository}:${image.tag}: the pull-through cache takes an ${ECR_PUBLIC} image pinned by digest`,
    );
  }
  const rule = cacheRule(taskDefinition);
  const path = `${rule.ecrRepositoryPrefix}/${image.repository.slice(ECR_PUBLIC.length + 1)}`;
  const repository = ecr.Repository.fromRepositoryAttributes(
    taskDefinition,
    'CollectorRepository',
    {
      repositoryName: path,
      repositoryArn: Stack.of(taskDefinition).formatArn({
        service: 'ecr',
        resource: 'repository',
        resourceName: path,
      }),
    },
  );
  const executionRole = taskDefinition.obtainExecutionRole();
  executionRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
      resources: [repository.repositoryArn],
    }),
  );
  Validations.of(executionRole).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'ecr:GetAuthorizationToken, which every pull from a private ECR registry starts with, supports no resource-level permissions',
  });
  // The rule must exist before a task's first pull asks ECR to import the image.
  taskDefinition.node.addDependency(rule);
  return ecs.ContainerImage.fromEcrRepository(repository, `${image.tag}@${image.digest}`);
}
