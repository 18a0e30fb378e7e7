import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { ServiceSpec, Topology } from '@color-teller/topology';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalMeshError, startLocalMesh } from '../src';
import { eventually } from './support/eventually';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const START = fileURLToPath(new URL('../bin/start.mjs', import.meta.url));
const CODE_PATH = 'tools/local-mesh/test/stand-ins/foreign';

/** Pids of live Python processes whose argv holds `tag` (each test tags its own). */
function pidsTagged(tag: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/python/.test(argv[0]!) && argv.includes(tag)) pids.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tags: string[] = [];
afterEach(() => {
  for (const pid of tags.splice(0).flatMap(pidsTagged)) process.kill(pid, 'SIGKILL');
});

/** A one-service topology running the Python stand-in in `mode`, tagged for {@link pidsTagged}. */
function pythonTopology(mode: string, change: Partial<ServiceSpec> = {}): [Topology, string] {
  const tag = `--tag=${randomUUID()}`;
  tags.push(tag);
  const topology: Topology = {
    name: 'foreign',
    namespace: 'foreign.local',
    services: [
      {
        name: 'solo',
        codePath: CODE_PATH,
        command: ['python3', 'misbehaving.py', tag],
        port: 3000,
        healthPath: '/health',
        env: { MODE: mode },
        versions: [{ name: 'v1' }],
        ...change,
      },
    ],
    ingress: { service: 'solo' },
  };
  return [topology, tag];
}

async function startFailure(topology: Topology, startTimeoutMs = 10_000): Promise<Error> {
  const error = await startLocalMesh({ topology, repoRoot, ingressPort: 0, startTimeoutMs }).then(
    () => new Error('expected the start to fail'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(LocalMeshError);
  expect(error.message).not.toContain('\n');
  return error;
}

describe('a service in another language (Python)', () => {
  it('runs under supervision: answers at the ingress, is restarted after a crash, stops on stop()', async () => {
    const [topology, tag] = pythonTopology('ok');
    const mesh = await startLocalMesh({ topology, repoRoot, ingressPort: 0 });
    try {
      const first = (await (await fetch(`${mesh.url}/health`)).json()) as { pid: number };
      expect(pidsTagged(tag)).toEqual([first.pid]);

      mesh.kill('solo', 'v1');
      const second = await eventually(async () => {
        const response = await fetch(`${mesh.url}/health`);
        const body = (await response.json()) as { pid: number };
        return response.status === 200 && body.pid !== first.pid ? body : undefined;
      });
      expect(pidsTagged(tag)).toEqual([second.pid]);
    } finally {
      await mesh.stop();
    }
    expect(pidsTagged(tag)).toEqual([]);
  });

  it('dies with the runner when the runner is SIGKILLed', async () => {
    const [, tag] = pythonTopology('ok');
    const file = fileURLToPath(new URL('./stand-ins/foreign/solo.topology.ts', import.meta.url));
    const runner = spawn(process.execPath, [START, '--topology', file, '--no-live-view'], {
      env: { ...process.env, PORT: '0', FOREIGN_TAG: tag },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    runner.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    runner.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => / is up at /.test(output), 20_000).catch(() => {
      throw new Error(`the runner did not come up:\n${output}`);
    });
    expect(pidsTagged(tag)).toHaveLength(1);

    runner.kill('SIGKILL');
    await until(() => pidsTagged(tag).length === 0, 5000);
  });
});

describe('bad input for a service in another language', () => {
  it('fails when the command is not found and when a service has only an image, naming both', async () => {
    const [topology, tag] = pythonTopology('ok', { command: ['no-such-program-here', 'x'] });
    const withImageOnly: Topology = {
      ...topology,
      services: [
        ...topology.services,
        { ...topology.services[0]!, name: 'orders', command: undefined, image: 'orders:1.4.2' },
      ],
    };
    const error = await startFailure(withImageOnly);
    expect(error.message).toBe(
      'service "solo": command "no-such-program-here" was not found on PATH: install it, or fix "command" in the topology; ' +
        `service "orders" has only an image (orders:1.4.2), which runs in the cloud but not here: add a "command" that starts its code in ${CODE_PATH}, e.g. ["python3", "server.py"]`,
    );
    expect(pidsTagged(tag)).toEqual([]);
  });

  it('fails when the service crashes at start, with its last words and the fix', async () => {
    const [topology, tag] = pythonTopology('crash');
    const error = await startFailure(topology);
    expect(error.message).toMatch(
      /^solo v1 did not start: it exited \(code 3\) before it was healthy; it said: RuntimeError: CONFIG_FILE is not set: run "python3 misbehaving\.py --tag=\S+" in \S+foreign to see why/,
    );
    expect(pidsTagged(tag)).toEqual([]);
  });

  it('fails when the port the service binds is taken', async () => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const taken = (holder.address() as AddressInfo).port;
    try {
      const [topology, tag] = pythonTopology('fixed-port', {
        env: { MODE: 'fixed-port', FIXED_PORT: String(taken) },
      });
      const error = await startFailure(topology);
      expect(error.message).toMatch(/^solo v1 did not start: it exited \(code 1\)/);
      expect(error.message).toMatch(
        /Address already in use: another process holds the port it tried; stop that process, and make the service listen on the PORT it is given \(\d+\)$/,
      );
      expect(pidsTagged(tag)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('fails when the service never answers 200 on its health path', async () => {
    const [topology, tag] = pythonTopology('unhealthy');
    const error = await startFailure(topology, 1500);
    expect(error.message).toMatch(
      /^solo v1 did not start: http:\/\/127\.0\.0\.1:\d+\/health was not healthy after 1500 ms \(status 503\): make it listen on HOST and PORT \(127\.0\.0\.1:\d+\) and answer 200 on \/health$/,
    );
    await until(() => pidsTagged(tag).length === 0, 5000);
  });
});
