import { afterEach, describe, expect, it } from 'vitest';
import { parseHeaderRoute, parseSmokeArgs, runSmoke, SmokeUsageError } from '../src';
import { startFakeColorTeller, type FakeColorTeller } from './color-teller-server';

let server: FakeColorTeller | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Smoke-tests a canary (red 80 / blue 20, `x-color-version: blue` gets blue) with one route. */
async function smokeCanaryRoute(route: string) {
  server = await startFakeColorTeller({
    colors: ['red', 'red', 'red', 'red', 'blue'],
    headerRoute: { header: 'x-color-version', value: 'blue', color: 'blue' },
  });
  const report = await runSmoke(
    parseSmokeArgs([server.url, '--requests', '40', '--expect-route', route]),
  );
  return { report, route: report.checks.find((check) => check.name.startsWith('route')) };
}

describe('--expect-route: a canary header route', () => {
  it('passes when every request with the header reaches the routed color', async () => {
    const { report, route } = await smokeCanaryRoute('x-color-version=blue:blue');
    expect(route).toEqual({
      name: 'route x-color-version: blue',
      ok: true,
      detail: '40 of 40 answered blue',
    });
    expect(report.ok).toBe(true);
  });

  it('fails when the header only gets the weighted split, counting what answered', async () => {
    const { report, route } = await smokeCanaryRoute('x-color-version=green:blue');
    expect(report.ok).toBe(false);
    expect(route).toMatchObject({ name: 'route x-color-version: green', ok: false });
    expect(route?.detail).toMatch(/^expected blue on all 40 answers, got red ×\d+, blue ×\d+$/);
  });

  it('reads a cookie route, whose value holds an equals sign, up to the last colon', () => {
    expect(parseHeaderRoute('Cookie=color-version=blue:blue')).toEqual({
      header: 'cookie',
      value: 'color-version=blue',
      color: 'blue',
    });
  });

  it('fails on a route without a color, showing the form it takes', () => {
    expect(() => parseSmokeArgs(['http://x', '--expect-route', 'x-color-version=blue'])).toThrow(
      new SmokeUsageError(
        '--expect-route "x-color-version=blue" is not header=value:color, e.g. --expect-route x-color-version=blue:blue',
      ),
    );
  });
});
