import { once } from 'node:events';
import { isAlive } from '@color-teller/service-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor } from '../src/supervisor';
import type { ExitEvent, ProcessSpec } from '../src/supervisor';

/** A stand-in service: a small Node process running `code`. */
function standIn(label: string, code: string): ProcessSpec {
  return { label, command: process.execPath, args: ['-e', code], env: { PATH: process.env.PATH } };
}

const LONG_LIVED = `console.log('up'); console.error('on stderr'); setInterval(() => {}, 1000);`;
const IGNORES_SIGTERM = `process.on('SIGTERM', () => console.log('ignoring')); console.log('up'); setInterval(() => {}, 1000);`;

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop(1000);
  supervisor = undefined;
});

describe('Supervisor', () => {
  it('prefixes every line of stdout and stderr with the process label', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ onLog: (line) => lines.push(line) });
    supervisor.start(standIn('color red', LONG_LIVED));
    await waitFor(() => lines.length >= 2, 'two lines');
    expect(lines).toContain('[color red] up');
    expect(lines).toContain('[color red] on stderr');
  });

  it('reports a killed process and restarts it with a new pid', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ onLog: (line) => lines.push(line), backoff: { initialMs: 50 } });
    supervisor.start(standIn('color red', LONG_LIVED));
    const firstPid = await waitFor(() => supervisor!.pid('color red'), 'first pid');
    await waitFor(() => lines.includes('[color red] up'), 'start');

    const exit = once(supervisor, 'exit') as Promise<[ExitEvent]>;
    supervisor.kill('color red', 'SIGKILL');
    const [event] = await exit;
    expect(event).toMatchObject({ label: 'color red', signal: 'SIGKILL', restartInMs: 50 });
    expect(lines).toContain('[local-mesh] color red exited (signal SIGKILL); restarting in 50 ms');

    const secondPid = await waitFor(() => supervisor!.pid('color red'), 'restart');
    expect(secondPid).not.toBe(firstPid);
    expect(isAlive(secondPid)).toBe(true);
  });

  it('doubles the restart delay of a process that keeps dying, up to the maximum', async () => {
    supervisor = new Supervisor({
      onLog: () => {},
      backoff: { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 },
    });
    const delays: (number | undefined)[] = [];
    supervisor.on('exit', (event: ExitEvent) => delays.push(event.restartInMs));
    supervisor.start(standIn('crashy', 'process.exit(3)'));
    await waitFor(() => delays.length >= 4, 'four exits');
    expect(delays.slice(0, 4)).toEqual([10, 20, 40, 40]);
  });

  it('stops every process with SIGTERM and restarts none of them', async () => {
    supervisor = new Supervisor({ onLog: () => {}, backoff: { initialMs: 10 } });
    const exits: ExitEvent[] = [];
    supervisor.on('exit', (event: ExitEvent) => exits.push(event));
    supervisor.start(standIn('a', LONG_LIVED));
    supervisor.start(standIn('b', LONG_LIVED));
    const pids = [
      await waitFor(() => supervisor!.pid('a'), 'a'),
      await waitFor(() => supervisor!.pid('b'), 'b'),
    ];
    await supervisor.stop(5000);
    expect(exits.map((e) => [e.label, e.signal, e.restartInMs]).sort()).toEqual([
      ['a', 'SIGTERM', undefined],
      ['b', 'SIGTERM', undefined],
    ]);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    // stop() resolves once every process has exited: none is left to name.
    expect(supervisor.pid('a')).toBeUndefined();
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ onLog: (line) => lines.push(line) });
    supervisor.start(standIn('stubborn', IGNORES_SIGTERM));
    await waitFor(() => lines.includes('[stubborn] up'), 'start');
    const pid = supervisor.pid('stubborn')!;
    await supervisor.stop(300);
    expect(lines).toContain('[stubborn] ignoring');
    expect(lines).toContain('[local-mesh] stubborn ignored SIGTERM; killing it');
    expect(isAlive(pid)).toBe(false);
  });

  it('reports a command that cannot be started', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({
      onLog: (line) => lines.push(line),
      backoff: { initialMs: 5000 },
    });
    supervisor.start({ label: 'ghost', command: '/nonexistent/tool', args: [], env: {} });
    await waitFor(() => lines.find((l) => l.includes('could not start')), 'spawn error');
    expect(lines[0]).toMatch(
      /^\[local-mesh\] ghost could not start: spawn \/nonexistent\/tool ENOENT/,
    );
  });
});

describe('Supervisor output', () => {
  it('shortens a line longer than 2,000 characters, saying how much was cut', async () => {
    const lines: string[] = [];
    const own = new Supervisor({ onLog: (line) => lines.push(line) });
    try {
      own.start(standIn('noisy', `console.log('x'.repeat(2500)); setInterval(() => {}, 1000);`));
      await waitFor(() => lines.length >= 1, 'the long line');
      expect(lines[0]).toBe(`[noisy] ${'x'.repeat(2000)}… (500 more characters)`);
    } finally {
      await own.stop(1000);
    }
  });
});
