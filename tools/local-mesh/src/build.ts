import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LocalMeshError } from './errors';

/** Folders never read as build inputs: outputs, dependencies, tests. */
const NOT_INPUTS = new Set(['node_modules', 'dist', 'test', 'coverage', '.turbo']);

/** Newest modification time of the files under `dir`, skipping {@link NOT_INPUTS}. */
export function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_INPUTS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/** What a service's build writes: the server bundle, and the page when the service has one. */
export function buildOutputs(serviceDir: string): string[] {
  const outputs = [join(serviceDir, 'dist', 'server.js')];
  if (existsSync(join(serviceDir, 'web')))
    outputs.push(join(serviceDir, 'web', 'dist', 'index.html'));
  return outputs;
}

/**
 * True when an output is missing or older than any input: the service's own files, the
 * workspace libraries (`packages/*`) that its bundle inlines, or the lockfile.
 */
export function isStale(serviceDir: string, repoRoot: string): boolean {
  const outputs = buildOutputs(serviceDir);
  if (!outputs.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const inputs = [serviceDir, ...workspaceLibrariesOf(serviceDir, repoRoot)];
  // A changed lockfile means changed dependencies, which the bundle inlines too.
  const lockfile = join(repoRoot, 'package-lock.json');
  const lockMtime = existsSync(lockfile) ? statSync(lockfile).mtimeMs : 0;
  return Math.max(lockMtime, ...inputs.map(newestMtimeMs)) > oldestOutput;
}

const WORKSPACE_IMPORT = /from\s+['"]@color-teller\/([a-z0-9-]+)/g;

/** The `packages/*` folders whose code `dir` imports, directly or through each other. */
export function workspaceLibrariesOf(dir: string, repoRoot: string): string[] {
  const found = new Set<string>();
  const pending = [dir];
  while (pending.length > 0) {
    for (const name of importedWorkspaceNames(pending.pop()!)) {
      const library = join(repoRoot, 'packages', name);
      if (found.has(library) || !existsSync(library)) continue;
      found.add(library);
      pending.push(library);
    }
  }
  return [...found];
}

function importedWorkspaceNames(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (NOT_INPUTS.has(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(WORKSPACE_IMPORT)) {
          names.add(match[1]!);
        }
      }
    }
  };
  walk(dir);
  return names;
}

/**
 * Runs `npm run build` in each stale service folder, one at a time (2 cores). Output goes to
 * `onLog`; a missing npm or build tool, or a failing build, becomes a one-line LocalMeshError.
 */
export async function buildStale(
  serviceDirs: readonly string[],
  repoRoot: string,
  onLog: (line: string) => void,
): Promise<string[]> {
  if (!existsSync(join(repoRoot, 'node_modules'))) {
    throw new LocalMeshError(
      `Dependencies are not installed in ${repoRoot}: run "npm ci" there first`,
    );
  }
  const built: string[] = [];
  for (const dir of [...new Set(serviceDirs)]) {
    if (!isStale(dir, repoRoot)) continue;
    onLog(`[local-mesh] building ${dir} (npm run build)`);
    await runBuild(dir, onLog);
    built.push(dir);
  }
  return built;
}

function runBuild(dir: string, onLog: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn('npm', ['run', 'build'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => output.push(chunk));
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new LocalMeshError(
          error.code === 'ENOENT'
            ? 'npm was not found on PATH: install Node.js 20.19+ with npm, then run "npm start" again'
            : `Could not run "npm run build" in ${dir}: ${error.message}`,
        ),
      );
    });
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const text = output.join('');
      for (const line of text.trimEnd().split('\n').slice(-20)) onLog(`[build] ${line}`);
      const missing = /(?:sh: \d+: |)([\w.-]+): (?:not found|command not found)/.exec(text);
      const missingPackage = /Cannot find (?:package|module) '([^']+)'/.exec(text);
      if (missing || missingPackage) {
        const tool = missing?.[1] ?? missingPackage?.[1];
        reject(
          new LocalMeshError(
            `The build of ${dir} needs "${tool}", which is not installed: run "npm ci" at the repository root`,
          ),
        );
        return;
      }
      reject(
        new LocalMeshError(
          `The build of ${dir} failed (exit ${code}): see the [build] lines above, or run "npm run build" there`,
        ),
      );
    });
  });
}
