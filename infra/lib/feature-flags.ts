import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';

/**
 * The CDK feature flags in the repository's `cdk.json` (those `cdk init` sets for this
 * aws-cdk-lib). The CLI reads them itself; an App built in code (tests, bench) gets them here.
 */
export function featureFlags(repositoryRoot: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(config.context ?? {}).filter(([key]) => key.startsWith('@aws-cdk')),
  );
}

/**
 * Where `cdk.json` departs from what `cdk init` sets, and why (a test keeps the two in step).
 */
export const FLAG_OVERRIDES: Readonly<Record<string, { value: unknown; reason: string }>> = {
  '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': {
    value: false,
    reason:
      'nothing is ever placed in the default security group (every resource has its own), and the flag adds a Lambda-backed custom resource to each stack',
  },
};

/** Sets every flag the app's own context does not already set (the command line wins). */
export function applyFeatureFlags(app: App, repositoryRoot: string): void {
  for (const [key, value] of Object.entries(featureFlags(repositoryRoot))) {
    if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, value);
  }
}
