import { fileURLToPath } from 'node:url';
import {
  MeshValidationError,
  appHealthProbe,
  imagesFromRepository,
  type MeshProvider,
} from '@color-teller/mesh-constructs';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { App, Validations } from 'aws-cdk-lib';
import type { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ColorTellerStack } from './color-teller-stack';
import { applyFeatureFlags } from './feature-flags';
import {
  booleanContext,
  domainContext,
  natGatewaysContext,
  providerFor,
  withCliHint,
} from './options';

/** The repository root: the services' images build from it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The article's topology, used unless `-c topology=<file>` says otherwise. */
export const DEFAULT_TOPOLOGY_FILE = 'color-teller.topology.ts';

export interface ColorTellerAppOptions {
  readonly topology: Topology;
  /** @default - the flavor from `-c mesh=...`, else Service Connect */
  readonly provider?: MeshProvider;
  /** @default - images built from the repository's Dockerfiles */
  readonly image?: (service: ServiceSpec) => ContainerImage;
  /** @default - a new App reading the CLI's context */
  readonly app?: App;
}

/**
 * One stack per flavor (distinct names, so both can be deployed side by side), checked by
 * cdk-nag and the AWS Control Tower proactive controls.
 */
export function buildColorTellerApp(options: ColorTellerAppOptions): {
  app: App;
  stack: ColorTellerStack;
} {
  const app = options.app ?? new App();
  applyFeatureFlags(app, REPOSITORY_ROOT);
  const context = (key: string) => app.node.tryGetContext(key) as unknown;
  const provider = options.provider ?? providerFor(context('mesh') as string | undefined);
  const stackName = `ColorTeller-${provider.flavor}`;
  let stack: ColorTellerStack;
  try {
    stack = new ColorTellerStack(app, stackName, {
      description: `The Color Teller meshed on ECS Fargate (${provider.flavor})`,
      topology: options.topology,
      provider,
      image: options.image ?? imagesFromRepository(REPOSITORY_ROOT),
      // A service built from its own Dockerfile is health-checked with that Dockerfile's HEALTHCHECK.
      appHealthProbe: (service) => appHealthProbe(service, REPOSITORY_ROOT),
      certificateArn: context('certificateArn') as string | undefined,
      deletionProtection: booleanContext(context('deletionProtection'), 'deletionProtection'),
      natGateways: natGatewaysContext(context('natGateways')),
      domain: domainContext(context),
      dnsQueryLogs: booleanContext(context('dnsQueryLogs'), 'dnsQueryLogs'),
    });
  } catch (error) {
    if (error instanceof MeshValidationError) throw withCliHint(error, options.topology);
    throw error;
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());
  return { app, stack };
}
