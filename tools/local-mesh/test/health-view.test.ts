import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh } from '../src/index';
import type { LocalMesh } from '../src/index';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let mesh: LocalMesh | undefined;
let impostor: Server | undefined;
afterEach(async () => {
  impostor?.close();
  impostor = undefined;
  await mesh?.stop();
  mesh = undefined;
});

async function startDefault(lines: string[]): Promise<LocalMesh> {
  return startLocalMesh({
    topology: await loadTopology('color-teller.topology.ts', repoRoot),
    ingressPort: 0,
    build: false,
    onLog: (line) => lines.push(line),
    restartBackoff: { initialMs: 300, maxMs: 1200 },
    healthCheck: { intervalMs: 500, timeoutMs: 500, unhealthyThreshold: 3 },
  });
}

const backendOf = (m: LocalMesh) => m.processes.find((p) => p.service === 'color')!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, withinMs: number, everyMs = 100): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; await sleep(everyMs)) {
    if (check()) return true;
  }
  return check();
}

/** Kills the backend and has an impostor answer on its port while it is down; returns the port. */
async function impostorOnBackendPort(running: LocalMesh): Promise<number> {
  const port = Number(new URL(backendOf(running).url).port);
  running.kill('color', 'red', 'SIGKILL');
  expect(await until(() => backendOf(running).pid === 0, 2000)).toBe(true);
  // Every restart now dies with EADDRINUSE until the impostor leaves.
  impostor = createServer((_request, response) => response.end('{}'));
  impostor.listen(port, '127.0.0.1');
  await once(impostor, 'listening');
  return port;
}

describe('the runner’s health view (finding 10)', () => {
  it('never says a process is back while another one answers on its port, and says it once when it is', async () => {
    const lines: string[] = [];
    mesh = await startDefault(lines);
    const port = await impostorOnBackendPort(mesh);
    // Two restarts that died against the impostor: the runner had its chances to be fooled.
    const exitsBefore = lines.filter((l) => l.includes('color red exited')).length;
    const restartsFailed = () =>
      lines.filter((l) => l.includes('color red exited')).length >= exitsBefore + 2;
    expect(await until(restartsFailed, 10_000)).toBe(true);
    const isBack = () => lines.filter((l) => l.startsWith('[local-mesh] color red is back'));
    expect(isBack()).toEqual([]);
    expect(lines.some((l) => l.includes(`another process holds port ${port}`))).toBe(true);

    impostor?.close();
    impostor = undefined;
    expect(await until(() => isBack().length > 0, 6000)).toBe(true);
    const backPid = backendOf(mesh).pid;
    // The system answers through the process that came back, and nothing said it twice.
    const answer = await fetch(`${mesh.url}/gateway/color/color`).then((r) => r.json());
    expect(answer).toMatchObject({ color: 'red' });
    expect(backendOf(mesh).pid).toBe(backPid);
    expect(isBack()).toHaveLength(1);
  });

  it('says a process is back when the port it found taken at its start is freed while it starts', async () => {
    const lines: string[] = [];
    mesh = await startDefault(lines);
    const port = await impostorOnBackendPort(mesh);
    const taken = () => lines.some((l) => l.includes(`another process holds port ${port}`));
    expect(await until(taken, 5000)).toBe(true);
    // The race of a real outage, made certain: the impostor leaves just after a restart began,
    // before the new process listens, so the port it found taken is free when it binds.
    await until(() => backendOf(mesh!).pid === 0, 5000);
    const respawned = await until(() => backendOf(mesh!).pid !== 0, 5000, 5);
    expect(respawned).toBe(true);
    await new Promise<void>((resolve) => impostor?.close(() => resolve()));
    impostor = undefined;
    const isBack = () => lines.filter((l) => l.startsWith('[local-mesh] color red is back'));
    expect(await until(() => isBack().length > 0, 6000)).toBe(true);
    expect(await fetch(`http://127.0.0.1:${port}/color`).then((r) => r.json())).toMatchObject({
      color: 'red',
    });
  });

  it('kills and restarts a process that stops answering its health checks (SIGSTOP)', async () => {
    const lines: string[] = [];
    mesh = await startDefault(lines);
    const hungPid = backendOf(mesh).pid;
    mesh.kill('color', 'red', 'SIGSTOP');
    const restarted = await until(() => backendOf(mesh!).pid !== hungPid, 6000);
    expect(restarted).toBe(true);
    expect(lines.some((l) => l.includes('color red failed 3 health checks'))).toBe(true);
    expect(await until(() => lines.some((l) => l.includes('color red is back')), 5000)).toBe(true);
  });
});
