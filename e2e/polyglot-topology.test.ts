import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTopology } from '@color-teller/topology/load';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh } from '@color-teller/local-mesh';
import { REPO_ROOT } from './support/mesh';

// examples/polyglot: the gateway, then a Python service (light 70 / dark 30), then the Node backend,
// run as `npm start -- --topology examples/polyglot/polyglot.topology.ts` runs it, live view on.
let mesh: LocalMesh;
beforeAll(async () => {
  const topology = await loadTopology('examples/polyglot/polyglot.topology.ts', REPO_ROOT);
  mesh = await startLocalMesh({ topology, ingressPort: 0, viewPort: 0 });
});
afterAll(() => mesh?.stop());

interface Figures {
  readonly total: number;
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sharePercent?: number;
}
interface Snapshot {
  readonly figures: Record<string, Figures>;
}

/** The view's next snapshot, read from its server-sent events. */
async function snapshot(): Promise<Snapshot> {
  const controller = new AbortController();
  const response = await fetch(`${mesh.viewUrl}/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
  } finally {
    controller.abort();
  }
  return JSON.parse(text.slice(text.indexOf('data: ') + 6, text.indexOf('\n\n'))) as Snapshot;
}

const REQUESTS = 600;

describe('the polyglot example under the local runner', () => {
  const told: Record<string, number> = {};

  beforeAll(async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${mesh.url}/gateway/color/color`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { color: string; shade: string };
      expect(body.color).toBe('red');
      told[body.shade] = (told[body.shade] ?? 0) + 1;
    }
  });

  it('splits the Python service 70/30 between its versions', () => {
    expect(told.light! + told.dark!).toBe(REQUESTS);
    // 600 draws of p = 0.7: one standard deviation is under 2 points.
    expect(Math.abs((told.light! * 100) / REQUESTS - 70)).toBeLessThan(7);
  });

  it("shows in the live view each Python version's requests as its router measured them", async () => {
    // Every request passed the router, and so did the runner's health checks (a few a minute):
    // each version shows at least what it answered.
    const beyondTold = (figures: Record<string, Figures>) => [
      (figures['shade light']?.total ?? 0) - told.light!,
      (figures['shade dark']?.total ?? 0) - told.dark!,
    ];
    await expect
      .poll(async () => Math.min(...beyondTold((await snapshot()).figures)), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(0);
    const { figures } = await snapshot();
    const [lightExtra, darkExtra] = beyondTold(figures);
    expect(lightExtra! + darkExtra!).toBeLessThan(10);
    const light = figures['shade light']!;
    // The share is over the view's last 10 s, near the configured 70%.
    expect(Math.abs(light.sharePercent! - 70)).toBeLessThan(12);
    expect(light.errorRate).toBe(0);
    expect(light.p50Ms).toBeGreaterThan(0);
    expect(light.p99Ms).toBeGreaterThanOrEqual(light.p50Ms);
    // The Node backend behind it still reports what it logs itself.
    await expect
      .poll(async () => (await snapshot()).figures['color red']!.total, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(REQUESTS);
  });

  it("draws a trace across the Python service: its router's span sits between the gateway and the backend", async () => {
    // A caller that asks for the trace to be recorded (the sampled flag), as a browser's tracer would.
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const response = await fetch(`${mesh.url}/gateway/color/color`, { headers: { traceparent } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await expect
      .poll(
        async () => {
          const spans = (await (await fetch(`${mesh.viewUrl}/traces/${traceId}`)).json()) as {
            process: string;
          }[];
          return [...new Set(spans.map((span) => span.process))].sort();
        },
        { timeout: 10_000 },
      )
      .toEqual(['color-backend', 'color-client', 'shade-router']);
  });

  it('moves the Python service to new weights while it runs, restarting nothing', async () => {
    const before = mesh.processes.map((p) => p.pid);
    const topology = await loadTopology('examples/polyglot/polyglot.topology.ts', REPO_ROOT);
    await mesh.applyTopology({
      ...topology,
      services: topology.services.map((s) =>
        s.name === 'shade'
          ? { ...s, versions: s.versions.map((v) => ({ ...v, weight: v.name === 'dark' ? 9 : 1 })) }
          : s,
      ),
    });
    let dark = 0;
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${mesh.url}/gateway/color/color`);
      if (((await response.json()) as { shade: string }).shade === 'dark') dark += 1;
    }
    // 300 draws of p = 0.9: one standard deviation is under 2 points.
    expect(Math.abs((dark * 100) / 300 - 90)).toBeLessThan(7);
    expect(mesh.processes.map((p) => p.pid)).toEqual(before);
  });
});
