import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLineWriter, type RequestLine } from '../src/request-line';

/** The line pino itself writes for `log.info(line, 'request')`, as the app's routes log it. */
function pinoLine(service: string, line: RequestLine): string {
  let written = '';
  const log = pino({ base: { service } }, { write: (text: string) => (written = text) });
  log.info(line, 'request');
  return written;
}

function ourLine(service: string, line: RequestLine): string {
  let written = '';
  requestLineWriter(service, (text) => (written = text))(line);
  return written;
}

/** The line with its time taken out: the two are written a moment apart. */
const timeless = (text: string) => text.replace(/"time":\d+/, '"time":0');

describe('requestLineWriter', () => {
  it('writes the same line as pino, byte for byte but the time', () => {
    const lines: RequestLine[] = [
      {
        requestId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
        method: 'GET',
        path: '/gateway/color/color',
        status: 200,
        durationMs: 1.3,
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
      {
        requestId: 'from-the-caller.1',
        method: 'POST',
        path: '/odd "path"\\with\u0001controls/é',
        status: 502,
        durationMs: 5000,
        traceId: undefined,
      },
    ];
    for (const line of lines) {
      for (const service of ['color-client', 'a "quoted" name']) {
        expect(timeless(ourLine(service, line))).toBe(timeless(pinoLine(service, line)));
      }
    }
  });

  it('stamps the time it writes', () => {
    const before = Date.now();
    const text = ourLine('s', {
      requestId: 'r',
      method: 'GET',
      path: '/',
      status: 200,
      durationMs: 0,
      traceId: undefined,
    });
    const { time } = JSON.parse(text) as { time: number };
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});
