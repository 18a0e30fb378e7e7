// `npm run bench`: every measure of the registry (src/measures.ts) in one bounded run on
// loopback. Writes bench/results/latest.json, the targets table (bench/results/targets.md, which
// the project README shows between its bench:targets markers) and the tables in bench/README.md.
// `npm run bench -- --no-build` skips building the services; `--report-only` renders the tables
// again from bench/results/latest.json without measuring; `--only <id>,<id>` runs only those
// measures (src/measures.ts ids, e.g. `--only synth`) and prints their figures, writing nothing.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './harness/paths';
import { describeMachine } from './machine';
import { MEASURES } from './measures';
import { chosenMeasures, runMeasures } from './registry';
import { verdict, type Figure } from './report/figures';
import { renderResults, type BenchResults } from './report/results';
import { replaceResultsBlock } from './report/table';

const benchDir = path.join(repoRoot, 'bench');
const latestPath = path.join(benchDir, 'results/latest.json');
const budgetMs = 8 * 60_000;

function log(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

function buildServices(): void {
  log('building the services and the page (npm run build -w color-backend -w color-client)');
  execFileSync(
    'npm',
    ['run', 'build', '-w', '@color-teller/color-backend', '-w', '@color-teller/color-client'],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** The value after `--only` (or in `--only=`), if given. */
function onlyArgument(): string | undefined {
  const at = process.argv.indexOf('--only');
  if (at >= 0) return process.argv[at + 1] ?? '';
  return process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
}

async function measureAll(measures = MEASURES): Promise<BenchResults> {
  const startedAt = Date.now();
  if (!process.argv.includes('--no-build')) buildServices();
  const runs = await runMeasures(measures, log);
  const machine = describeMachine(new Date(startedAt));
  const results: BenchResults = {
    machine,
    durationSec: Math.round((Date.now() - startedAt) / 1000),
    figures: runs.flatMap((r) => r.result.figures),
    notes: runs.flatMap((r) => r.result.notes ?? []),
    markdown: runs.flatMap((r) => (r.result.markdown ? [r.result.markdown] : [])),
    details: Object.fromEntries(runs.map((r) => [r.measure.id, r.result.details ?? null])),
  };
  return results;
}

async function writeLatest(results: BenchResults): Promise<void> {
  await mkdir(path.dirname(latestPath), { recursive: true });
  await writeFile(latestPath, `${JSON.stringify(results, null, 2)}\n`);
}

async function writeReports(results: BenchResults): Promise<void> {
  const { targets, block } = renderResults(results);
  await writeFile(path.join(benchDir, 'results/targets.md'), `${targets}\n`);
  const readmePath = path.join(benchDir, 'README.md');
  const readme = await readFile(readmePath, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(readmePath, replaceResultsBlock(readme, block));
  // The project README leads with the same targets table: today's figures, generated.
  const projectReadmePath = path.join(benchDir, '..', 'README.md');
  const projectReadme = await readFile(projectReadmePath, 'utf8');
  await writeFile(projectReadmePath, replaceResultsBlock(projectReadme, targets, 'targets'));
}

function summarize(results: BenchResults): void {
  const missed = results.figures.filter((f: Figure) => verdict(f) === 'missed');
  const unmeasured = results.figures.filter((f: Figure) => verdict(f) === 'not measured');
  log(
    `done in ${results.durationSec} s: ${results.figures.length} figures, ${missed.length} missed, ${unmeasured.length} not measured`,
  );
  for (const f of missed) log(`   missed: ${f.label} = ${f.value} ${f.unit}`);
  for (const f of unmeasured) log(`   not measured: ${f.label}: ${f.note}`);
  for (const note of results.notes) log(`note: ${note}`);
}

async function run(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`[bench] over its ${budgetMs / 1000} s budget: stopping (no results written)`);
    process.exit(1);
  }, budgetMs);
  watchdog.unref();
  const only = onlyArgument();
  if (only !== undefined) {
    // A partial run never replaces the committed tables: its figures are printed only.
    const results = await measureAll(chosenMeasures(MEASURES, only));
    for (const f of results.figures) {
      log(
        `   ${f.label}: ${f.value ?? '–'} ${f.unit} (${verdict(f)})${f.note ? `, ${f.note}` : ''}`,
      );
    }
    summarize(results);
    const partialPath = path.join(tmpdir(), `bench-${only.replaceAll(',', '-')}.json`);
    await writeFile(partialPath, `${JSON.stringify(results, null, 2)}\n`);
    log(`details: ${partialPath}`);
    return;
  }
  const results = process.argv.includes('--report-only')
    ? (JSON.parse(await readFile(latestPath, 'utf8')) as BenchResults)
    : await measureAll();
  if (!process.argv.includes('--report-only')) await writeLatest(results);
  await writeReports(results);
  summarize(results);
  log('results: bench/results/latest.json; tables: bench/results/targets.md, bench/README.md');
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
