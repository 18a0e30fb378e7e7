import { describe, expect, it } from 'vitest';
import { withServiceChanged } from '../src/edit';
import { findService } from '../src/graph';
import { callerTimeoutEnv, DEFAULT_TIMEOUTS, timeoutsOf } from '../src/timeouts';
import { validTopology } from './fixtures/valid';

describe('timeouts', () => {
  it('fills a service’s missing timeouts with the one set of defaults', () => {
    const topology = withServiceChanged(validTopology(), 'color', (s) => ({
      ...s,
      timeouts: { perRequestMs: 1500 },
    }));
    expect(timeoutsOf(findService(topology, 'color'))).toEqual({
      connectMs: DEFAULT_TIMEOUTS.connectMs,
      perRequestMs: 1500,
      idleMs: DEFAULT_TIMEOUTS.idleMs,
    });
  });

  it('gives a calling service the timeouts of the backend it calls', () => {
    const topology = withServiceChanged(validTopology(), 'color', (s) => ({
      ...s,
      timeouts: { connectMs: 300, perRequestMs: 1500 },
    }));
    expect(callerTimeoutEnv(topology, findService(topology, 'client'))).toEqual({
      UPSTREAM_CONNECT_TIMEOUT_MS: '300',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '1500',
    });
  });

  it('gives the defaults to a caller of a backend without timeouts, and nothing to a service without backends', () => {
    const topology = validTopology();
    expect(callerTimeoutEnv(topology, findService(topology, 'client'))).toEqual({
      UPSTREAM_CONNECT_TIMEOUT_MS: String(DEFAULT_TIMEOUTS.connectMs),
      UPSTREAM_RESPONSE_TIMEOUT_MS: String(DEFAULT_TIMEOUTS.perRequestMs),
    });
    expect(callerTimeoutEnv(topology, findService(topology, 'color'))).toEqual({});
  });

  it('gives a caller of several backends the longest of each timeout, whichever backend sets it', () => {
    const base = validTopology();
    const color = findService(base, 'color');
    const topology = {
      ...base,
      services: base.services.flatMap((s) =>
        s.name === 'client'
          ? [{ ...s, backends: [{ service: 'color' }, { service: 'shade' }] }]
          : s.name === 'color'
            ? [
                { ...color, timeouts: { connectMs: 300, perRequestMs: 9000 } },
                { ...color, name: 'shade', timeouts: { connectMs: 700, perRequestMs: 2000 } },
              ]
            : [s],
      ),
    };
    expect(callerTimeoutEnv(topology, findService(topology, 'client'))).toEqual({
      UPSTREAM_CONNECT_TIMEOUT_MS: '700',
      UPSTREAM_RESPONSE_TIMEOUT_MS: '9000',
    });
  });
});
