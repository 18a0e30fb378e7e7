import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../harness/paths';
import { readWaitedChildrenCpuMs } from '../harness/service-process';
import type { Figure, MeasureResult } from '../report/figures';
import { notMeasured } from '../report/figures';
import { round } from '../stats';

/** Issue 21: every flavor in at most 15 s, cdk-nag and the Control Tower rules on. */
export const synthTargetSec = 15;
const synthDeadlineMs = 120_000;

const synthFigure = {
  id: 'synth.everyFlavor.sec',
  label: 'synthesis of every flavor (`npm run synth`: two Node processes, no CDK CLI)',
  unit: 's',
  target: { op: '<=' as const, value: synthTargetSec },
};

const synthCpuFigure = {
  id: 'synth.everyFlavor.cpuSec',
  label: 'synthesis of every flavor, CPU of every process (`npm run synth`, cfn-guard included)',
  unit: 's',
};

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly tail: string;
  readonly seconds: number;
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), synthDeadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, tail, seconds: round((performance.now() - started) / 1000, 1) });
    });
  });
}

function lastLine(outcome: Outcome): string {
  return outcome.tail.trim().split('\n').at(-1) ?? '';
}

/**
 * One flavor's synthesis taken apart in a fresh process (src/synthesis-phases-main.ts): CPU ms
 * per phase, so that a busy machine changes the figures little.
 */
async function synthesisPhases(): Promise<MeasureResult> {
  const main = path.join(repoRoot, 'bench/src/synthesis-phases-main.ts');
  const outcome = await run(process.execPath, ['--import', 'tsx', main, 'service-connect']);
  if (outcome.code !== 0) {
    return { figures: [], notes: [`synthesis phases failed: ${lastLine(outcome)}`] };
  }
  const phases = JSON.parse(outcome.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  const total = Object.values(phases).reduce((sum, ms) => sum + ms, 0);
  const figures: Figure[] = Object.entries(phases).map(([phase, ms], index) => ({
    id: `synth.phase${index}.cpuMs`,
    label: `one flavor's synthesis (service-connect), CPU: ${phase}`,
    value: ms,
    unit: 'ms',
    note: `${Math.round((ms / Math.max(total, 1)) * 100)}% of ${total} ms`,
  }));
  return { figures, details: { phases, totalCpuMs: total } };
}

/**
 * `npm run synth` as a fresh clone runs it: tsx's transpile cache lives in the temporary folder,
 * so it gets an empty one. CPU is what its process tree used (each process waits for its
 * children), read from this process's waited-for children's times around the run.
 */
async function coldSynth(): Promise<{ outcome: Outcome; cpuSec: number }> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'color-teller-synth-tmp-'));
  try {
    const cpuBefore = await readWaitedChildrenCpuMs();
    const outcome = await run('npm', ['run', 'synth'], { ...process.env, TMPDIR: tmp });
    const cpuSec = round(((await readWaitedChildrenCpuMs()) - cpuBefore) / 1000, 1);
    return { outcome, cpuSec };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Measure 6: wall and CPU time of `npm run synth`, which writes every flavor's cloud assembly, and why. */
export async function measureSynthesis(): Promise<MeasureResult> {
  const { outcome: synth, cpuSec } = await coldSynth();
  const whole: MeasureResult =
    synth.code === 0
      ? {
          figures: [
            { ...synthFigure, value: synth.seconds },
            { ...synthCpuFigure, value: cpuSec },
          ],
        }
      : notMeasured(
          [synthFigure, synthCpuFigure],
          `npm run synth failed (exit ${synth.code} after ${synth.seconds} s): ${lastLine(synth)}`,
        );
  const phases = await synthesisPhases();
  return {
    figures: [...whole.figures, ...phases.figures],
    notes: [...(whole.notes ?? []), ...(phases.notes ?? [])],
    details: phases.details,
  };
}
