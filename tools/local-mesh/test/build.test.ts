import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildStale, isStale } from '../src/build';
import { LocalMeshError } from '../src/errors';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A fake repository with one service; `build` is its npm build script. */
function fakeRepo(build: string): { root: string; service: string } {
  root = mkdtempSync(join(tmpdir(), 'local-mesh-build-'));
  mkdirSync(join(root, 'node_modules'));
  mkdirSync(join(root, 'packages', 'kit', 'src'), { recursive: true });
  writeFileSync(join(root, 'packages', 'kit', 'src', 'index.ts'), 'export {};');
  const service = join(root, 'services', 'svc');
  mkdirSync(join(service, 'src'), { recursive: true });
  writeFileSync(join(service, 'src', 'server.ts'), "import { x } from '@color-teller/kit';");
  mkdirSync(join(root, 'packages', 'unrelated'));
  writeFileSync(join(root, 'packages', 'unrelated', 'index.ts'), 'export {};');
  writeFileSync(
    join(service, 'package.json'),
    JSON.stringify({ name: 'svc', private: true, scripts: { build } }),
  );
  return { root, service };
}

const past = (file: string, secondsAgo: number) => {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, when, when);
};

describe('build staleness', () => {
  it('is stale without a bundle, fresh after a build, stale again when a library it imports changes', async () => {
    const { service } = fakeRepo('mkdir -p dist && echo "built" > dist/server.js');
    expect(isStale(service, root)).toBe(true);
    const lines: string[] = [];
    expect(await buildStale([service], root, (l) => lines.push(l))).toEqual([service]);
    expect(lines[0]).toBe(`[local-mesh] building ${service} (npm run build)`);

    for (const file of ['src/server.ts', 'package.json']) past(join(service, file), 60);
    past(join(root, 'packages', 'kit', 'src', 'index.ts'), 60);
    expect(isStale(service, root)).toBe(false);
    expect(await buildStale([service], root, () => {})).toEqual([]);

    writeFileSync(join(root, 'packages', 'unrelated', 'index.ts'), 'export const y = 1;');
    expect(isStale(service, root)).toBe(false);
    writeFileSync(join(root, 'packages', 'kit', 'src', 'index.ts'), 'export const x = 1;');
    expect(isStale(service, root)).toBe(true);
  });

  it('is stale when the lockfile changed after the build', async () => {
    const { service } = fakeRepo('mkdir -p dist && echo "built" > dist/server.js');
    await buildStale([service], root, () => {});
    for (const file of ['src/server.ts', 'package.json']) past(join(service, file), 60);
    past(join(root, 'packages', 'kit', 'src', 'index.ts'), 60);
    expect(isStale(service, root)).toBe(false);
    writeFileSync(join(root, 'package-lock.json'), '{}');
    expect(isStale(service, root)).toBe(true);
  });

  it('expects the page too when the service has a web folder', async () => {
    const { service } = fakeRepo('mkdir -p dist && echo 1 > dist/server.js');
    mkdirSync(join(service, 'web'));
    await buildStale([service], root, () => {});
    expect(isStale(service, root)).toBe(true);
  });

  it('fails in one line naming the tool when a build tool is missing', async () => {
    const { service } = fakeRepo('no-such-bundler-xyz --bundle');
    const error = await buildStale([service], root, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalMeshError);
    expect((error as Error).message).toBe(
      `The build of ${service} needs "no-such-bundler-xyz", which is not installed: run "npm ci" at the repository root`,
    );
  });

  it('fails in one line pointing at the output when a build fails', async () => {
    const { service } = fakeRepo('echo "type error in server.ts" >&2; exit 2');
    const lines: string[] = [];
    const error = await buildStale([service], root, (l) => lines.push(l)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^The build of .*svc failed \(exit 2\): see the \[build\] lines above/,
    );
    expect(lines).toContain('[build] type error in server.ts');
  });

  it('fails when dependencies are not installed', async () => {
    const { service } = fakeRepo('true');
    rmSync(join(root, 'node_modules'), { recursive: true });
    await expect(buildStale([service], root, () => {})).rejects.toThrow(
      /Dependencies are not installed in .*: run "npm ci" there first/,
    );
  });
});
