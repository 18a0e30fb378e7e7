import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { expect } from 'vitest';
import { MeshedSystem, type MeshedSystemProps, type IMeshFlavor } from '../src';
import { synthesizedOnce } from './support/synthesized';

/** CloudFormation JSON as read back from a template: loosely typed on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Cfn = any;

/** Synthesis with cdk-nag takes seconds, more on a busy 2-core machine: hooks get room for it. */
export const SYNTH_TIMEOUT_MS = 120_000;

/** The article's two services, with scaling and timeouts so that every element renders. */
export function twoServices(
  overrides: { color?: Partial<ServiceSpec>; client?: Partial<ServiceSpec> } = {},
): Topology {
  return {
    name: 'color-teller',
    namespace: 'color-teller.local',
    services: [
      {
        name: 'color',
        codePath: 'services/color-backend',
        port: 3000,
        healthPath: '/health',
        versions: [{ name: 'red', env: { COLOR: 'red' } }],
        timeouts: { perRequestMs: 4000, idleMs: 30000 },
        ...overrides.color,
      },
      {
        name: 'client',
        codePath: 'services/color-client',
        port: 8080,
        healthPath: '/healthz',
        env: { VERSION: 'vanilla' },
        backends: [{ service: 'color' }],
        versions: [{ name: 'vanilla' }],
        scaling: { minTasks: 2, maxTasks: 6, targetCpuPercent: 55, requestsPerTarget: 500 },
        ...overrides.client,
      },
    ],
    ingress: { service: 'client' },
  };
}

/** red 80 / blue 20 with a header route and a cookie route to blue. */
export function canary(): Topology {
  return twoServices({
    color: {
      versions: [
        { name: 'red', weight: 80, env: { COLOR: 'red' } },
        { name: 'blue', weight: 20, env: { COLOR: 'blue' } },
      ],
      routes: [
        { version: 'blue', whenHeader: { name: 'X-Color-Version', equals: 'blue' } },
        { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
      ],
    },
  });
}

export interface Synthesized {
  readonly template: Template;
  readonly system: MeshedSystem;
  /** The plugins' validation report (cdk-nag, CloudFormation Validate) as written by synthesis. */
  readonly report: ValidationReport;
}

export interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly { ruleName: string }[];
    readonly suppressedViolations?: readonly {
      ruleName: string;
      acknowledgedId?: string;
      reason?: string;
      acknowledgedAt?: string;
      violatingConstructs: readonly { constructPath: string }[];
    }[];
  }[];
}

/** The repository's CDK feature flags (its `cdk.json`), so that tests render what deploys. */
export const FEATURE_FLAGS = (
  JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * Synthesizes one system in its own stack with registry images (no Docker, no assets). The same
 * topology, flavor and props synthesize once per worker (`support/synthesized.ts`): treat the
 * result as read-only.
 */
export function synthesize(
  topology: Topology,
  flavor: IMeshFlavor,
  extra: Partial<MeshedSystemProps> & { nag?: boolean } = {},
): Synthesized {
  return synthesizedOnce({ topology, flavor, extra }, () =>
    synthesizeAfresh(topology, flavor, extra),
  );
}

function synthesizeAfresh(
  topology: Topology,
  flavor: IMeshFlavor,
  extra: Partial<MeshedSystemProps> & { nag?: boolean },
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-constructs-'));
  const app = new App({ outdir, context: FEATURE_FLAGS });
  const stack = new Stack(app, 'Test');
  const system = new MeshedSystem(stack, 'System', {
    topology,
    flavor,
    image: (service) => ContainerImage.fromRegistry(`example.com/${service.name}:test`),
    ...extra,
  });
  if (extra.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());
  }
  const template = Template.fromStack(stack);
  app.synth();
  const report = JSON.parse(
    readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return { template, system, report };
}

/** The resources of one type, by logical ID. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: Cfn; DependsOn?: string[] }> {
  return template.findResources(type) as Record<string, { Properties: Cfn; DependsOn?: string[] }>;
}

/** The container definitions of every task definition, flattened. */
export function containersOf(template: Template): Cfn[] {
  return Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition')).flatMap(
    (task) => task.Properties.ContainerDefinitions as Cfn[],
  );
}

/** A container's env as a plain object. */
export function envOf(container: {
  Environment?: { Name: string; Value: unknown }[];
}): Record<string, unknown> {
  return Object.fromEntries((container.Environment ?? []).map((e) => [e.Name, e.Value]));
}

/** The one task definition whose logical ID starts with `prefix` (e.g. `SystemColorRedTask`). */
export function taskOf(template: Template, prefix: string): Cfn {
  const matches = Object.entries(resourcesOf(template, 'AWS::ECS::TaskDefinition')).filter(([id]) =>
    id.startsWith(prefix),
  );
  if (matches.length !== 1)
    throw new Error(`expected one task definition ${prefix}*, got ${matches.length}`);
  return matches[0]![1].Properties;
}

export function containerNamed(task: Cfn, name: string): Cfn {
  const container = (task.ContainerDefinitions as Cfn[]).find((c) => c.Name === name);
  if (!container) throw new Error(`no container "${name}"`);
  return container;
}

export function logicalIdStartingWith(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(resourcesOf(template, type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, got ${ids.join(', ')}`);
  return ids[0]!;
}

/** The URL a caller's env holds for a service on VPC Lattice: its Lattice service's DNS name. */
export function latticeUrlOf(service: 'Color'): Cfn {
  return {
    'Fn::Join': [
      '',
      [
        'https://',
        {
          'Fn::GetAtt': [
            expect.stringMatching(new RegExp(`^System${service}LatticeService`)),
            'DnsEntry.DomainName',
          ],
        },
      ],
    ],
  };
}
