import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTopology } from '@color-teller/topology/load';
import { check, resolveConfig } from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src';
import { FIXTURES, REPOSITORY_ROOT, scratchDir } from './support';

const PAINT_SHOP = [`${FIXTURES}paint-shop-mesh.yaml`, `${FIXTURES}paint-shop-tasks.json`];

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    REPOSITORY_ROOT,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run import -- appmesh', () => {
  const scratch = scratchDir();
  afterAll(() => scratch.remove());

  it('writes a topology module that Prettier leaves as it is and loadTopology loads, a report, and a summary', async () => {
    const out = join(scratch.dir, 'paint.topology.ts');
    const report = join(scratch.dir, 'paint.md');
    const result = await run(['appmesh', ...PAINT_SHOP, '--out', out, '--report', report]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(
      'Imported 2 service(s): palette [matte (90), gloss (10)], storefront [main]; ingress storefront; externals pigments-outside',
    );
    expect(result.out).toContain('Renders on: vpc-lattice, appmesh');

    const source = readFileSync(out, 'utf8');
    const config = await resolveConfig(out);
    expect(await check(source, { ...config, filepath: out })).toBe(true);
    expect(source).toMatch(/^import \{ defineTopology \} from '@color-teller\/topology';\n/);
    const topology = await loadTopology(out);
    expect(topology.services.map((s) => s.name)).toEqual(['palette', 'storefront']);

    const markdown = readFileSync(report, 'utf8');
    for (const heading of [
      '## Every App Mesh resource read, and where it went',
      '## What no flavor expresses, and what to do instead',
      '### TCP listeners',
      '### gateway routes other than `/`',
      '## Where it renders',
      '## Next',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('| `vpc-lattice` (VPC Lattice) | yes |');
    expect(markdown).toContain(
      `npm run deploy -- -c topology=${out.slice(REPOSITORY_ROOT.length)} -c mesh=vpc-lattice`,
    );
  });

  it.each([
    ['not-cloudformation.yaml', 'not a CloudFormation template'],
    ['no-appmesh.yaml', 'holds no App Mesh resources'],
    ['missing-reference.yaml', 'names no resource or parameter'],
    ['unknown-tag.yaml', 'unknown tag: !Reff'],
    ['zero-weight.yaml', 'version "teal" has weight 0'],
  ])(
    'exits 2 on %s with one error naming the file and line, and leaves the output as it was',
    async (name, problem) => {
      const out = join(scratch.dir, `${name}.topology.ts`);
      const report = join(scratch.dir, `${name}.md`);
      writeFileSync(out, '// the previous import\n');
      const result = await run(['appmesh', `${FIXTURES}${name}`, '--out', out, '--report', report]);
      expect(result.code).toBe(2);
      expect(result.out).toBe('');
      expect(result.err).toMatch(new RegExp(`^error: ${FIXTURES}${name.replace('.', '\\.')}:\\d+`));
      expect(result.err).toContain(problem);
      expect(readFileSync(out, 'utf8')).toBe('// the previous import\n');
      expect(existsSync(report)).toBe(false);
    },
  );

  it.each([
    [['appmesh', `${FIXTURES}zero-weight.yaml`], '--out <file.topology.ts> is required'],
    [['appmesh', '--out', 'x.ts'], 'give at least one CloudFormation template'],
    [['terraform', 'x.json', '--out', 'x.ts'], 'unknown source "terraform"'],
    [
      ['appmesh', 'x.yaml', '--param', 'NoEquals', '--out', 'x.ts'],
      '--param "NoEquals" is not Name=Value',
    ],
    [['appmesh', 'x.yaml', '--bogus', '--out', 'x.ts'], "Unknown option '--bogus'"],
  ])('exits 2 with the usage on %j', async (argv, problem) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(problem);
    expect(result.err).toContain('usage: npm run import -- appmesh');
  });

  it('exits 2 as a process too, through the root script', () => {
    const out = join(scratch.dir, 'process.topology.ts');
    const child = spawnSync(
      'npm',
      ['run', '--silent', 'import', '--', 'appmesh', `${FIXTURES}unknown-tag.yaml`, '--out', out],
      { cwd: REPOSITORY_ROOT, encoding: 'utf8' },
    );
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('unknown-tag.yaml:5: unknown tag: !Reff');
    expect(existsSync(out)).toBe(false);
  });
});

describe('the committed doc example (docs/examples/color-gallery.*)', () => {
  it('is what the documented command writes today', async () => {
    const out = 'docs/examples/color-gallery.topology.ts';
    const report = 'docs/examples/color-gallery.import.md';
    const committed = [out, report].map((file) =>
      readFileSync(join(REPOSITORY_ROOT, file), 'utf8'),
    );
    const scratch = scratchDir();
    try {
      const here = scratch.dir.slice(REPOSITORY_ROOT.length);
      const result = await run([
        'appmesh',
        'tools/appmesh-import/test/fixtures/color-gallery.yaml',
        '--param',
        'GalleryDomain=gallery.local',
        '--param',
        'GalleryMesh=gallery',
        '--out',
        `${here}/color-gallery.topology.ts`,
        '--report',
        `${here}/color-gallery.import.md`,
      ]);
      expect(result.code).toBe(0);
      const written = ['color-gallery.topology.ts', 'color-gallery.import.md'].map((file) =>
        readFileSync(join(scratch.dir, file), 'utf8').replaceAll(here, 'docs/examples'),
      );
      expect(written).toEqual(committed);
    } finally {
      scratch.remove();
    }
  });
});
