import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  MeshProvider,
  MeshValidationError,
  appHealthProbe,
  healthcheckOf,
  imagesFromRepository,
} from '../src';
import { containerNamed, synthesize, taskOf, twoServices } from './fixtures';

/** A repository holding these files (path → text). */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mesh-foreign-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const service = (change: Partial<ServiceSpec>): ServiceSpec => ({
  name: 'orders',
  codePath: 'services/orders',
  port: 8000,
  healthPath: '/healthz',
  versions: [{ name: 'v1' }],
  ...change,
});

describe('healthcheckOf a Dockerfile', () => {
  it.each([
    [
      'the exec form',
      'FROM python:3.12\nHEALTHCHECK --interval=5s CMD ["python3", "-c", "print(1)"]\n',
      ['CMD', 'python3', '-c', 'print(1)'],
    ],
    [
      'the shell form, continued over lines',
      'FROM alpine:3\nHEALTHCHECK --retries=2 \\\n  CMD wget -q -O- http://127.0.0.1:8000/healthz || exit 1\n',
      ['CMD-SHELL', 'wget -q -O- http://127.0.0.1:8000/healthz || exit 1'],
    ],
    ['no HEALTHCHECK', 'FROM alpine:3\nCMD ["./server"]\n', undefined],
    ['HEALTHCHECK NONE', 'FROM base:1\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n', undefined],
    [
      'a HEALTHCHECK of an earlier stage only',
      'FROM golang:1.23 AS build\nHEALTHCHECK CMD true\nFROM scratch\nCOPY --from=build /app /app\n',
      undefined,
    ],
  ])('reads %s', (_name, dockerfile, command) => {
    expect(healthcheckOf(dockerfile)).toEqual(command);
  });
});

describe('appHealthProbe, per kind of service', () => {
  const root = repository({
    'services/orders/Dockerfile': 'FROM python:3.12\nHEALTHCHECK CMD ["python3", "probe.py"]\n',
    'services/bare/Dockerfile': 'FROM scratch\nCOPY server /\n',
  });

  it("probes a Node service of this repository with its image's node", () => {
    expect(appHealthProbe(service({ command: undefined }), root)).toEqual({ kind: 'node' });
  });

  it('copies the HEALTHCHECK of a foreign service’s own Dockerfile', () => {
    expect(appHealthProbe(service({ command: ['python3', 'app.py'] }), root)).toEqual({
      kind: 'dockerfile',
      command: ['CMD', 'python3', 'probe.py'],
    });
  });

  it('adds no container check when the Dockerfile declares none, or the image is a registry one', () => {
    const bare = service({ codePath: 'services/bare', command: ['./server'] });
    expect(appHealthProbe(bare, root)).toMatchObject({ kind: 'none' });
    const pulled = service({ command: ['python3', 'app.py'], image: 'orders:1.4.2' });
    expect(appHealthProbe(pulled, root)).toMatchObject({ kind: 'none' });
  });
});

describe('GIVEN foreign services WHEN synthesized with their images', () => {
  const root = repository({
    'services/color-backend/Dockerfile': 'FROM scratch\n',
    'services/color-client/Dockerfile': 'FROM scratch\n',
  });

  it('THEN a service with an image runs that reference, with no container health check', () => {
    const topology = twoServices();
    const withImage: Topology = {
      ...topology,
      services: topology.services.map((s) =>
        s.name === 'color' ? { ...s, image: 'public.ecr.aws/acme/color:2.1.0' } : s,
      ),
    };
    const { template } = synthesize(withImage, MeshProvider.serviceConnect(), {
      image: imagesFromRepository(root),
      appHealthProbe: (s) => appHealthProbe(s, root),
    });
    const app = containerNamed(taskOf(template, 'SystemColorRedTask'), 'app');
    expect(app.Image).toBe('public.ecr.aws/acme/color:2.1.0');
    expect(app.HealthCheck).toBeUndefined();
  });

  it.each([
    ['a Service Connect backend', 'color', () => MeshProvider.serviceConnect(), 1],
    ['the ingress (its ALB checks it)', 'client', () => MeshProvider.serviceConnect(), 0],
    [
      'a VPC Lattice backend (its target group checks it)',
      'color',
      () => MeshProvider.vpcLattice(),
      0,
    ],
  ])(
    'THEN an image without a health check warns only where nothing checks it: %s',
    (_case, name, provider, warnings) => {
      const topology = twoServices();
      const withImage: Topology = {
        ...topology,
        services: topology.services.map((s) =>
          s.name === name ? { ...s, image: 'public.ecr.aws/acme/app:2.1.0' } : s,
        ),
      };
      const { system } = synthesize(withImage, provider(), {
        image: imagesFromRepository(root),
        appHealthProbe: (s) => appHealthProbe(s, root),
      });
      const found = Annotations.fromStack(Stack.of(system)).findWarning(
        '*',
        Match.stringLikeRegexp(`service "${name}" has no container health check`),
      );
      expect(found).toHaveLength(warnings);
    },
  );

  it('THEN every service without a Dockerfile or an image is named in one error', () => {
    const topology = twoServices();
    const missing: Topology = {
      ...topology,
      services: topology.services.map((s) => ({ ...s, codePath: `elsewhere/${s.name}` })),
    };
    const render = () =>
      synthesize(missing, MeshProvider.serviceConnect(), { image: imagesFromRepository(root) });
    expect(render).toThrow(MeshValidationError);
    expect(render).toThrow(
      /service "color" has no elsewhere\/color\/Dockerfile to build its image from: add one, or give the service an "image"[\s\S]*service "client" has no elsewhere\/client\/Dockerfile/,
    );
  });
});
