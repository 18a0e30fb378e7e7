import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchedLines } from '../src/log-destination';

/** A descriptor's stand-in: takes bytes while `accepting`, else fails like a full pipe. */
function fakeOutput() {
  const output = {
    text: '',
    writes: 0,
    accepting: true,
    write: (buffer: Buffer, offset: number, length: number): number => {
      if (!output.accepting) {
        throw Object.assign(new Error('EAGAIN: resource temporarily unavailable'), {
          code: 'EAGAIN',
        });
      }
      output.writes += 1;
      output.text += buffer.toString('utf8', offset, offset + length);
      return length;
    },
  };
  return output;
}

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `{"line":${from + i},"pad":"${'x'.repeat(80)}"}\n`);

describe('BatchedLines', () => {
  it('gathers lines and writes them in one call once a batch is full, in order', () => {
    const output = fakeOutput();
    const lines = new BatchedLines(output.write);
    const first = numbered(0, 10);
    for (const line of first) lines.write(line);
    expect(output.writes).toBe(0);
    const rest = numbered(10, 400);
    for (const line of rest) lines.write(line);
    expect(output.writes).toBeGreaterThan(0);
    expect(output.writes).toBeLessThan(5);
    lines.flush();
    expect(output.text).toBe([...first, ...rest].join(''));
  });

  it('keeps text that is not ASCII whole', () => {
    const output = fakeOutput();
    const lines = new BatchedLines(output.write);
    lines.write('{"msg":"bleu — 青 — 🟦"}\n');
    lines.flush();
    expect(output.text).toBe('{"msg":"bleu — 青 — 🟦"}\n');
  });

  it('lets lines wait while the output is full, then writes them in order', () => {
    const output = fakeOutput();
    const lines = new BatchedLines(output.write);
    output.accepting = false;
    const waiting = numbered(0, 1000);
    for (const line of waiting) lines.write(line);
    lines.flush();
    expect(output.text).toBe('');
    output.accepting = true;
    lines.flush();
    expect(output.text).toBe(waiting.join(''));
  });

  it('drops lines past its bound while the output stays full, and says how many', () => {
    const output = fakeOutput();
    const lines = new BatchedLines(output.write);
    output.accepting = false;
    // About 8 MiB of lines against a 4 MiB bound.
    const all = numbered(0, 80_000);
    for (const line of all) lines.write(line);
    output.accepting = true;
    lines.flush();
    lines.write('{"after":true}\n');
    lines.flush();
    const written = output.text.trimEnd().split('\n');
    const kept = written.filter((line) => line.startsWith('{"line":'));
    expect(kept.length).toBeGreaterThan(30_000);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept.join('\n') + '\n').toBe(all.slice(0, kept.length).join(''));
    const note = JSON.parse(written.at(-2)!) as { msg: string; dropped: number };
    expect(note.msg).toBe('log lines dropped: standard output was not read');
    expect(note.dropped).toBe(all.length - kept.length);
    expect(written.at(-1)).toBe('{"after":true}');
  });

  it('writes every waiting line when the process exits', () => {
    const fixture = fileURLToPath(new URL('./fixtures/exit-after-lines.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, LINES: '50' },
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(Array.from({ length: 50 }, (_, i) => `{"line":${i}}\n`).join(''));
  });
});
