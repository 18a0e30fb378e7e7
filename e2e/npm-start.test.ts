import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { canBind, isAlive } from '@color-teller/service-kit/testing';
import { REPO_ROOT } from './support/mesh';

/** Every process below `root`, from the process table. */
function descendants(root: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        walk(pid);
      }
    }
  };
  walk(root);
  return found;
}

describe('npm start', () => {
  it('runs the canary example, prints one line per process, and Ctrl-C stops everything', async () => {
    // Its own process group, so that a signal to the group is what Ctrl-C in a terminal sends.
    const npm = spawn('npm', ['start', '--', '--topology', 'examples/canary.topology.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    npm.stdout.on('data', (chunk) => (stdout += chunk));
    npm.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(npm, 'exit') as Promise<[number | null, string | null]>;
    try {
      const deadline = Date.now() + 90_000;
      while (!/is up at http:\/\/localhost:\d+/.test(stdout)) {
        if (Date.now() > deadline || npm.exitCode !== null) {
          throw new Error(`npm start did not come up:\n${stdout}\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const ingress = /Color Teller is up at (http:\/\/localhost:(\d+))/.exec(stdout)!;
      const table = stdout.split('\n').filter((l) => /^ {2}\S+\s+\S+\s+http:\/\//.test(l));
      expect(table.map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
        ['color', 'red'],
        ['color', 'blue'],
        ['color', 'router'],
        ['client', 'vanilla'],
      ]);
      expect(table[3]).toContain(`${ingress[1]} (ingress)`);
      const ports = table.map((l) => Number(/:(\d+)/.exec(l)![1]));

      const view = /Live mesh view at http:\/\/localhost:(\d+)/.exec(stdout);
      expect(view, 'the banner names the live view').not.toBeNull();
      const viewPage = await fetch(`http://127.0.0.1:${view![1]}/`);
      expect(await viewPage.text()).toContain('Live mesh view');

      const page = await fetch(`http://127.0.0.1:${ingress[2]}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Color Teller');
      // Logs of all processes interleaved, each prefixed with its service and version.
      expect(stdout).toMatch(/^\[color red\] /m);
      expect(stdout).toMatch(/^\[color blue\] /m);
      expect(stdout).toMatch(/^\[client vanilla\] /m);

      const processes = descendants(npm.pid!);
      expect(processes.length).toBeGreaterThanOrEqual(5);
      process.kill(-npm.pid!, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        exited,
        new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 10_000))),
      ]);
      clearTimeout(timer);
      expect(result, 'stopped within 10 s').not.toBe('late');
      expect(stdout).toContain('[local-mesh] stopped');
      for (const pid of processes) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
      for (const port of ports) expect(await canBind(port), `port ${port} still taken`).toBe(true);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // Already gone: the group stopped by itself.
      }
    }
  });
});
