import { startLocalMesh, type LocalMesh } from '@color-teller/local-mesh';
import { loadTopology } from '@color-teller/topology/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, parseSmokeArgs, runSmoke } from '../src';

const REPOSITORY_ROOT = new URL('../../../', import.meta.url).pathname;

describe('GIVEN the real Color Teller running locally with the canary topology', () => {
  let mesh: LocalMesh;
  beforeAll(async () => {
    const topology = await loadTopology('examples/canary.topology.ts', REPOSITORY_ROOT);
    mesh = await startLocalMesh({ topology, ingressPort: 0 });
  }, 120_000);
  afterAll(() => mesh?.stop());

  it('THEN the smoke test passes: page, version, red 80 / blue 20 over 400 requests, header and cookie routes', async () => {
    // 10 points is five standard deviations of a 400-request sample: a real split never fails it.
    const options = parseSmokeArgs([
      mesh.url,
      '--requests',
      '400',
      '--concurrency',
      '8',
      '--expect-version',
      'vanilla',
      '--expect-colors',
      'red=80,blue=20',
      '--tolerance',
      '10',
      '--expect-route',
      'x-color-version=blue:blue',
      '--expect-route',
      'cookie=color-version=blue:blue',
    ]);
    const report = await runSmoke(options);
    expect(report.checks.map((check) => check.name)).toContain('route x-color-version: blue');
    expect(report.ok, formatReport(report)).toBe(true);
  });

  it('THEN it fails against the same system when the expected split is wrong', async () => {
    const report = await runSmoke(
      parseSmokeArgs([
        mesh.url,
        '--requests',
        '100',
        '--expect-colors',
        'red=20,blue=80',
        '--tolerance',
        '10',
      ]),
    );
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'share of red',
      'share of blue',
    ]);
  });
});
