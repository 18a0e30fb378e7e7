import { describe, expect, it, vi } from 'vitest';
import { keyOf, synthesizedOnce } from './support/synthesized';

// Each test uses inputs of its own: the memo lives as long as the worker.
describe('synthesizedOnce', () => {
  it('renders the same inputs once and hands every caller that result', () => {
    const render = vi.fn(() => ({ template: 'rendered' }));
    const first = synthesizedOnce({ topology: 'once', flavor: 'a' }, render);
    const second = synthesizedOnce({ topology: 'once', flavor: 'a' }, render);
    expect(second).toBe(first);
    expect(render).toHaveBeenCalledTimes(1);
    expect(synthesizedOnce({ topology: 'once', flavor: 'b' }, render)).not.toBe(first);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('renders afresh when the inputs hold a function or a construct, which JSON cannot tell apart', () => {
    expect(keyOf({ image: () => 'a' })).toBeUndefined();
    expect(keyOf({ vpc: { node: {} } })).toBeUndefined();
    const render = vi.fn(() => ({}));
    synthesizedOnce({ image: () => 'a' }, render);
    synthesizedOnce({ image: () => 'a' }, render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('keeps no failure: each caller sees the error, and a later call renders again', async () => {
    const throwing = vi.fn((): never => {
      throw new Error('invalid topology');
    });
    expect(() => synthesizedOnce({ failing: 'sync' }, throwing)).toThrow('invalid topology');
    expect(() => synthesizedOnce({ failing: 'sync' }, throwing)).toThrow('invalid topology');
    expect(throwing).toHaveBeenCalledTimes(2);

    const rejecting = vi.fn(() => Promise.reject(new Error('no flavor')));
    await expect(synthesizedOnce({ failing: 'async' }, rejecting)).rejects.toThrow('no flavor');
    await expect(synthesizedOnce({ failing: 'async' }, rejecting)).rejects.toThrow('no flavor');
    expect(rejecting).toHaveBeenCalledTimes(2);
  });
});
