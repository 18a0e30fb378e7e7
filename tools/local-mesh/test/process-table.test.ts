import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedProcess } from '../src/plan';
import { ProcessTable, labelOf } from '../src/process-table';
import { Supervisor } from '../src/supervisor';

const planned = (service: string, version: string, port: number): PlannedProcess => ({
  service,
  version,
  role: 'service',
  port,
  url: `http://127.0.0.1:${port}`,
  healthUrl: `http://127.0.0.1:${port}/health`,
  env: {},
});

// A process that runs until it is signalled, standing in for a service.
const specOf = (p: PlannedProcess) => ({
  label: labelOf(p),
  command: process.execPath,
  args: ['-e', 'setInterval(() => {}, 1000)'],
  env: {},
});

let supervisor: Supervisor;
afterEach(() => supervisor?.stop(2000));

describe('the process table, reconciled against the supervisor', () => {
  it('starts what is desired and not running, stops what runs and is no longer desired, and nothing twice', async () => {
    supervisor = new Supervisor({ onLog: () => {} });
    const table = new ProcessTable([planned('color', 'red', 4001), planned('client', 'v1', 4002)]);

    const first = await table.reconcile(supervisor, specOf, 2000);
    expect(first.started.map(labelOf)).toEqual(['color red', 'client v1']);
    expect(first.stopped).toEqual([]);
    expect(supervisor.has('color red') && supervisor.has('client v1')).toBe(true);

    table.want(planned('color', 'blue', 4003));
    table.unwant('color red');
    // An undesired process is out of every view at once, while it drains.
    expect(table.labels()).toEqual(['client v1', 'color blue']);
    expect(table.find('color', 'red')).toBeUndefined();
    expect(table.watched().map((w) => w.port)).toEqual([4002, 4003]);

    const second = await table.reconcile(supervisor, specOf, 2000);
    expect(second.started.map(labelOf)).toEqual(['color blue']);
    expect(second.stopped).toEqual(['color red']);
    expect(supervisor.has('color red')).toBe(false);
    expect(supervisor.has('color blue')).toBe(true);

    const third = await table.reconcile(supervisor, specOf, 2000);
    expect(third).toEqual({ started: [], stopped: [] });
    expect(table.desired().map(labelOf)).toEqual(['client v1', 'color blue']);
  });
});
