import { describe, expect, it } from 'vitest';
import { readRequestLine, requestOfLine } from '../src/view/request-line';

/** What the view counts of a line whose process it reads itself. */
const countedRequestOfLine = (text: string) => readRequestLine(text, () => true)?.counted;
import { RequestStats } from '../src/view/request-stats';
import { SpanWindow } from '../src/view/span-window';

const line = (label: string, status: number, durationMs: number) =>
  `[${label}] {"level":30,"msg":"request","method":"GET","path":"/color","status":${status},"durationMs":${durationMs},"traceId":"abc"}`;

describe('request log lines', () => {
  it('reads the label, status, duration and trace id of a request line', () => {
    expect(requestOfLine(line('color red', 503, 4.5))).toEqual({
      label: 'color red',
      path: '/color',
      status: 503,
      durationMs: 4.5,
      traceId: 'abc',
    });
  });

  it('ignores every other line, parsed or not', () => {
    expect(requestOfLine('[color red] {"level":30,"msg":"draining"}')).toBeUndefined();
    expect(requestOfLine('[local-mesh] color red exited; "msg":"request"')).toBeUndefined();
    expect(requestOfLine('plain "msg":"request" text')).toBeUndefined();
  });
});

describe('request lines read without a JSON parse', () => {
  it('reads the label, status and duration as the parse does', () => {
    expect(countedRequestOfLine(line('color red', 503, 4.5))).toEqual({
      label: 'color red',
      status: 503,
      durationMs: 4.5,
    });
    expect(countedRequestOfLine(line('a', 200, 1e-7))).toMatchObject({ durationMs: 1e-7 });
  });

  it('takes the request’s own keys, never one inside a string or an error after them', () => {
    const tricky = JSON.stringify({
      msg: 'request',
      path: '/x","status":999,"durationMs":9',
      status: 201,
      durationMs: 2,
      err: { status: 500 },
    });
    expect(countedRequestOfLine(`[a] ${tricky}`)).toEqual({
      label: 'a',
      status: 201,
      durationMs: 2,
    });
  });

  it("names a request line's process without reading further, and no other line's", () => {
    const unread = () => false;
    expect(readRequestLine(line('color red', 503, 4.5), unread)?.label).toBe('color red');
    expect(readRequestLine(line('color red', 503, 4.5), unread)?.counted).toBeUndefined();
    expect(readRequestLine('[color red] {"level":30,"msg":"draining"}', unread)).toBeUndefined();
    expect(readRequestLine('plain "msg":"request" text', unread)).toBeUndefined();
  });

  it('ignores every other line', () => {
    expect(countedRequestOfLine('[color red] {"level":30,"msg":"draining"}')).toBeUndefined();
    expect(countedRequestOfLine('[local-mesh] color red exited; "msg":"request"')).toBeUndefined();
    expect(countedRequestOfLine('plain "msg":"request" text')).toBeUndefined();
    expect(countedRequestOfLine('[a] {"msg":"request","status":200}')).toBeUndefined();
    expect(
      countedRequestOfLine('[a] {"msg":"request","status":"x","durationMs":1}'),
    ).toBeUndefined();
  });
});

describe('request figures', () => {
  it('gives rps, error rate and percentiles over the window, and forgets older requests', () => {
    let now = 0;
    const stats = new RequestStats(10_000, 4096, () => now);
    for (let i = 1; i <= 100; i++) stats.add(requestOfLine(line('a', i <= 5 ? 500 : 200, i))!);
    expect(stats.figures('a')).toEqual({
      total: 100,
      rps: 10,
      errorRate: 0.05,
      p50Ms: 50,
      p99Ms: 99,
      inWindow: 100,
    });
    now = 10_001;
    expect(stats.figures('a')).toMatchObject({ total: 100, rps: 0, inWindow: 0 });
  });

  it('keeps at most maxSamples per process', () => {
    const stats = new RequestStats(10_000, 8, () => 0);
    for (let i = 0; i < 100; i++) stats.add(requestOfLine(line('a', 200, i))!);
    expect(stats.figures('a')).toMatchObject({ total: 100, inWindow: 8, p50Ms: 95 });
  });
});

const otlp = (traceId: string, spanId: string, service = 'color') => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId,
              spanId,
              name: 'GET /color',
              startTimeUnixNano: '2000000',
              endTimeUnixNano: '5000000',
              status: { code: 2 },
            },
          ],
        },
      ],
    },
  ],
});

describe('the span window', () => {
  it('keeps the spans of a trace from OTLP JSON, with their process and timing', () => {
    const window = new SpanWindow();
    expect(window.ingest(otlp('t1', 's1', 'client'))).toBe(1);
    expect(window.trace('t1')).toEqual([
      {
        process: 'client',
        name: 'GET /color',
        spanId: 's1',
        startMs: 2,
        durationMs: 3,
        failed: true,
      },
    ]);
  });

  it('drops the oldest trace beyond maxTraces and spans beyond maxSpansPerTrace', () => {
    const window = new SpanWindow(2, 2);
    window.ingest(otlp('t1', 'a'));
    window.ingest(otlp('t2', 'a'));
    window.ingest(otlp('t3', 'a'));
    expect(window.trace('t1')).toEqual([]);
    expect(window.ingest(otlp('t3', 'b'))).toBe(1);
    expect(window.ingest(otlp('t3', 'c'))).toBe(0);
    expect(window.trace('t3')).toHaveLength(2);
  });
});
