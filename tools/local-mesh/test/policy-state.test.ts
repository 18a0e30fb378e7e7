import { describe, expect, it } from 'vitest';
import { withServiceChanged } from '@color-teller/topology';
import canary from '../../../examples/canary.topology';
import { InjectedFaults } from '../src/injected-faults';
import type { RouterMessage } from '../src/router/channel';
import { PolicyState } from '../src/view/policy-state';

const ejected = (version: string, forMs: number): RouterMessage => ({
  type: 'ejection',
  service: 'color',
  event: { kind: 'ejected', version, forMs },
});
const returned = (version: string): RouterMessage => ({
  type: 'ejection',
  service: 'color',
  event: { kind: 'returned', version },
});

describe('PolicyState', () => {
  it('shows an ejected version until it returns or its time is up', () => {
    let now = 0;
    const state = new PolicyState(canary, () => now);
    state.onRouterMessage(ejected('blue', 500));
    expect(state.snapshot().find((p) => p.service === 'color')!.ejected).toEqual(['blue']);
    now = 500;
    expect(state.snapshot().find((p) => p.service === 'color')!.ejected).toEqual([]);
    state.onRouterMessage(ejected('red', 500));
    state.onRouterMessage(returned('red'));
    expect(state.snapshot().find((p) => p.service === 'color')!.ejected).toEqual([]);
  });

  it('shows the retries per edge, and the last second’s retry figures while fresh', () => {
    let now = 0;
    const retried = withServiceChanged(canary, 'color', (c) => ({
      ...c,
      retries: { attempts: 2 },
    }));
    const state = new PolicyState(retried, () => now);
    state.onRouterMessage({ type: 'retries', service: 'color', retries: 4, calls: 40 });
    expect(state.snapshot().find((p) => p.service === 'color')).toMatchObject({
      edges: ['client → color'],
      retries: '2 more tries on gateway-error, reset, connect-failure',
      retriesPerSecond: 4,
      callsPerSecond: 40,
    });
    now = 3000;
    expect(state.snapshot().find((p) => p.service === 'color')).not.toHaveProperty(
      'retriesPerSecond',
    );
  });

  it('marks injected faults apart from the file’s, and offers faults only behind a router', () => {
    const injected = new InjectedFaults();
    injected.set('color', 'blue', { abort: { percent: 50, status: 503 } });
    const state = new PolicyState(canary);
    state.setTopology(injected.over(canary), injected.all());
    const color = state.snapshot().find((p) => p.service === 'color')!;
    expect(color.faults).toEqual({ blue: { abort: { percent: 50, status: 503 }, injected: true } });
    expect(color.versions).toEqual(['red', 'blue']);
    // The gateway has one version and no policy: no router, so no live fault.
    expect(state.snapshot().find((p) => p.service === 'client')!.versions).toEqual([]);
    expect(injected.clear('color', 'blue')).toBe(true);
    expect(injected.over(canary)).toBe(canary);
  });
});
