import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { LocalMesh } from '@color-teller/local-mesh';
import { artifactPath, launchChromium } from './support/browser';
import { pageUrl, startTopology } from './support/mesh';

// The canary example: red 80 / blue 20, with header and cookie routes to blue.
let mesh: LocalMesh;
let browser: Browser;

beforeAll(async () => {
  [mesh, browser] = await Promise.all([
    startTopology('examples/canary.topology.ts'),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await mesh?.stop();
});

async function colorThroughIngress(headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${mesh.url}/gateway/color/color`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { color: string }).color;
}

const countOf = async (text: Promise<string | null>) => Number.parseInt((await text) ?? '0', 10);

describe('the canary topology', () => {
  it('runs a router in front of the two backend versions', () => {
    expect(mesh.processes.map((p) => [p.service, p.version, p.role])).toEqual([
      ['color', 'red', 'service'],
      ['color', 'blue', 'service'],
      ['color', 'router', 'router'],
      ['client', 'vanilla', 'service'],
    ]);
  });

  it('always answers blue through the ingress for the header x-color-version: blue', async () => {
    for (let i = 0; i < 40; i++) {
      expect(await colorThroughIngress({ 'x-color-version': 'blue' })).toBe('blue');
    }
  });

  it('always answers blue through the ingress for the cookie color-version=blue', async () => {
    for (let i = 0; i < 40; i++) {
      expect(await colorThroughIngress({ cookie: 'color-version=blue' })).toBe('blue');
    }
  });

  it('charts both colors after enough polls, red the larger', async () => {
    const page = await browser.newPage();
    // Polls every 200 ms: the chart fills in seconds.
    await page.goto(pageUrl(mesh, 200));
    const chart = page.getByTestId('chart');
    // 40 polls: blue (20%) is missing from all of them with a chance of 0.8^40, about 1 in 7,500.
    await expect
      .poll(() => chart.getByTestId('chart-sample').count(), { timeout: 40_000, interval: 250 })
      .toBeGreaterThanOrEqual(40);
    const red = await countOf(
      chart.locator('[data-testid=chart-count][data-color=red]').textContent(),
    );
    const blue = await countOf(
      chart.locator('[data-testid=chart-count][data-color=blue]').textContent(),
    );
    expect(blue).toBeGreaterThan(0);
    expect(red).toBeGreaterThan(blue);
    await page.screenshot({ path: artifactPath('canary-topology-chart'), fullPage: true });
    await page.close();
  });

  it('turns the page blue when the browser holds the cookie color-version=blue', async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'color-version', value: 'blue', url: mesh.url }]);
    const page = await context.newPage();
    await page.goto(pageUrl(mesh));
    await expect.poll(() => page.getByTestId('banner').textContent()).toContain('blue');
    await expect
      .poll(() => page.locator('[data-testid=chart-sample]').count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(8);
    const colors = await page
      .locator('[data-testid=chart-sample]')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-color')));
    expect(new Set(colors)).toEqual(new Set(['blue']));
    await page.screenshot({ path: artifactPath('canary-topology-cookie-blue'), fullPage: true });
    await context.close();
  });
});
