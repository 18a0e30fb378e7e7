import { afterEach, describe, expect, it } from 'vitest';
import { withServiceChanged, type ServiceSpec, type Topology } from '@color-teller/topology';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import canary from '../examples/canary.topology';
import { binomialBounds } from './support/binomial';

let mesh: LocalMesh | undefined;
const lines: string[] = [];
afterEach(async () => {
  await mesh?.stop();
  mesh = undefined;
  lines.length = 0;
});

const withColor = (change: (color: ServiceSpec) => ServiceSpec): Topology =>
  withServiceChanged(canary, 'color', change);

/** The canary with blue aborting half its calls with 503. */
const blueHalfBroken = (color: ServiceSpec): ServiceSpec => ({
  ...color,
  versions: color.versions.map((v) =>
    v.name === 'blue' ? { ...v, faults: { abort: { percent: 50, status: 503 } } } : v,
  ),
});

async function start(topology: Topology, restartAfterMs = 250): Promise<LocalMesh> {
  mesh = await startLocalMesh({
    topology,
    ingressPort: 0,
    onLog: (line) => lines.push(line),
    restartBackoff: { initialMs: restartAfterMs, maxMs: restartAfterMs },
  });
  return mesh;
}

/** Statuses of `count` calls of the page's path, eight at a time. */
async function statusesOf(running: LocalMesh, count: number): Promise<number[]> {
  const statuses: number[] = [];
  const url = `${running.url}/gateway/color/color`;
  while (statuses.length < count) {
    const batch = Math.min(8, count - statuses.length);
    statuses.push(
      ...(await Promise.all(
        Array.from({ length: batch }, async () => {
          const response = await fetch(url);
          await response.arrayBuffer();
          return response.status;
        }),
      )),
    );
  }
  return statuses;
}

const failed = (statuses: readonly number[]) => statuses.filter((s) => s !== 200).length;

/** Applies `next` and resolves with how long the color router took to say it applied it. */
async function applyLive(running: LocalMesh, next: Topology): Promise<number> {
  const from = lines.length;
  const started = performance.now();
  await running.applyTopology(next);
  await expect
    .poll(() => lines.slice(from).some((l) => /^\[color router\].*router plan applied/.test(l)), {
      timeout: 5_000,
      interval: 10,
    })
    .toBe(true);
  return performance.now() - started;
}

describe('traffic policy on the local runner', () => {
  it('retries hide blue’s aborts; removed live the aborts show; the fault removed, none', async () => {
    const running = await start(
      withColor((c) => ({ ...blueHalfBroken(c), retries: { attempts: 2 } })),
    );

    // A try fails with p = 0.2 × 0.5 = 0.1 and a retry picks a version again by weight, so a call
    // fails only when all three tries do: p = 0.001. The bound: at most 1% of 500.
    const retried = await statusesOf(running, 500);
    expect(failed(retried), 'calls lost with two retries').toBeLessThanOrEqual(5);

    const withoutRetries = withColor(blueHalfBroken);
    expect(await applyLive(running, withoutRetries)).toBeLessThan(1000);
    const [low, high] = binomialBounds(500, 0.1);
    const bare = await statusesOf(running, 500);
    expect(failed(bare), `about 10% of 500 (bounds ${low}-${high})`).toBeGreaterThanOrEqual(low);
    expect(failed(bare)).toBeLessThanOrEqual(high);
    expect(bare.filter((s) => s !== 200 && s !== 503)).toEqual([]);

    expect(await applyLive(running, canary)).toBeLessThan(1000);
    expect(failed(await statusesOf(running, 300))).toBe(0);
  });

  it('a killed version under outlier detection loses its traffic after its consecutive failures', async () => {
    const consecutive5xx = 3;
    // Blue stays dead for the whole test: its restart waits a minute.
    const running = await start(
      withColor((c) => ({ ...c, outlierDetection: { consecutive5xx, ejectMs: 60_000 } })),
      60_000,
    );
    expect(failed(await statusesOf(running, 50))).toBe(0);
    running.kill('color', 'blue');
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) statuses.push(...(await statusesOf(running, 1)));
    // Without ejection about 20% of 300 would fail; with it, only the calls that found blue dead
    // before it was ejected: exactly consecutive5xx of them, all before the first success after.
    expect(failed(statuses)).toBe(consecutive5xx);
    const lastFailure = statuses.findLastIndex((s) => s !== 200);
    expect(statuses.slice(lastFailure + 1).every((s) => s === 200)).toBe(true);
    expect(lines.some((l) => /^\[color router\].*version ejected/.test(l))).toBe(true);
  });
});
