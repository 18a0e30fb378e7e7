import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshedSystem, MeshProvider } from '@color-teller/mesh-constructs';
import {
  backendEnvVar,
  versionWeight,
  type ServiceSpec,
  type Topology,
} from '@color-teller/topology';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';

export const REPOSITORY_ROOT = new URL('../../../', import.meta.url).pathname;
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** Synthesis takes seconds, more on a busy 2-core machine. */
export const SYNTH_TIMEOUT_MS = 120_000;

/** The repository's CDK feature flags, so that the template is the one that would deploy. */
const FEATURE_FLAGS = (
  JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** The CloudFormation template of a topology rendered by `provider`, as JSON text. */
export function synthesizedTemplate(
  topology: Topology,
  provider: MeshProvider = MeshProvider.appMesh(),
  image: (service: ServiceSpec) => ContainerImage = (service) =>
    ContainerImage.fromRegistry(`example.com/${service.name}:test`),
): string {
  const outdir = mkdtempSync(join(tmpdir(), 'appmesh-import-synth-'));
  try {
    const app = new App({ outdir, context: FEATURE_FLAGS });
    const stack = new Stack(app, 'Imported');
    new MeshedSystem(stack, 'System', {
      topology,
      provider,
      image,
    });
    return JSON.stringify(Template.fromStack(stack).toJSON(), null, 1);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A scratch folder inside the repository: a written topology module imports
 * `@color-teller/topology`, which resolves only from within the workspace.
 */
export function scratchDir(): { dir: string; remove: () => void } {
  const parent = join(REPOSITORY_ROOT, 'test-artifacts');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'appmesh-import-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeScratch(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** What the round trip keeps: services, versions, weights, routes, backends, ports, health paths. */
export function shapeOf(topology: Topology) {
  return {
    ingress: topology.ingress.service,
    externals: [...(topology.externals ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    services: [...topology.services]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((service) => ({
        name: service.name,
        port: service.port,
        healthPath: service.healthPath,
        versions: service.versions.map((v) => ({
          name: v.name,
          weight: service.versions.length > 1 ? versionWeight(v) : undefined,
        })),
        routes: service.routes ?? [],
        backends: (service.backends ?? []).map((b) => ({
          service: b.service,
          envVar: backendEnvVar(b),
        })),
      })),
  };
}
