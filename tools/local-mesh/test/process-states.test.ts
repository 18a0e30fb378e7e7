import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../src/supervisor';
import { ProcessStates } from '../src/view/process-states';

/** A supervisor stand-in: pids by label, spawn and exit events on demand. */
function fakeSupervisor(pids: Map<string, number>): Supervisor {
  const emitter = new EventEmitter() as EventEmitter & { pid(label: string): number | undefined };
  emitter.pid = (label) => pids.get(label);
  return emitter as unknown as Supervisor;
}

describe('ProcessStates', () => {
  it('says restarting while down, starting until the restarted process answers, then up', () => {
    const pids = new Map([['color red', 101]]);
    const supervisor = fakeSupervisor(pids);
    let recovering = false;
    const states = new ProcessStates(
      supervisor,
      () => ['color red'],
      () => 0,
      () => recovering,
    );
    const state = () => states.all()[0]!.state;
    expect(state()).toBe('up');

    pids.delete('color red');
    supervisor.emit('exit', {
      label: 'color red',
      code: null,
      signal: 'SIGKILL',
      restartInMs: 250,
    });
    expect(states.all()[0]).toMatchObject({ state: 'restarting', backoffMs: 250, restarts: 0 });

    pids.set('color red', 102);
    recovering = true;
    supervisor.emit('spawn', 'color red', 102);
    expect(states.all()[0]).toMatchObject({ state: 'starting', pid: 102, restarts: 1 });

    recovering = false;
    expect(state()).toBe('up');
    states.stop();
  });

  it('says hung when a running process fails its health checks', () => {
    const states = new ProcessStates(
      fakeSupervisor(new Map([['color red', 7]])),
      () => ['color red'],
      () => 1,
    );
    expect(states.all()[0]!.state).toBe('hung');
    states.stop();
  });
});
