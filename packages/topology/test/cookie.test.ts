import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookieRouteMatches, cookieRouteRegex, cookieRouteSubstrings } from '../src';

const ROUTE = { name: 'color-version', equals: 'blue' };

/** Cookie headers built from the pieces that make the cases differ: names, values, quotes, spaces. */
const cookieHeaders = fc
  .array(
    fc.record({
      space: fc.constantFrom('', ' ', '  '),
      name: fc.constantFrom('color-version', 'xcolor-version', 'color', 'a'),
      value: fc.constantFrom('blue', '"blue"', 'bluegreen', 'red', '', 'color-version=blue'),
      trailing: fc.constantFrom('', ' '),
    }),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map((p) => `${p.space}${p.name}=${p.value}${p.trailing}`).join(';'));

describe('cookieRouteMatches (the meaning of a cookie route)', () => {
  it('matches the pair anywhere in the header, bare or quoted, with spaces around pairs', () => {
    for (const header of [
      'color-version=blue',
      'theme=dark; color-version=blue',
      ' a=1;color-version="blue" ; b=2',
      'color-version=red; color-version=blue',
    ]) {
      expect(cookieRouteMatches(header, ROUTE), header).toBe(true);
    }
  });

  it('does not read a pair without "=" as a name and value', () => {
    // Read without its "=", "abc" would be the name "ab" (all but the last character) holding "abc".
    expect(cookieRouteMatches('abc', { name: 'ab', equals: 'abc' })).toBe(false);
  });

  it('fails to match another name, another value, or spaces around "="', () => {
    for (const header of [
      'color-version=bluegreen',
      'xcolor-version=blue',
      'a=color-version=blue',
      'color-version = blue',
      'color-version="blue',
      '',
    ]) {
      expect(cookieRouteMatches(header, ROUTE), header).toBe(false);
    }
  });
});

describe("App Mesh's regex (cookieRouteRegex)", () => {
  it('agrees with cookieRouteMatches on every header', () => {
    const regex = new RegExp(cookieRouteRegex(ROUTE));
    fc.assert(
      fc.property(cookieHeaders, (header) => {
        expect(regex.test(header), header).toBe(cookieRouteMatches(header, ROUTE));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes regex characters in the name and value', () => {
    const regex = new RegExp(cookieRouteRegex({ name: 'a.b', equals: '1+1' }));
    expect(regex.test('a.b=1+1')).toBe(true);
    expect(regex.test('axb=1+1')).toBe(false);
    expect(regex.test('a.b=11')).toBe(false);
  });
});

describe("VPC Lattice's contains match (cookieRouteSubstrings)", () => {
  const lattice = (header: string) =>
    cookieRouteSubstrings(ROUTE).some((part) => header.includes(part));

  it('matches every header the route matches (no request the route takes is missed)', () => {
    fc.assert(
      fc.property(cookieHeaders, (header) => {
        if (cookieRouteMatches(header, ROUTE)) expect(lattice(header), header).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('also matches exactly where a pair only ends with the name or only starts with the value', () => {
    for (const header of [
      'xcolor-version=blue',
      'color-version=bluegreen',
      'a=color-version=blue',
    ]) {
      expect(cookieRouteMatches(header, ROUTE), header).toBe(false);
      expect(lattice(header), header).toBe(true);
    }
    fc.assert(
      fc.property(cookieHeaders, (header) => {
        if (lattice(header) && !cookieRouteMatches(header, ROUTE)) {
          // The substring sits inside a longer pair: a character of the pair precedes or follows it.
          const unbounded = cookieRouteSubstrings(ROUTE).some((part) =>
            new RegExp(`[^; ]${escape(part)}|${escape(part)}[^; ]`).test(header),
          );
          expect(unbounded, header).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
