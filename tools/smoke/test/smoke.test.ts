import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, parseSmokeArgs, runSmoke } from '../src';
import { startFakeColorTeller, type FakeColorTeller } from './color-teller-server';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const run = promisify(execFile);

let server: FakeColorTeller | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function smoke(args: string[]) {
  return runSmoke(parseSmokeArgs(args));
}

describe('runSmoke against a running Color Teller', () => {
  it('passes when the page, version, color and shares are as expected', async () => {
    server = await startFakeColorTeller({ colors: ['red', 'red', 'red', 'red', 'blue'] });
    const report = await smoke([
      server.url,
      '--requests',
      '50',
      '--expect-version',
      'vanilla',
      '--expect-colors',
      'red=80,blue=20',
    ]);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.colorCounts).toEqual({ red: 40, blue: 10 });
    expect(formatReport(report)).toMatch(
      /PASS {2}share of blue +20\.0% \(expected 20% ± \d+\.\d\)\nall checks passed/,
    );
  });

  it('fails when the page is not the Color Teller', async () => {
    server = await startFakeColorTeller({ pageHtml: '<html>Welcome to nginx</html>' });
    const report = await smoke([server.url, '--requests', '2']);
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({
      name: 'page /',
      ok: false,
      detail: expect.stringMatching(/no "Color Teller"/),
    });
  });

  it('fails when the version differs, naming both', async () => {
    server = await startFakeColorTeller({ version: 'chocolate' });
    const report = await smoke([server.url, '--requests', '2', '--expect-version', 'vanilla']);
    expect(report.checks.find((c) => c.name.startsWith('version'))).toMatchObject({
      ok: false,
      detail: 'expected "vanilla", got "chocolate"',
    });
  });

  it('fails when a share is off and when an unexpected color answers', async () => {
    server = await startFakeColorTeller({ colors: ['red', 'green'] });
    const report = await smoke([
      server.url,
      '--requests',
      '40',
      '--expect-colors',
      'red=80,blue=20',
    ]);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(['share of red', 'share of blue', 'unexpected colors']);
    expect(formatReport(report)).toMatch(
      /FAIL {2}unexpected colors +green ×20\n3 of 6 checks failed/,
    );
  });

  it('fails when the color endpoint answers errors, quoting the first one', async () => {
    server = await startFakeColorTeller({ colorStatus: 502 });
    const report = await smoke([server.url, '--requests', '3']);
    expect(report.checks.find((c) => c.name.startsWith('color'))).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^3 of 3 requests failed, first: status 502/),
    });
  });

  it('fails when nothing listens, with the connection error', async () => {
    server = await startFakeColorTeller();
    const url = server.url;
    await server.close();
    server = undefined;
    const report = await smoke([url, '--requests', '1', '--timeout-ms', '2000']);
    expect(report.ok).toBe(false);
    expect(report.checks[0]!.detail).toMatch(/ECONNREFUSED/);
  });
});

describe('runSmoke --check-egress, on the egress example', () => {
  it('passes when the backend answers its color’s name from the external', async () => {
    server = await startFakeColorTeller({
      name: { status: 200, body: { color: 'red', name: 'Red' } },
    });
    const report = await smoke([server.url, '--requests', '2', '--check-egress']);
    expect(report.checks.at(-1)).toEqual({
      name: 'egress /gateway/color/name',
      ok: true,
      detail: '"Red"',
    });
    expect(report.ok).toBe(true);
  });

  it('fails when the external cannot be reached, quoting the backend’s answer', async () => {
    server = await startFakeColorTeller({
      name: { status: 502, body: { error: 'colornames_unavailable' } },
    });
    const report = await smoke([server.url, '--requests', '2', '--check-egress']);
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({
      name: 'egress /gateway/color/name',
      ok: false,
      detail: expect.stringMatching(/^status 502: .*colornames_unavailable/),
    });
  });

  it('fails on an empty name and on a system without the external', async () => {
    server = await startFakeColorTeller({ name: { status: 200, body: { name: '' } } });
    const empty = await smoke([server.url, '--requests', '1', '--check-egress']);
    expect(empty.checks.at(-1)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/no "name" string/),
    });
    await server.close();
    server = await startFakeColorTeller();
    const without = await smoke([server.url, '--requests', '1', '--check-egress']);
    expect(without.checks.at(-1)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^status 404/),
    });
  });

  it('checks no egress unless asked', async () => {
    server = await startFakeColorTeller();
    const report = await smoke([server.url, '--requests', '1']);
    expect(report.checks.map((c) => c.name)).not.toContain('egress /gateway/color/name');
    expect(report.ok).toBe(true);
  });
});

describe('the smoke CLI', () => {
  it('exits 0 with a report when every check passes', async () => {
    server = await startFakeColorTeller({ colors: ['red'] });
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      CLI,
      server.url,
      '--requests',
      '5',
      '--expect-colors',
      'red=100',
    ]);
    expect(stdout).toMatch(/^Smoke test of http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(stdout).toMatch(/all checks passed/);
  });

  it('exits 1 when a check fails', async () => {
    server = await startFakeColorTeller({ version: 'chocolate' });
    const failure = await run(process.execPath, [
      '--import',
      'tsx',
      CLI,
      server.url,
      '--expect-version',
      'vanilla',
    ]).catch((error: { code: number; stdout: string }) => error);
    expect(failure).toMatchObject({ code: 1, stdout: expect.stringMatching(/FAIL {2}version/) });
  });

  it('exits 2 with the usage when the URL is missing', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', CLI, '--requests', '5']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/URL is missing\nusage: npm run smoke/),
    });
  });
});
