import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const FLOOD = fileURLToPath(new URL('./fixtures/flood-output.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the flood with its stdout a pipe this test never reads. */
async function flood(): Promise<{ rssMb: number; dropped: number }> {
  const child = spawn(process.execPath, ['--import', TSX, FLOOD], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pause();
  let report = '';
  child.stderr!.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
  await once(child, 'exit');
  child.stdout!.destroy();
  return JSON.parse(report) as { rssMb: number; dropped: number };
}

describe('the runner’s output when nobody reads it (finding 10)', () => {
  it('keeps its memory bounded and counts the lines it dropped', async () => {
    const bounded = await flood();
    // 600,000 lines of 200 bytes are 120 MB: held in memory they would show in RSS (the
    // fixture itself, under tsx, sits at about 80 MB).
    expect(bounded.rssMb, `RSS ${bounded.rssMb.toFixed(1)} MB`).toBeLessThan(110);
    expect(bounded.dropped).toBeGreaterThan(550_000);
  });
});
