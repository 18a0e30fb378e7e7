import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh, type LocalMesh } from '@color-teller/local-mesh';
import { REPO_ROOT } from './support/mesh';

// The canary example (red 80 / blue 20 behind a router) with its view, and no health checks
// once it is up: every request the view counts after the start is one this test sent. Its 5xx
// are counted over the view's 10 s window, which the test stays within.
let mesh: LocalMesh;

beforeAll(async () => {
  mesh = await startLocalMesh({
    topology: await loadTopology('examples/canary.topology.ts', REPO_ROOT),
    ingressPort: 0,
    viewPort: 0,
    healthCheck: { intervalMs: 600_000 },
  });
}, 60_000);

afterAll(async () => {
  await mesh?.stop();
});

interface Figures {
  readonly total: number;
  readonly inWindow: number;
  readonly errorRate: number;
}

/** The view's figures now: the first event of its stream is the current snapshot. */
async function viewFigures(): Promise<Record<string, Figures>> {
  const events = new AbortController();
  const response = await fetch(`${mesh.viewUrl}/events`, { signal: events.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
  events.abort();
  return (JSON.parse(text.slice('data: '.length, text.indexOf('\n\n'))) as { figures: never })
    .figures;
}

async function send(count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${mesh.url}/gateway/color/color`, { headers });
    statuses.push(response.status);
    await response.arrayBuffer();
  }
  return statuses;
}

const labels = ['client vanilla', 'color router', 'color red', 'color blue'];
const serverErrors = (figures: Figures | undefined) =>
  Math.round((figures?.errorRate ?? 0) * (figures?.inWindow ?? 0));

describe('the live view’s counts', () => {
  it('count every request exactly, per process, per version and per status', async () => {
    // The start-up's health checks are counted too: start from totals that hold still.
    const totals = async () => {
      const figures = await viewFigures();
      return (label: string) => figures[label]?.total ?? 0;
    };
    // Two reads a second apart (routers send their counts four times a second) that agree.
    let before: Awaited<ReturnType<typeof totals>> | undefined;
    await expect
      .poll(
        async () => {
          const [previous, now] = [before, await totals()];
          before = now;
          return previous !== undefined && labels.every((label) => previous(label) === now(label));
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(true);
    const start = before!;
    const blue = { 'x-color-version': 'blue' };
    const toBlue = await send(20, blue);
    const weighted = await send(60);
    await mesh.injectFault('color', 'blue', { abort: { percent: 100, status: 503 } });
    // The router applies the fault within a second of the call: blue is asked until 15 failed.
    const onBlue: number[] = [];
    while (onBlue.filter((s) => s >= 500).length < 15) {
      if (onBlue.length >= 1000) throw new Error('the injected fault never reached the router');
      onBlue.push(...(await send(1, blue)));
    }
    expect(toBlue.every((s) => s === 200) && weighted.every((s) => s === 200)).toBe(true);
    const failedOnBlue = onBlue.filter((s) => s >= 500);
    const sent = toBlue.length + weighted.length + onBlue.length;

    // One less would be a lost request, one more a request counted twice.
    await expect
      .poll(
        async () => {
          const figures = await viewFigures();
          const total = (label: string) => (figures[label]?.total ?? 0) - start(label);
          return {
            gateway: total('client vanilla'),
            router: total('color router'),
            versions: total('color red') + total('color blue'),
            blueAtLeast: total('color blue') >= toBlue.length + onBlue.length,
            gatewayErrors: serverErrors(figures['client vanilla']),
            blueErrors: serverErrors(figures['color blue']),
            redErrors: serverErrors(figures['color red']),
          };
        },
        { timeout: 10_000, interval: 500 },
      )
      .toEqual({
        gateway: sent,
        router: sent,
        versions: sent,
        blueAtLeast: true,
        gatewayErrors: failedOnBlue.length,
        blueErrors: failedOnBlue.length,
        redErrors: 0,
      });
  });
});
