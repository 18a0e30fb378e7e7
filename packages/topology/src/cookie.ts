/**
 * What a cookie route matches, settled once for every renderer: the `Cookie` header holds a pair
 * `name=value` (pairs split by `;`, optional spaces around a pair), the value bare or in double
 * quotes as RFC 6265 allows; any pair of that name counts.
 */
import type { VersionRoute } from './types';

export type CookieCondition = NonNullable<VersionRoute['whenCookie']>;

/** True when `cookieHeader` holds the route's pair: the reference every renderer agrees with. */
export function cookieRouteMatches(cookieHeader: string, cookie: CookieCondition): boolean {
  return cookieHeader.split(';').some((part) => {
    const pair = part.trim();
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== cookie.name) return false;
    const value = pair.slice(eq + 1);
    return value === cookie.equals || value === `"${cookie.equals}"`;
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The same condition as a regular expression over the whole header (for App Mesh's header match). */
export function cookieRouteRegex(cookie: CookieCondition): string {
  const name = escapeRegex(cookie.name);
  const value = escapeRegex(cookie.equals);
  return `^(.*;)?[ \\t]*${name}=(${value}|"${value}")[ \\t]*(;.*)?$`;
}

/**
 * Substrings of which the header must hold one, for a proxy that can only test "contains" (VPC
 * Lattice). It matches every header the route matches, and also headers where the pair's name
 * only ends with the route's name (`my-color-version=blue`) or its value only starts with the
 * route's value (`color-version=bluegreen`): it cannot check where a pair begins and ends.
 */
export function cookieRouteSubstrings(cookie: CookieCondition): string[] {
  return [`${cookie.name}=${cookie.equals}`, `${cookie.name}="${cookie.equals}"`];
}
