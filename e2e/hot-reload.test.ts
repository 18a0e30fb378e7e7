import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh, watchTopologyFile } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import { ARTIFACTS } from './support/browser';
import { REPO_ROOT } from './support/mesh';
import { steadyTraffic } from './support/traffic';

// A git-ignored copy of the canary example, at the same depth so that its imports still resolve.
const COPY = join(ARTIFACTS, 'canary-edit.topology.ts');
const CANARY = readFileSync(join(REPO_ROOT, 'examples/canary.topology.ts'), 'utf8');

let mesh: LocalMesh;
let stopWatching: () => void;
const lines: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(COPY, CANARY);
  mesh = await startLocalMesh({
    topology: await loadTopology(COPY),
    ingressPort: 0,
    onLog: (line) => lines.push(line),
  });
  stopWatching = watchTopologyFile(COPY, mesh, (line) => lines.push(line));
});

afterAll(async () => {
  stopWatching?.();
  await mesh?.stop();
  rmSync(COPY, { force: true });
});

/** Steady traffic through the ingress from four callers. */
const steadyTrafficOnIngress = () => steadyTraffic(() => `${mesh.url}/gateway/color/color`);

async function waitForLine(pattern: RegExp, from: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!lines.slice(from).some((l) => pattern.test(l))) {
    if (Date.now() - started > timeoutMs) throw new Error(`no line ${pattern} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

async function redShareOfNext(traffic: ReturnType<typeof steadyTrafficOnIngress>, count: number) {
  const from = traffic.colors.length;
  while (traffic.colors.length < from + count) await new Promise((r) => setTimeout(r, 20));
  const window = traffic.colors.slice(from, from + count);
  return window.filter((c) => c === 'red').length / window.length;
}

describe('editing the topology file while the system runs', () => {
  it('moves the canary from 80/20 to 50/50 within a second, no restart, no failed request', async () => {
    const pids = mesh.processes.map((p) => p.pid);
    const traffic = steadyTrafficOnIngress();
    try {
      // 400 draws: 0.7 to 0.9 is five standard deviations either side of 0.8.
      expect(await redShareOfNext(traffic, 400)).toBeGreaterThan(0.7);
      const from = lines.length;
      writeFileSync(
        COPY,
        CANARY.replace('weight: 80', 'weight: 50').replace('weight: 20', 'weight: 50'),
      );
      const tookMs = await waitForLine(/router plan applied/, from, 10_000);
      expect(tookMs, `applied after ${tookMs} ms`).toBeLessThan(1000);
      await waitForLine(/\[color router\].*router plan applied/, from, 1000);
      const share = await redShareOfNext(traffic, 400);
      // 400 draws: 0.4 to 0.6 is four standard deviations either side of 0.5.
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.6);
    } finally {
      await traffic.stop();
    }
    expect(traffic.failures()).toBe(0);
    expect(mesh.processes.map((p) => p.pid)).toEqual(pids);
  });

  it('refuses an invalid edit with the validation message and keeps the last good topology', async () => {
    const from = lines.length;
    writeFileSync(COPY, CANARY.replace('weight: 80', 'weight: -5'));
    await waitForLine(/topology edit refused/, from, 10_000);
    const refusal = lines.slice(from).find((l) => /topology edit refused/.test(l))!;
    expect(refusal).toContain('version "red" has weight -5: use a positive integer');
    const traffic = steadyTrafficOnIngress();
    try {
      const share = await redShareOfNext(traffic, 400);
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.6);
    } finally {
      await traffic.stop();
    }
  });

  it('refuses an edit beyond weights and routes, naming what to do', async () => {
    const from = lines.length;
    writeFileSync(COPY, CANARY.replace("COLOR: 'blue'", "COLOR: 'green'"));
    await waitForLine(/topology edit refused/, from, 10_000);
    expect(lines.slice(from).join('\n')).toContain(
      'only weights, routes, retries, outlier detection, faults and the versions of a service that has a router change',
    );
  });

  it('starts an added version and stops a removed one, restarting nothing else, failing no request', async () => {
    const before = new Map(mesh.processes.map((p) => [`${p.service} ${p.version}`, p.pid]));
    const withGreen = CANARY.replace(
      "{ name: 'blue', weight: 20, env: { COLOR: 'blue' } },",
      "{ name: 'blue', weight: 20, env: { COLOR: 'blue' } },\n      { name: 'green', weight: 20, env: { COLOR: 'green' } },",
    );
    expect(withGreen).not.toBe(CANARY);
    const traffic = steadyTrafficOnIngress();
    let greenPort = 0;
    try {
      let from = lines.length;
      writeFileSync(COPY, withGreen);
      await waitForLine(/topology edit applied: .*started color green/, from, 20_000);
      const green = mesh.processes.find((p) => p.version === 'green')!;
      greenPort = Number(new URL(green.url).port);
      expect(green.pid).toBeGreaterThan(0);
      // 300 draws at a 20% weight: no green at all would be a 1-in-10^29 event.
      const seen = traffic.colors.length;
      while (traffic.colors.length < seen + 300) await new Promise((r) => setTimeout(r, 20));
      expect(traffic.colors.slice(seen)).toContain('green');

      from = lines.length;
      writeFileSync(COPY, CANARY);
      await waitForLine(/topology edit applied: .*stopped color green/, from, 20_000);
      expect(mesh.processes.some((p) => p.version === 'green')).toBe(false);
      const after = traffic.colors.length;
      while (traffic.colors.length < after + 200) await new Promise((r) => setTimeout(r, 20));
      expect(traffic.colors.slice(after)).not.toContain('green');
    } finally {
      await traffic.stop();
    }
    expect(traffic.failures()).toBe(0);
    const now = new Map(mesh.processes.map((p) => [`${p.service} ${p.version}`, p.pid]));
    expect(now).toEqual(before);
    // The stopped version's port is free again.
    await expect(fetch(`http://127.0.0.1:${greenPort}/health`)).rejects.toThrow();
  });
});
