import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadTopology } from '@color-teller/topology/load';
import type { LocalMesh } from '@color-teller/local-mesh';
import { openLiveView, type OpenLiveView } from './support/live-view';
import { REPO_ROOT } from './support/mesh';

// The canary example (red 80 / blue 20 behind a router) with its live view on a free port.
let view: OpenLiveView | undefined;
let mesh: LocalMesh;
let page: Page;

beforeAll(async () => {
  view = await openLiveView({
    topology: loadTopology('examples/canary.topology.ts', REPO_ROOT),
    // Restarts wait 3 s, so that a killed process stays "restarting" across a few pushes.
    restartBackoff: { initialMs: 3000 },
  });
  ({ mesh, page } = view);
});

afterAll(async () => {
  await view?.close();
});

async function traffic(requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const response = await fetch(`${mesh.url}/gateway/color/color`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
}

const totalOf = async (label: string) =>
  Number(await page.locator(`[data-figures="${label}"] [data-total]`).textContent());

const attributes = (selector: string, name: string) =>
  page
    .locator(selector)
    .evaluateAll(
      (elements, attribute) => elements.map((e) => e.getAttribute(attribute)!).sort(),
      name,
    );

describe('the live mesh view', () => {
  it('draws the topology: ingress, services, the router and both versions, and their edges', async () => {
    await expect.poll(() => page.locator('[data-node]').count(), { timeout: 10_000 }).toBe(7);
    expect(await attributes('[data-node]', 'data-node')).toEqual([
      'ingress',
      'router:color',
      'service:client',
      'service:color',
      'version:client:vanilla',
      'version:color:blue',
      'version:color:red',
    ]);
    expect(await attributes('[data-edge]', 'data-edge')).toEqual([
      'ingress->service:client',
      'router:color->version:color:blue',
      'router:color->version:color:red',
      'service:client->service:color',
      'service:client->version:client:vanilla',
      'service:color->router:color',
    ]);
  });

  it('counts requests per process as traffic flows, and shows the measured share', async () => {
    const before = await totalOf('color router');
    await traffic(60);
    await expect
      .poll(() => totalOf('color router'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(before + 60);
    const red = await totalOf('color red');
    const blue = await totalOf('color blue');
    expect(red + blue).toBeGreaterThanOrEqual(60);
    expect(await page.locator('[data-figures="color red"] [data-share]').textContent()).toMatch(
      /^\d+\.\d% of 80\.0%$/,
    );
  });

  it('shows a killed process as restarting, then up again with one restart', async () => {
    const blue = page.locator('[data-process="color blue"]');
    mesh.kill('color', 'blue');
    await expect
      .poll(() => blue.locator('[data-state]').getAttribute('data-state'), { timeout: 5_000 })
      .toBe('restarting');
    expect(await blue.locator('[data-state]').textContent()).toMatch(/restarting in 3000 ms/);
    await expect
      .poll(() => blue.locator('[data-state]').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('up');
    expect(await blue.locator('[data-restarts]').textContent()).toBe('1');
  });

  it("draws a trace's waterfall with spans of at least two processes", async () => {
    // A sampled caller's trace: the view samples at most 2 new traces a second, and a
    // request that continues a sampled trace is always recorded.
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${mesh.url}/gateway/color/color`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const link = page.locator(`a[data-trace="${traceId}"]`).first();
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
    // Spans reach the view in batches a second apart: ask again until they are in.
    await expect
      .poll(
        async () => {
          await link.click({ timeout: 2_000 });
          return new Set(await attributes('[data-span-process]', 'data-span-process')).size;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(2);
  });
});
