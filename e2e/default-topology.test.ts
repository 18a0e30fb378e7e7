import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LocalMesh } from '@color-teller/local-mesh';
import { artifactPath, launchChromium } from './support/browser';
import { pageUrl, POLL_MS, startTopology } from './support/mesh';

// The article's system, run by the local runner and seen through a real browser.
let mesh: LocalMesh;
let browser: Browser;
let page: Page;
const logs: string[] = [];

beforeAll(async () => {
  [mesh, browser] = await Promise.all([
    startTopology('color-teller.topology.ts', logs),
    launchChromium(),
  ]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await mesh?.stop();
});

describe('the default topology in a browser', () => {
  it('runs one process per service, the client itself on the ingress port (no extra hop)', () => {
    expect(mesh.processes.map((p) => [p.service, p.version, p.role])).toEqual([
      ['color', 'red', 'service'],
      ['client', 'vanilla', 'service'],
    ]);
    expect(mesh.processes[1]!.url).toBe(mesh.url);
  });

  it('shows the color name on its own background, and version vanilla', async () => {
    const errors: string[] = [];
    page.on('console', (message) => {
      // The article's backend has no Color Name API: the page's one ask for a name gets 404.
      const expected = message.location().url.endsWith('/gateway/color/name');
      if (message.type() === 'error' && !expected) errors.push(message.text());
    });
    await page.goto(pageUrl(mesh));
    const banner = page.getByTestId('banner');
    await expect.poll(() => banner.textContent()).toContain('red');
    await expect
      .poll(() =>
        banner.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor),
      )
      .toBe('rgb(255, 0, 0)');
    await expect.poll(() => page.getByTestId('version').textContent()).toContain('vanilla');
    expect(await page.title()).toContain('Color Teller');
    await page.screenshot({ path: artifactPath('default-topology'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('says the backend is unavailable within two polls of its death, then recovers by itself', async () => {
    await page.goto(pageUrl(mesh));
    await expect.poll(() => page.getByTestId('banner').textContent()).toContain('red');
    const before = mesh.processes.find((p) => p.service === 'color')!.pid;

    mesh.kill('color', 'red');
    // Two polls, plus slack for one request in flight on a busy machine.
    await page
      .getByTestId('backend-status')
      .waitFor({ state: 'visible', timeout: 2 * POLL_MS + 1500 });
    expect(await page.getByTestId('backend-status').textContent()).toMatch(
      /^backend unavailable since \d{2}:\d{2}:\d{2}$/,
    );
    expect(await page.getByTestId('banner').getAttribute('data-stale')).toBe('true');
    await page.screenshot({ path: artifactPath('default-topology-backend-down'), fullPage: true });

    // The runner restarts the backend; the page recovers without a reload.
    await page.getByTestId('backend-status').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.getByTestId('banner').getAttribute('data-stale')).toBe('false');
    expect(mesh.processes.find((p) => p.service === 'color')!.pid).not.toBe(before);
    expect(logs.some((l) => l.startsWith('[local-mesh] color red exited (signal SIGKILL)'))).toBe(
      true,
    );
  });
});
