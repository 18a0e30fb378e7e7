import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { canBind, isAlive } from '@color-teller/service-kit/testing';

const START = fileURLToPath(new URL('../bin/start.mjs', import.meta.url));

/** Pids of the service processes whose parent is `pid`, from /proc (tsx's esbuild is left out). */
function servicesOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The fields after the command's closing parenthesis: state, then the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === pid && command.includes('/dist/server.js')) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Starts `npm start --no-build` on a free port and resolves once the system is up. */
async function startRunner(): Promise<{ runner: ChildProcess; ports: number[] }> {
  const runner = spawn(process.execPath, [START, '--no-build'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const up = new Promise<void>((resolve, reject) => {
    runner.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/ is up at /.test(output)) resolve();
    });
    runner.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    runner.once('exit', () => reject(new Error(`the runner exited before it was up:\n${output}`)));
  });
  await up;
  const ports = [...output.matchAll(/http:\/\/(?:127\.0\.0\.1|localhost):(\d+)/g)].map((m) =>
    Number(m[1]),
  );
  return { runner, ports: [...new Set(ports)] };
}

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

async function gone(pids: readonly number[], withinMs: number): Promise<number[]> {
  const until = Date.now() + withinMs;
  while (Date.now() < until && pids.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(isAlive);
}

describe.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const)(
  'the local runner stopped by %s',
  (signal) => {
    it('leaves no process of the system running and frees every port', async () => {
      const { runner, ports } = await startRunner();
      const children = servicesOf(runner.pid!);
      leftovers.push(...children);
      expect(children).toHaveLength(2);
      expect(ports.length).toBeGreaterThanOrEqual(2);

      runner.kill(signal);
      // A service drains for up to its drain timeout; the lifeline's hard exit comes at 3 s.
      expect(await gone(children, 6000)).toEqual([]);
      for (const port of ports) expect(await canBind(port), `port ${port}`).toBe(true);
    });
  },
);
