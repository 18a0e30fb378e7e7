// `npm run coverage`: the unit project under Vitest's v8 coverage, merged with what the processes
// those tests spawn ran (services, routers, fixtures), which Node records through NODE_V8_COVERAGE.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';

const require = createRequire(import.meta.url);
const Report = require('c8/lib/report.js');

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'reports', 'coverage');
const inProcessDir = join(out, 'in-process');
const rawDir = join(out, 'child-processes-raw');
// What is measured: the code of the workspaces, not their tests, builds or type declarations.
const include = ['packages/*/src/**', 'services/*/src/**', 'tools/*/src/**', 'infra/lib/**'];
const exclude = ['**/*.d.ts', '**/test/**', '**/dist/**'];

rmSync(out, { recursive: true, force: true });
mkdirSync(rawDir, { recursive: true });

const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--project',
    'unit',
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json',
    `--coverage.reportsDirectory=${inProcessDir}`,
    ...include.map((glob) => `--coverage.include=${glob}`),
    ...exclude.map((glob) => `--coverage.exclude=${glob}`),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_V8_COVERAGE: rawDir } },
);

// Vitest's own processes run the tests' modules through its transformer; their coverage is in
// the in-process report already, so only processes without Vitest loaded are read here.
for (const file of readdirSync(rawDir)) {
  const text = readFileSync(join(rawDir, file), 'utf8');
  if (text.includes('/node_modules/vitest/')) rmSync(join(rawDir, file));
}
const children = await new Report({
  include,
  exclude,
  tempDirectory: rawDir,
  reportsDirectory: out,
  reporter: [],
  excludeNodeModules: true,
  src: [root],
  resolve: '',
  omitRelative: true,
  allowExternal: false,
}).getCoverageMapFromAllCoverageFiles();

const merged = libCoverage.createCoverageMap(
  JSON.parse(readFileSync(join(inProcessDir, 'coverage-final.json'), 'utf8')),
);
// The two converters number statements differently, so a child's run is added line by line: a
// statement or function counts as run when a child process ran its first line. Branches keep
// the in-process counts (a line does not say which way it went).
for (const file of children.files()) {
  const ranLines = children.fileCoverageFor(file).getLineCoverage();
  if (!merged.data[file]) {
    merged.addFileCoverage(children.fileCoverageFor(file));
    continue;
  }
  const base = merged.fileCoverageFor(file).data;
  for (const [id, location] of Object.entries(base.statementMap)) {
    if (ranLines[location.start.line] > 0) base.s[id] += ranLines[location.start.line];
  }
  for (const [id, fn] of Object.entries(base.fnMap)) {
    const line = (fn.decl ?? fn.loc).start.line;
    if (ranLines[line] > 0) base.f[id] += ranLines[line];
  }
}
const childFiles = children.files().length;
const context = libReport.createContext({ dir: out, coverageMap: merged });
for (const reporter of ['text-summary', 'html', 'json-summary']) {
  reports.create(reporter).execute(context);
}
console.log(
  `\ncoverage of ${merged.files().length} files (${childFiles} also run in child processes): ${join(out, 'index.html')}`,
);
process.exit(run.status ?? 1);
