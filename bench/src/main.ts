// `npm run bench`: every measure of issue 5 in one bounded run on loopback. Writes
// bench/results/latest.json and the table in bench/README.md.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './harness/paths';
import { spawnHttpProcess } from './harness/service-process';
import { describeMachine } from './machine';
import { measureDataPath } from './measures/data-path';
import { compareOnClosingServer, crossCheckWithWrk } from './measures/generator-check';
import { measureMemory } from './measures/memory';
import { measureRouter } from './measures/router';
import { measureColdStart } from './measures/cold-start';
import { measurePageWeight } from './measures/page-weight';
import { measureSynthesis } from './measures/synthesis';
import { measureCost } from './measures/cost';
import { measureSigningCost } from './measures/signing';
import { measureTracingCost } from './measures/tracing-cost';
import { measureViewCost } from './measures/view-cost';
import { localHopTopology, measureLocalHop } from './measures/local-hop';
import { measurePeers } from './measures/peers';
import { measureGatewayProfile } from './measures/gateway-profile';
import { measureYoungGeneration } from './measures/young-generation';
import type { Figure, MeasureResult } from './report/figures';
import { verdict } from './report/figures';
import { renderMachine, renderTable, replaceResultsBlock } from './report/table';
import { startDataPathSystem, startMesh, startTopology } from './system-under-test';

const benchDir = path.join(repoRoot, 'bench');
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

function valueOf(result: MeasureResult, id: string): number | undefined {
  return result.figures.find((f) => f.id === id)?.value ?? undefined;
}

async function measureViewCostOnCanary(): Promise<MeasureResult> {
  const [withoutView, withView] = await Promise.all([
    startMesh('examples/canary.topology.ts'),
    startMesh('examples/canary.topology.ts', { viewPort: 0 }),
  ]);
  try {
    if (!('url' in withoutView)) return { figures: [], notes: [withoutView.unavailable] };
    if (!('url' in withView)) return { figures: [], notes: [withView.unavailable] };
    return await measureViewCost({ withoutView, withView }, '/gateway/color/color');
  } finally {
    await Promise.all([withoutView, withView].map((m) => ('stop' in m ? m.stop() : undefined)));
  }
}

async function measureLocalHopOfRouter(): Promise<MeasureResult> {
  const mesh = await startTopology(localHopTopology(process.execPath), { viewPort: 0 });
  if (!('url' in mesh)) return { figures: [], notes: [mesh.unavailable] };
  try {
    return await measureLocalHop(mesh);
  } finally {
    await mesh.stop();
  }
}

async function run(): Promise<void> {
  const startedAt = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`[bench] over its ${budgetMs / 1000} s budget: stopping (no results written)`);
    process.exit(1);
  }, budgetMs);
  watchdog.unref();

  if (!process.argv.includes('--no-build')) buildServices();
  const results: Record<string, MeasureResult> = {};

  log('1. data path: (a) direct, (b) baseline proxy, (c) gateway, (d) ingress; 4. memory');
  const system = await startDataPathSystem();
  try {
    const meshUrl = 'url' in system.mesh ? system.mesh.url : undefined;
    results.dataPath = await measureDataPath(
      {
        direct: `${system.backend.url}/color`,
        baseline: `${system.baseline.url}/color`,
        gateway: `${system.gateway.url}/gateway/color/color`,
        ingress: meshUrl ? `${meshUrl}/gateway/color/color` : undefined,
      },
      'unavailable' in system.mesh ? system.mesh.unavailable : undefined,
    );
    results.memory = await measureMemory([system.backend, system.gateway]);
    log('   what SigV4 signing of upstream calls costs: signed vs unsigned gateway hop');
    results.signing = await measureSigningCost(system.backend);
    log('   what tracing costs the gateway: off, on with nothing sampled, sampled as in the cloud');
    results.tracing = await measureTracingCost(system.backend);
    log('   peers side by side: the floor, our gateway, the Node proxies a user would pick, nginx');
    results.peers = await measurePeers(system.backend);
    log('   where the gateway spends its CPU: a profile per layer');
    results.profile = await measureGatewayProfile(system.backend);
    log("   memory: the gateway with V8's young generation bounded");
    results.youngGeneration = await measureYoungGeneration(system.backend);
    log('   cross-check of (c) with wrk');
    results.wrk = await crossCheckWithWrk(
      `${system.gateway.url}/gateway/color/color`,
      valueOf(results.dataPath, 'dataPath.gateway.p99Ms') ?? 0,
    );
  } finally {
    await system.stop();
  }

  log('   how each generator counts closed connections');
  const closing = await spawnHttpProcess({
    name: 'closing server',
    args: ['--import', 'tsx', path.join(benchDir, 'src/closing-server-main.ts')],
    healthPath: '/',
  });
  try {
    results.closing = await compareOnClosingServer(`${closing.url}/`);
  } finally {
    await closing.stop();
  }

  log('2. local router: canary topology');
  const canary = await startMesh('examples/canary.topology.ts');
  if ('url' in canary) {
    try {
      results.router = await measureRouter(`${canary.url}/gateway/color/color`, [
        { name: 'red', weightPercent: 80, color: 'red' },
        { name: 'blue', weightPercent: 20, color: 'blue' },
      ]);
    } finally {
      await canary.stop();
    }
  } else {
    results.router = { figures: [], notes: [canary.unavailable] };
  }

  log('   what the live view costs the data path: canary with and without it');
  results.view = await measureViewCostOnCanary();

  log('   what one local router hop adds (the data plane of a service in any language)');
  results.localHop = await measureLocalHopOfRouter();

  log('3. cold start');
  results.coldStart = await measureColdStart();
  log('5. page weight');
  results.page = await measurePageWeight();
  log('6. synthesis');
  results.synth = await measureSynthesis();
  log('7. cost');
  results.cost = await measureCost();

  const machine = describeMachine(new Date(startedAt));
  const figures: Figure[] = Object.values(results).flatMap((r) => r.figures);
  const notes = Object.values(results).flatMap((r) => r.notes ?? []);
  const durationSec = Math.round((Date.now() - startedAt) / 1000);
  await mkdir(path.join(benchDir, 'results'), { recursive: true });
  await writeFile(
    path.join(benchDir, 'results/latest.json'),
    `${JSON.stringify({ machine, durationSec, figures, notes, details: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.details ?? null])) }, null, 2)}\n`,
  );
  const readmePath = path.join(benchDir, 'README.md');
  const readme = await readFile(readmePath, 'utf8').catch(() => '# Benchmarks\n');
  const block = [
    renderMachine(machine) + ` The whole run took ${durationSec} s.`,
    '',
    renderTable(figures),
    '',
    ...Object.values(results).flatMap((r) => (r.markdown ? [r.markdown, ''] : [])),
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
  await writeFile(readmePath, replaceResultsBlock(readme, block));

  const missed = figures.filter((f) => verdict(f) === 'missed');
  const unmeasured = figures.filter((f) => verdict(f) === 'not measured');
  log(
    `done in ${durationSec} s: ${figures.length} figures, ${missed.length} missed, ${unmeasured.length} not measured`,
  );
  for (const f of missed) log(`   missed: ${f.label} = ${f.value} ${f.unit}`);
  for (const f of unmeasured) log(`   not measured: ${f.label}: ${f.note}`);
  for (const note of notes) log(`note: ${note}`);
  log('results: bench/results/latest.json, table: bench/README.md');
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
