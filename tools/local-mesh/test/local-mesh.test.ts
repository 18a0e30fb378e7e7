import { rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { canBind, isAlive } from '@color-teller/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMeshError, startLocalMesh } from '../src';
import type { LocalMesh } from '../src';
import { freePorts } from '../src/ports';
import { standInRepo, standInTopology } from './stand-ins/repo';
import { eventually } from './support/eventually';

let repoRoot: string;
beforeAll(() => {
  repoRoot = standInRepo();
});
afterAll(() => rmSync(repoRoot, { recursive: true, force: true }));

async function color(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/color`, { headers });
  return ((await response.json()) as { color: string; pid: number }).color;
}

describe('startLocalMesh with one version per service', () => {
  let mesh: LocalMesh;
  const lines: string[] = [];

  beforeAll(async () => {
    mesh = await startLocalMesh({
      topology: standInTopology([{ name: 'red', env: { COLOR: 'red' } }]),
      repoRoot,
      ingressPort: 0,
      build: false,
      onLog: (line) => lines.push(line),
    });
  });
  afterAll(() => mesh?.stop());

  it('runs one process per version, the ingress service itself on the ingress port', async () => {
    expect(mesh.processes.map((p) => [p.service, p.version, p.role])).toEqual([
      ['color', 'red', 'service'],
      ['front', 'v1', 'service'],
    ]);
    expect(mesh.processes[1]!.url).toBe(mesh.url);
    expect(mesh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await color(mesh.url)).toBe('red');
  });

  it('prefixes each process log line with its service and version', () => {
    expect(lines).toContain('[color red] backend listening');
    expect(lines).toContain('[front v1] front listening');
  });

  it('restarts a killed backend on the same URL, and the system recovers', async () => {
    const before = mesh.processes[0]!.pid;
    mesh.kill('color', 'red');
    await eventually(async () =>
      lines.some((l) =>
        l.startsWith('[local-mesh] color red exited (signal SIGKILL); restarting in'),
      )
        ? true
        : undefined,
    );
    const after = await eventually(async () => {
      const pid = mesh.processes[0]!.pid;
      return pid !== 0 && pid !== before ? pid : undefined;
    });
    expect(isAlive(before)).toBe(false);
    expect(isAlive(after)).toBe(true);
    expect(await eventually(() => color(mesh.url))).toBe('red');
    await eventually(async () =>
      lines.some((l) => l.startsWith('[local-mesh] color red is back at')) ? true : undefined,
    );
  });
});

describe('startLocalMesh with a canary', () => {
  it('routes through a router: weights, header and cookie; stop frees every port', async () => {
    const mesh = await startLocalMesh({
      topology: standInTopology(
        [
          { name: 'red', weight: 3, env: { COLOR: 'red' } },
          { name: 'blue', weight: 1, env: { COLOR: 'blue' } },
        ],
        [
          { version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } },
          { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
        ],
      ),
      repoRoot,
      ingressPort: 0,
      build: false,
    });
    try {
      expect(mesh.processes.map((p) => [p.service, p.version, p.role])).toEqual([
        ['color', 'red', 'service'],
        ['color', 'blue', 'service'],
        ['color', 'router', 'router'],
        ['front', 'v1', 'service'],
      ]);
      // Weights 3:1 give red 75%; over 200 draws 55-95% is more than six standard deviations wide.
      const draws = 200;
      let red = 0;
      for (let i = 0; i < draws; i++) if ((await color(mesh.url)) === 'red') red += 1;
      expect(red / draws).toBeGreaterThan(0.55);
      expect(red / draws).toBeLessThan(0.95);
      for (let i = 0; i < 20; i++) {
        expect(await color(mesh.url, { 'x-color-version': 'blue' })).toBe('blue');
        expect(await color(mesh.url, { cookie: 'color-version=blue' })).toBe('blue');
      }
    } finally {
      const processes = mesh.processes;
      await mesh.stop();
      for (const p of processes) {
        expect(isAlive(p.pid)).toBe(false);
        expect(await canBind(Number(new URL(p.url).port))).toBe(true);
      }
    }
  });
});

describe('startLocalMesh failures', () => {
  it('fails when the ingress port is already in use, naming the port and the fix', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startLocalMesh({
        topology: standInTopology([{ name: 'red', env: { COLOR: 'red' } }]),
        repoRoot,
        ingressPort: port,
        build: false,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LocalMeshError);
      expect((error as Error).message).toBe(
        `Port ${port} (the ingress) is already in use: stop what listens there, or set PORT to another port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('fails when a process exits before it is healthy, quoting its last line, and stops the rest', async () => {
    const topology = standInTopology([{ name: 'red', env: { COLOR: 'red' } }]);
    const broken = {
      ...topology,
      services: topology.services.map((s) =>
        s.name === 'color' ? { ...s, codePath: 'services/crashes' } : s,
      ),
    };
    const [ingressPort] = await freePorts(1);
    const error = await startLocalMesh({
      topology: broken,
      repoRoot,
      ingressPort,
      build: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalMeshError);
    expect((error as Error).message).toBe(
      'color red did not start: it exited (code 1) before it was healthy; it said: COLOR is required',
    );
    expect(await canBind(ingressPort!)).toBe(true);
  });

  it('fails when a service bundle is missing, naming the build to run', async () => {
    const topology = standInTopology([{ name: 'red', env: { COLOR: 'red' } }]);
    const missing = {
      ...topology,
      services: topology.services.map((s) =>
        s.name === 'color' ? { ...s, codePath: 'services/unbuilt' } : s,
      ),
    };
    await expect(
      startLocalMesh({ topology: missing, repoRoot, ingressPort: 0, build: false }),
    ).rejects.toThrow(
      /services\/unbuilt\/dist\/server\.js is missing: build it with "npm run build" in .*services\/unbuilt/,
    );
  });

  it('fails on an invalid topology before starting anything', async () => {
    const topology = { ...standInTopology([{ name: 'red' }]), ingress: { service: 'nope' } };
    await expect(
      startLocalMesh({ topology, repoRoot, ingressPort: 0, build: false }),
    ).rejects.toThrow(/ingress fronts unknown service "nope"/);
  });
});
