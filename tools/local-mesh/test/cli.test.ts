import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../bin/start.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Runs the CLI as `npm start` does and collects what it printed. */
async function runCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [START, ...args], {
    cwd: FIXTURES,
    env: { ...process.env, ...env, INIT_CWD: FIXTURES },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('local-mesh CLI', () => {
  it('fails in one line when the topology file does not exist', async () => {
    const { code, stderr } = await runCli(['--topology', 'nowhere.topology.ts']);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toMatch(/^local-mesh: Topology file not found: .*nowhere\.topology\.ts/);
  });

  it('fails in one line naming every problem of an invalid topology', async () => {
    const { code, stderr } = await runCli(['--topology', 'bad.topology.ts']);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain('local-mesh: topology "bad" is invalid: ');
    expect(stderr).toContain('service "color": port 70000 is out of range');
    expect(stderr).toContain('ingress fronts unknown service "client"');
  });

  it('fails in one line when the ingress port is in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(['--no-build'], { PORT: String(port) });
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toBe(
        `local-mesh: Port ${port} (the ingress) is already in use: stop what listens there, or set PORT to another port\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('fails in one line when PORT is not a port', async () => {
    const { code, stderr } = await runCli(['--no-build'], { PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toBe('local-mesh: PORT=eighty is not a port: use an integer from 0 to 65535\n');
  });

  it('fails in one line when --view-traces is not a rate', async () => {
    const { code, stderr } = await runCli(['--no-build', '--view-traces', 'many'], { PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'local-mesh: --view-traces is "many": give the new traces a second the view samples, a number from 0 (none) up\n',
    );
  });

  it('fails in one line when the dependencies are not installed', () => {
    // The launcher alone, away from any node_modules.
    const lonely = mkdtempSync(join(tmpdir(), 'local-mesh-no-deps-'));
    try {
      copyFileSync(START, join(lonely, 'start.mjs'));
      const result = spawnSync(process.execPath, [join(lonely, 'start.mjs')], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        'local-mesh: the dependencies are not installed (tsx is missing): run "npm ci" at the repository root\n',
      );
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
