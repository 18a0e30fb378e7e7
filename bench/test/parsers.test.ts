import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../experiments/wrk';
import { firstLoadAssets } from '../src/measures/page-weight';
import { countColors } from '../src/measures/router';

const wrkOutput = `Running 3s test @ http://127.0.0.1:4000/gateway/color/color
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  30.01ms   90.00%
    Req/Sec     6.10k   400.00     7.00k    70.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.20ms
     99%  812.00us
  36500 requests in 3.00s, 7.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  12166.52
Transfer/sec:      2.37MB
`;

describe('parseWrkOutput', () => {
  it('reads requests/s, p50 and p99 in ms, socket errors and non-2xx', () => {
    expect(parseWrkOutput(wrkOutput)).toEqual({
      requestsPerSec: 12167,
      p50Ms: 3.9,
      p99Ms: 0.812,
      socketErrors: 3,
      non2xxOr3xx: 4,
    });
  });

  it('fails when the latency distribution is missing, saying to pass --latency', () => {
    expect(() => parseWrkOutput('Requests/sec: 10\n')).toThrow(/--latency/);
  });
});

describe('firstLoadAssets', () => {
  it('lists module scripts, preloads and stylesheets, not icons', () => {
    const html = `<link rel="icon" href="/favicon.svg" />
      <script type="module" crossorigin src="/assets/index-a.js"></script>
      <link rel="modulepreload" href="/assets/vendor-b.js">
      <link rel="stylesheet" crossorigin href="/assets/index-c.css">`;
    expect(firstLoadAssets(html)).toEqual([
      'assets/index-a.js',
      'assets/vendor-b.js',
      'assets/index-c.css',
    ]);
  });
});

describe('countColors', () => {
  it('counts 200 answers by color and anything else by status', () => {
    const tally = countColors();
    tally.record(200, '{"color":"red"}');
    tally.record(200, '{"color":"red"}');
    tally.record(200, '{"color":"blue"}');
    tally.record(502, '{"error":"backend_unavailable"}');
    tally.record(200, 'not json');
    expect(Object.fromEntries(tally.counts)).toEqual({
      red: 2,
      blue: 1,
      'status 502': 1,
      'unparseable body': 1,
    });
  });
});
