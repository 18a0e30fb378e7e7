import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import {
  colorNamesAnswer,
  startHttpsExternal,
} from '../tools/local-mesh/test/stand-ins/https-external';
import type { HttpsExternal } from '../tools/local-mesh/test/stand-ins/https-external';
import { artifactPath, launchChromium } from './support/browser';
import { pageUrl, REPO_ROOT } from './support/mesh';

// The egress example, its external swapped for a local HTTPS stand-in: never the network.
let dir: string;
let external: HttpsExternal;
let mesh: LocalMesh;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'egress-e2e-'));
  const example = await loadTopology('examples/egress.topology.ts', REPO_ROOT);
  [external, browser] = await Promise.all([
    startHttpsExternal(dir, colorNamesAnswer('Stand-in Red')),
    launchChromium(),
  ]);
  const topology = {
    ...example,
    externals: [{ name: 'colornames', baseUrl: `${external.origin}/v1` }],
  };
  mesh = await startLocalMesh({
    topology,
    ingressPort: 0,
    viewPort: 0,
    egressCaFile: external.caFile,
  });
});

afterAll(async () => {
  await browser?.close();
  await mesh?.stop();
  await external?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const egressOf = (service: string) =>
  mesh.processes.find((p) => p.service === service && p.role === 'egress')!;

describe('the egress topology', () => {
  it('runs an egress forwarder for the backend, which calls the external, and none for the client', () => {
    expect(mesh.processes.map((p) => `${p.service} ${p.version} ${p.role}`)).toEqual([
      'color egress egress',
      'color red service',
      'client vanilla service',
    ]);
  });

  it('names the color through the gateway, the backend and the runner, over HTTPS to the external', async () => {
    const before = external.requests.length;
    const response = await fetch(`${mesh.url}/gateway/color/name`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ color: 'red', name: 'Stand-in Red' });
    expect(external.requests.slice(before).map((r) => r.url)).toEqual(['/v1/?values=ff0000']);
  });

  it('refuses, at the backend forwarder, a name the topology does not declare', async () => {
    const before = external.requests.length;
    const response = await fetch(`${egressOf('color').url}/evil/steal?data=1`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: 'external_not_allowed',
      message: expect.stringContaining('declare it in externals'),
    });
    expect(external.requests).toHaveLength(before);
  });

  it('shows the name on the page, next to the color', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pageUrl(mesh));
    await expect
      .poll(() => page.getByTestId('color-name').textContent(), { timeout: 15_000 })
      .toContain('Stand-in Red');
    expect(await page.getByTestId('banner').textContent()).toContain('red');
    await page.screenshot({ path: artifactPath('egress-topology-page'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the external in the live view, reached through the backend egress forwarder with its figures', async () => {
    await (await fetch(`${mesh.url}/gateway/color/name`)).arrayBuffer();
    const view = await browser.newPage();
    await view.goto(mesh.viewUrl!);
    await expect
      .poll(() => view.locator('[data-node="external:colornames"]').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await view.locator('[data-edge="egress:color->external:colornames"]').count()).toBe(1);
    expect(await view.locator('[data-edge="service:color->egress:color"]').count()).toBe(1);
    await expect
      .poll(
        async () =>
          Number(await view.locator('[data-figures="color egress"] [data-total]').textContent()),
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(1);
    await view.screenshot({ path: artifactPath('egress-topology-view'), fullPage: true });
    await view.close();
  });
});
