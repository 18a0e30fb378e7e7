import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from '@color-teller/topology';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import { imagesFromRepository } from '../src';

/** A repository with one service folder and the heavy folders an image must never carry. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'mesh-images-'));
  for (const [path, text] of Object.entries({
    'services/color-backend/Dockerfile': 'FROM scratch\n',
    'services/color-backend/Dockerfile.dockerignore':
      '# BuildKit reads this for that Dockerfile\n**/*.test.ts\n',
    'services/color-backend/src/server.ts': 'export {};\n',
    'services/color-backend/src/server.test.ts': 'export {};\n',
    'package.json': '{}\n',
    'node_modules/big/index.js': '',
    'services/color-backend/node_modules/big/index.js': '',
    'cdk.out/manifest.json': '{}',
    'cdk.out.review/manifest.json': '{}',
    'cdk.out-lattice/asset.0123/big.tar': '',
    'services/color-backend/cdk.out/manifest.json': '{}',
    'services/color-backend/cdk.out.local/manifest.json': '{}',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'test-artifacts/trace.zip': '',
  })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('imagesFromRepository', () => {
  it('builds a service image for ARM64 from the repository root with the Dockerfile in its codePath, leaving out heavy folders (every cdk.out* at any depth) and what its Dockerfile.dockerignore ignores', () => {
    const root = repository();
    const outdir = mkdtempSync(join(tmpdir(), 'mesh-images-out-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Images');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    const service = { name: 'color', codePath: 'services/color-backend' } as ServiceSpec;
    task.addContainer('app', { image: imagesFromRepository(root)(service) });
    app.synth();

    const manifest = JSON.parse(readFileSync(join(outdir, 'Images.assets.json'), 'utf8')) as {
      dockerImages: Record<
        string,
        { source: { directory: string; dockerFile: string; platform: string } }
      >;
    };
    const [image] = Object.values(manifest.dockerImages).map((i) => i.source);
    expect(image).toMatchObject({
      dockerFile: 'services/color-backend/Dockerfile',
      platform: 'linux/arm64',
    });
    const staged = join(outdir, image!.directory);
    expect(readdirSync(staged).sort()).toEqual(['package.json', 'services']);
    expect(readdirSync(join(staged, 'services/color-backend')).sort()).toEqual([
      'Dockerfile',
      'Dockerfile.dockerignore',
      'src',
    ]);
    // The Dockerfile's own ignore file applies to the staged context too.
    expect(readdirSync(join(staged, 'services/color-backend/src'))).toEqual(['server.ts']);
  });

  it("stages only what the real backend image is built from: the manifests, the kit and the backend's sources", () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const outdir = mkdtempSync(join(tmpdir(), 'mesh-images-real-'));
    const app = new App({ outdir });
    const task = new ecs.FargateTaskDefinition(new Stack(app, 'Real'), 'Task');
    const service = { name: 'color', codePath: 'services/color-backend' } as ServiceSpec;
    task.addContainer('app', { image: imagesFromRepository(root)(service) });
    app.synth();

    const [staged] = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
    const has = (path: string) => existsSync(join(outdir, staged!, path));
    for (const kept of [
      'package-lock.json',
      'infra/package.json',
      'services/color-client/package.json',
      'packages/service-kit/src/index.ts',
      'services/color-backend/src/server.ts',
    ]) {
      expect(has(kept), `${kept} is needed by npm ci or the build`).toBe(true);
    }
    for (const left of [
      'infra/bin',
      'packages/mesh-constructs/src',
      'services/color-client/src',
      'services/color-backend/test',
      'e2e',
      'bench',
      'node_modules',
    ]) {
      expect(has(left), `${left} would change the image's hash for nothing`).toBe(false);
    }
  });
});
