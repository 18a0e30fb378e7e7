import { spawn } from 'node:child_process';
import { repoRoot } from '../harness/paths';
import type { MeasureResult } from '../report/figures';
import { notMeasured } from '../report/figures';
import { round } from '../stats';

export const synthTargetSec = 30;
const synthDeadlineMs = 120_000;

const synthFigure = {
  id: 'synth.bothFlavors.sec',
  label: 'synthesis of both flavors (`npm run synth`)',
  unit: 's',
  target: { op: '<=' as const, value: synthTargetSec },
};

/** Measure 6: wall time of `npm run synth`, which writes both flavors' cloud assemblies. */
export async function measureSynthesis(): Promise<MeasureResult> {
  const started = performance.now();
  const outcome = await new Promise<{ code: number | null; tail: string }>((resolve) => {
    const child = spawn('npm', ['run', 'synth'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), synthDeadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, tail });
    });
  });
  const seconds = round((performance.now() - started) / 1000, 1);
  if (outcome.code !== 0) {
    const lastLine = outcome.tail.trim().split('\n').at(-1) ?? '';
    return notMeasured(
      [synthFigure],
      `npm run synth failed (exit ${outcome.code} after ${seconds} s): ${lastLine}`,
    );
  }
  return { figures: [{ ...synthFigure, value: seconds }] };
}
