/**
 * cfn-lint over every template the examples synthesize, in every flavor that can express them:
 * any error or warning fails, except W3696 (App Mesh's retirement, which that flavor states).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '@color-teller/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import articleTopology from '../../../color-teller.topology';
import canaryTopology from '../../../examples/canary.topology';
import egressTopology from '../../../examples/egress.topology';
import { MESH_FLAVORS } from '../src';
import { synthesize } from './fixtures';

const EXAMPLES: Readonly<Record<string, Topology>> = {
  'color-teller.topology.ts': articleTopology,
  'examples/canary.topology.ts': canaryTopology,
  'examples/egress.topology.ts': egressTopology,
};
/** App Mesh reached end of support on 2026-09-30; the flavor says so and never deploys. */
const ALLOWED_RULES = new Set(['W3696']);
const INSTALL = 'pip install cfn-lint';
/** One synthesis a template (~10 s each on a loaded 2-core machine), then one cfn-lint run. */
const LINT_TIMEOUT_MS = 900_000;

interface LintFinding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
  readonly Location: { readonly Path?: readonly (string | number)[] };
}

interface Rendered {
  readonly file: string;
  readonly example: string;
  readonly flavor: string;
}

/**
 * Every (example, flavor) the flavor accepts, synthesized once and written as a template file.
 * The one place templates are made here, so that a shared synthesis cache can stand in for it.
 */
function renderExamples(outdir: string): Rendered[] {
  return Object.entries(EXAMPLES).flatMap(([example, topology]) =>
    MESH_FLAVORS.filter((entry) => entry.provider().validate(topology).length === 0).map(
      (entry) => {
        const { template } = synthesize(topology, entry.provider());
        const file = join(outdir, `${example.replace(/\W+/g, '-')}.${entry.name}.json`);
        writeFileSync(file, JSON.stringify(template.toJSON(), null, 1));
        return { file, example, flavor: entry.name };
      },
    ),
  );
}

/** cfn-lint's findings on `files`, in its JSON format. */
function lint(files: readonly string[]): LintFinding[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  const findings = JSON.parse(run.stdout || '[]') as LintFinding[];
  // Non-zero with no findings means cfn-lint itself failed (a crash, a bad template path).
  if (run.status !== 0 && findings.length === 0) {
    throw new Error(`cfn-lint exited ${run.status}: ${run.stderr}`);
  }
  return findings;
}

const installed = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
const requireLinter = process.env.CI === 'true';

describe.runIf(installed)('GIVEN every example topology in every flavor that expresses it', () => {
  let rendered: Rendered[];
  let findings: LintFinding[];
  beforeAll(() => {
    rendered = renderExamples(mkdtempSync(join(tmpdir(), 'cfn-lint-')));
    findings = lint(rendered.map((r) => r.file));
  }, LINT_TIMEOUT_MS);

  it('THEN each example renders in at least one flavor, and each flavor renders at least one example', () => {
    for (const example of Object.keys(EXAMPLES)) {
      expect(
        rendered.some((r) => r.example === example),
        example,
      ).toBe(true);
    }
    for (const entry of MESH_FLAVORS) {
      expect(
        rendered.some((r) => r.flavor === entry.name),
        entry.name,
      ).toBe(true);
    }
  });

  it('THEN cfn-lint finds no error and no warning but W3696 in any template', () => {
    const flagged = findings
      .filter((f) => !ALLOWED_RULES.has(f.Rule.Id))
      .map((f) => {
        const source = rendered.find((r) => r.file === f.Filename);
        const where = (f.Location.Path ?? []).join('/');
        return `${source?.example} (${source?.flavor}) ${f.Level} ${f.Rule.Id} at ${where}: ${f.Message}`;
      });
    expect(flagged).toEqual([]);
  });

  it('THEN the App Mesh templates carry W3696 and only those (the linter did read them)', () => {
    const retired = new Set(findings.filter((f) => f.Rule.Id === 'W3696').map((f) => f.Filename));
    const appMesh = rendered.filter((r) => r.flavor === 'appmesh').map((r) => r.file);
    expect([...retired].sort()).toEqual([...appMesh].sort());
  });
});

describe.runIf(!installed && requireLinter)('GIVEN CI=true and no cfn-lint', () => {
  it(`THEN the suite fails: cfn-lint must run in CI (${INSTALL})`, () => {
    throw new Error(`cfn-lint is not installed: ${INSTALL}`);
  });
});

describe.runIf(!installed && !requireLinter)('GIVEN no cfn-lint on this machine', () => {
  it.skip(`cfn-lint is not installed, so the templates are not linted: ${INSTALL}`, () => {});
});
