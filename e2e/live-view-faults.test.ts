import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withServiceChanged } from '@color-teller/topology';
import type { LocalMesh } from '@color-teller/local-mesh';
import canary from '../examples/canary.topology';
import { openLiveView, type OpenLiveView } from './support/live-view';

let view: OpenLiveView | undefined;
let mesh: LocalMesh;
let page: Page;

beforeAll(async () => {
  const retried = withServiceChanged(canary, 'color', (color) => ({
    ...color,
    retries: { attempts: 1 },
  }));
  view = await openLiveView({ topology: retried });
  ({ mesh, page } = view);
});

afterAll(async () => {
  await view?.close();
});

/** Statuses of `count` calls that the header routes to blue (a route keeps retries on blue). */
async function blueStatuses(count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${mesh.url}/gateway/color/color`, {
      headers: { 'x-color-version': 'blue' },
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

describe('the live view’s fault control', () => {
  it('shows the retries of the color edge', async () => {
    await expect
      .poll(() => page.locator('[data-policy="color"]').textContent(), { timeout: 10_000 })
      .toContain('client → color');
    expect(await page.locator('[data-policy="color"]').textContent()).toContain(
      '1 more tries on gateway-error, reset, connect-failure',
    );
  });

  it('injects a fault on blue with a visible marker, then clears it', async () => {
    await page.locator('[data-inject="color blue"]').click();
    await expect
      .poll(() => page.locator('[data-fault="color blue"] [data-fault-text]').textContent(), {
        timeout: 10_000,
      })
      .toBe('abort 50% with 503 (injected from this view, not in the file)');
    // Each call tries blue twice (the route pins it): it fails with p = 0.25; none in 60 is 3e-8.
    const faulty = await blueStatuses(60);
    expect(faulty.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(faulty.filter((s) => s !== 200 && s !== 503)).toEqual([]);

    await page.locator('[data-clear="color blue"]').click();
    await expect
      .poll(() => page.locator('[data-fault="color blue"] [data-fault-text]').textContent(), {
        timeout: 10_000,
      })
      .toBe('none');
    // The router applies its new plan within a second of the edit.
    await expect
      .poll(async () => (await blueStatuses(20)).every((s) => s === 200), {
        timeout: 5_000,
      })
      .toBe(true);
  });
});
