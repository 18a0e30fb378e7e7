import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathAfterPrefix, UnsafeTargetError, upstreamPath } from '../src/upstream-url';

const upstream = new URL('http://127.0.0.1:3000/base');

describe('pathAfterPrefix', () => {
  it('removes the prefix and the query', () => {
    expect(pathAfterPrefix('/gateway/color/color?x=1', '/gateway/color')).toBe('/color');
    expect(pathAfterPrefix('/gateway/color', '/gateway/color')).toBe('/');
    expect(pathAfterPrefix('/any', '')).toBe('/any');
  });

  it('fails when the request target is not a path', () => {
    expect(() => pathAfterPrefix('http://evil/x', '')).toThrow(UnsafeTargetError);
    expect(() => pathAfterPrefix('evil:443', '')).toThrow(UnsafeTargetError);
  });
});

describe('upstreamPath', () => {
  it("appends the path to the upstream's base path", () => {
    expect(upstreamPath(upstream, '/color')).toBe('/base/color');
    expect(upstreamPath(new URL('http://h:1'), '//evil:80/x')).toBe('//evil:80/x');
  });

  it('fails when the path holds dot segments, plain, encoded or behind an encoded slash', () => {
    for (const path of [
      '/../x',
      '/a/./b',
      '/%2e%2e/x',
      '/..%2Fx',
      '/a%2F..%2F..',
      '/..\\x',
      '/..',
    ]) {
      expect(() => upstreamPath(upstream, path), path).toThrow(UnsafeTargetError);
    }
  });

  it('fails when the percent-encoding is malformed', () => {
    expect(() => upstreamPath(upstream, '/%E0%A4%A')).toThrow(UnsafeTargetError);
  });

  it('never leaves the upstream, whatever the path (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (tail) => {
        try {
          const path = upstreamPath(upstream, `/${tail}`);
          const resolved = new URL(path, upstream.origin);
          expect(resolved.origin).toBe(upstream.origin);
          expect(resolved.pathname.startsWith('/base/')).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UnsafeTargetError);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
