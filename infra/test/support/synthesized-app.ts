import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopology } from '@color-teller/topology/load';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { synthesizedOnce } from '../../../packages/mesh-constructs/test/support/synthesized';
import { DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT, buildColorTellerApp } from '../../lib/app';

/**
 * Synthesis with assets, cdk-nag and the Control Tower rules takes about 10 s of CPU in a fresh
 * worker; with both cores shared by several other processes that exceeded 120 s once.
 */
export const SYNTH_TIMEOUT_MS = 300_000;

export interface SynthesizedApp {
  /** The cloud assembly's folder: templates, asset manifests, staged image contexts. */
  readonly outdir: string;
  readonly assembly: CloudAssembly;
}

/**
 * The CDK app as `npm run synth` builds it (images from the repository, cdk-nag, the Control
 * Tower rules, CloudFormation validation), for a topology file of the repository and a context
 * such as `{ mesh: 'vpc-lattice' }`. Each pair synthesizes once per test worker, shared by every
 * test file that asks for it (docs/testing.md): treat the result as read-only.
 */
export async function synthesizedApp(
  context: Record<string, string>,
  topologyFile = DEFAULT_TOPOLOGY_FILE,
): Promise<SynthesizedApp> {
  return synthesizedOnce({ app: 'infra', context, topologyFile }, async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'color-teller-infra-'));
    const topology = await loadTopology(topologyFile, REPOSITORY_ROOT);
    const { app } = buildColorTellerApp({ app: new App({ outdir, context }), topology });
    return { outdir, assembly: app.synth() };
  });
}
