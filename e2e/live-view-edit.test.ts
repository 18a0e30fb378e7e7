import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadTopology } from '@color-teller/topology/load';
import { watchTopologyFile } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import { ARTIFACTS } from './support/browser';
import { openLiveView, type OpenLiveView } from './support/live-view';
import { REPO_ROOT } from './support/mesh';
import { steadyTraffic } from './support/traffic';

// A git-ignored copy of the canary example, at the same depth so that its imports still resolve.
const COPY = join(ARTIFACTS, 'canary-view-edit.topology.ts');
const CANARY = readFileSync(join(REPO_ROOT, 'examples/canary.topology.ts'), 'utf8');

let view: OpenLiveView | undefined;
let mesh: LocalMesh;
let page: Page;
let stopWatching: () => void;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(COPY, CANARY);
  view = await openLiveView({ topology: loadTopology(COPY) });
  ({ mesh, page } = view);
  stopWatching = watchTopologyFile(COPY, mesh, () => {});
});

afterAll(async () => {
  stopWatching?.();
  await view?.close();
  rmSync(COPY, { force: true });
});

/** The view's "measured% of configured%" for a version of the color service, as numbers. */
async function shareOf(version: string): Promise<{ measured: number; configured: number }> {
  const text = await page.locator(`[data-figures="color ${version}"] [data-share]`).textContent();
  const match = /^(\d+\.\d)% of (\d+\.\d)%$/.exec(text ?? '');
  return match
    ? { measured: Number(match[1]), configured: Number(match[2]) }
    : { measured: NaN, configured: NaN };
}

describe('the live view while the topology file is edited', () => {
  it('moves the measured shares to the new weights, with no failed request', async () => {
    const traffic = steadyTraffic(() => `${mesh.url}/gateway/color/color`);
    try {
      // Over the view's 10 s window, thousands of answers: 80% lands well inside 70–90%.
      await expect
        .poll(() => shareOf('red'), { timeout: 20_000, interval: 500 })
        .toMatchObject({
          configured: 80,
          measured: expect.toSatisfy((m: number) => m > 70 && m < 90),
        });
      writeFileSync(
        COPY,
        CANARY.replace('weight: 80', 'weight: 50').replace('weight: 20', 'weight: 50'),
      );
      // Once the window holds only answers after the edit, red's share is about half.
      await expect
        .poll(() => shareOf('red'), { timeout: 30_000, interval: 500 })
        .toMatchObject({
          configured: 50,
          measured: expect.toSatisfy((m: number) => m > 40 && m < 60),
        });
      expect((await shareOf('blue')).configured).toBe(50);
    } finally {
      await traffic.stop();
    }
    expect(traffic.colors.length).toBeGreaterThan(100);
    expect(traffic.failures()).toBe(0);
  });
});
