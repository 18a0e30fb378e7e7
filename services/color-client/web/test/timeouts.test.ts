import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '@color-teller/topology';
import { readPageConfig } from '../src/config';

describe('the page’s request timeout', () => {
  it('waits past the gateway’s per-request deadline, so the gateway’s 504 is what it shows', () => {
    expect(readPageConfig('').requestTimeoutMs).toBeGreaterThan(DEFAULT_TIMEOUTS.perRequestMs);
  });
});
