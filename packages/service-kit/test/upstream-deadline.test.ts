import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamCallCut, upstreamCallSignal } from '../src/upstream-deadline';

type Signal = EventEmitter & { aborted: boolean; reason: unknown };

/** Just what the signal reads of a response: its `close` event and whether it finished. */
function fakeResponse(): ServerResponse & { finish(finished: boolean): void } {
  const response = new EventEmitter() as ServerResponse & { finish(finished: boolean): void };
  response.finish = (finished) => {
    Object.defineProperty(response, 'writableFinished', { value: finished });
    response.emit('close');
  };
  return response;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('upstreamCallSignal', () => {
  it('aborts once at the deadline, with the deadline as the reason', () => {
    vi.useFakeTimers();
    const done = vi.fn();
    const signal = upstreamCallSignal(fakeResponse(), 300, done) as Signal;
    const aborts = vi.fn();
    signal.on('abort', aborts);
    vi.advanceTimersByTime(299);
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(UpstreamCallCut);
    expect((signal.reason as UpstreamCallCut).code).toBe('UPSTREAM_DEADLINE');
    expect((signal.reason as UpstreamCallCut).message).toBe(
      'the upstream call passed its deadline',
    );
    expect((signal.reason as UpstreamCallCut).name).toBe('UpstreamCallCut');
    expect(aborts).toHaveBeenCalledTimes(1);
    expect(done).not.toHaveBeenCalled();
  });

  it('aborts when the response closes unfinished (the client left), and keeps the first reason', () => {
    vi.useFakeTimers();
    const response = fakeResponse();
    const done = vi.fn();
    const signal = upstreamCallSignal(response, 300, done) as Signal;
    const aborts = vi.fn();
    signal.on('abort', aborts);
    response.finish(false);
    expect(done).toHaveBeenCalledTimes(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as UpstreamCallCut).code).toBe('CLIENT_GONE');
    expect((signal.reason as UpstreamCallCut).message).toBe('the client closed its connection');
    // The deadline timer is cleared: no second abort, the reason stays.
    vi.advanceTimersByTime(1000);
    expect(aborts).toHaveBeenCalledTimes(1);
    expect((signal.reason as UpstreamCallCut).code).toBe('CLIENT_GONE');
  });

  it('neither aborts nor keeps its timer when the response finishes first', () => {
    vi.useFakeTimers();
    const response = fakeResponse();
    const done = vi.fn();
    const signal = upstreamCallSignal(response, 300, done) as Signal;
    response.finish(true);
    expect(done).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
  });

  it('does not abort twice when the client leaves after the deadline', () => {
    vi.useFakeTimers();
    const response = fakeResponse();
    const signal = upstreamCallSignal(response, 10, () => {}) as Signal;
    const aborts = vi.fn();
    signal.on('abort', aborts);
    vi.advanceTimersByTime(10);
    response.finish(false);
    expect(aborts).toHaveBeenCalledTimes(1);
    expect((signal.reason as UpstreamCallCut).code).toBe('UPSTREAM_DEADLINE');
  });
});
