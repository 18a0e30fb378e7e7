import { describe, expect, it } from 'vitest';
import { defaultTolerancePercent, parseColorShares, parseSmokeArgs } from '../src';

describe('parseSmokeArgs', () => {
  it('reads the URL and every option', () => {
    const options = parseSmokeArgs([
      'https://alb.example.com',
      '--requests',
      '200',
      '--expect-version',
      'vanilla',
      '--expect-colors',
      'red=80,blue=20',
      '--tolerance',
      '5',
      '--check-egress',
    ]);
    expect(options).toMatchObject({
      checkEgress: true,
      requests: 200,
      expectVersion: 'vanilla',
      expectColors: { red: 80, blue: 20 },
      tolerancePercent: 5,
    });
    expect(options.url.href).toBe('https://alb.example.com/');
  });

  it('fails when the URL is not an http(s) URL', () => {
    expect(() => parseSmokeArgs(['alb.example.com'])).toThrow(/"alb.example.com" is not a URL/);
    expect(() => parseSmokeArgs(['ftp://alb.example.com'])).toThrow(/not an http\(s\) URL/);
  });

  it('fails when --requests is not a positive integer', () => {
    expect(() => parseSmokeArgs(['http://x', '--requests', '0'])).toThrow(
      /--requests 0 is not a positive integer/,
    );
  });

  it('fails on an unknown option, showing the usage', () => {
    expect(() => parseSmokeArgs(['http://x', '--colour'])).toThrow(
      /unknown option --colour\nusage:/,
    );
  });

  it('fails when the expected shares do not sum to 100 or are not pairs', () => {
    expect(() => parseColorShares('red=80,blue=30')).toThrow(/sums to 110%/);
    expect(() => parseColorShares('red:80')).toThrow(/not a list of color=percent pairs/);
  });
});

describe('defaultTolerancePercent', () => {
  it('is three standard deviations of the sample, never below one request', () => {
    expect(defaultTolerancePercent(20, 100)).toBeCloseTo(12, 5);
    expect(defaultTolerancePercent(100, 50)).toBe(2);
  });
});
