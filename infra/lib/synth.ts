import type { Topology } from '@color-teller/topology';
import { App } from 'aws-cdk-lib';
import { buildColorTellerApp } from './app';

/**
 * The context the CDK CLI gives every app it runs, with this project's settings (cdk.json sets
 * none of them): resource paths and asset locations in the templates' metadata, the CDKMetadata
 * resource, and asset bundling for every stack. With it an App synthesized here writes the same
 * templates, manifests and assets as `cdk synth`.
 */
export const CDK_CLI_CONTEXT: Readonly<Record<string, unknown>> = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
};

export interface FlavorSynthesis {
  readonly flavor: string;
  /** The cloud assembly's folder, e.g. `cdk.out/vpc-lattice`. */
  readonly outdir: string;
  /** From `-c key=value`; `mesh` is set to `flavor`. */
  readonly context: Readonly<Record<string, string>>;
  readonly topology: Topology;
}

/**
 * One flavor's cloud assembly, as `cdk synth -c mesh=<flavor>` writes it, in this process:
 * cdk-nag, the Control Tower rules and CloudFormation validation run as they do under the CLI,
 * and a failure throws. Later flavors in the same process reuse the validation engine that
 * aws-cdk-lib started for the first.
 */
export function synthesizeFlavor({ flavor, outdir, context, topology }: FlavorSynthesis): void {
  const app = new App({ outdir, context: { ...CDK_CLI_CONTEXT, ...context, mesh: flavor } });
  buildColorTellerApp({ app, topology });
  app.synth();
}
