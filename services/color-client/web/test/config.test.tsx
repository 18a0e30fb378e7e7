import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLL_MS, readPageConfig } from '../src/config';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('page config from the query string', () => {
  it('polls every 5 s by default', () => {
    expect(readPageConfig('').pollMs).toBe(DEFAULT_POLL_MS);
    expect(DEFAULT_POLL_MS).toBe(5_000);
  });

  it('takes the interval from ?pollMs=', () => {
    expect(readPageConfig('?pollMs=500').pollMs).toBe(500);
  });

  it.each(['abc', '0', '-5', '99', '1.5', '', '3600001'])(
    'fails back to the default with a warning naming the value when pollMs=%j',
    (raw) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

      expect(readPageConfig(`?pollMs=${raw}`).pollMs).toBe(DEFAULT_POLL_MS);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`pollMs=${JSON.stringify(raw)}`));
    },
  );
});
