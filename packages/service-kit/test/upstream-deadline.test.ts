import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamCallCut, boundUpstreamCall } from '../src/upstream-deadline';

/** Just what the deadline reads of an exchange: when it closes, and whether it finished. */
function fakeExchange() {
  let closed = () => {};
  const response = { writableFinished: false };
  return {
    response,
    whenClosed: (callback: () => void) => (closed = callback),
    close(finished: boolean) {
      response.writableFinished = finished;
      closed();
    },
  };
}

function recordingCall() {
  const cuts: UpstreamCallCut[] = [];
  return { cuts, cut: (reason: UpstreamCallCut) => void cuts.push(reason) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('boundUpstreamCall', () => {
  it('cuts the call at the deadline, with the deadline as the reason', () => {
    vi.useFakeTimers();
    const call = recordingCall();
    const done = vi.fn();
    boundUpstreamCall(fakeExchange(), call, 300, done);
    vi.advanceTimersByTime(299);
    expect(call.cuts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(call.cuts).toHaveLength(1);
    const [reason] = call.cuts;
    expect(reason).toBeInstanceOf(UpstreamCallCut);
    expect(reason!.code).toBe('UPSTREAM_DEADLINE');
    expect(reason!.message).toBe('the upstream call passed its deadline');
    expect(reason!.name).toBe('UpstreamCallCut');
    expect(done).not.toHaveBeenCalled();
  });

  it('cuts the call when the response closes unfinished (the client left), and clears the deadline', () => {
    vi.useFakeTimers();
    const exchange = fakeExchange();
    const call = recordingCall();
    const done = vi.fn();
    boundUpstreamCall(exchange, call, 300, done);
    exchange.close(false);
    expect(done).toHaveBeenCalledTimes(1);
    expect(call.cuts.map((cut) => cut.code)).toEqual(['CLIENT_GONE']);
    expect(call.cuts[0]!.message).toBe('the client closed its connection');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('neither cuts nor keeps its timer when the response finishes first', () => {
    vi.useFakeTimers();
    const exchange = fakeExchange();
    const call = recordingCall();
    const done = vi.fn();
    boundUpstreamCall(exchange, call, 300, done);
    exchange.close(true);
    expect(done).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(call.cuts).toEqual([]);
  });
});
