import { cookieRouteMatches, type VersionRoute } from '@color-teller/topology';

/** What a router needs to know about one version behind it. */
export interface RoutedVersion {
  readonly name: string;
  readonly weight: number;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Builds the router's choice: the first route whose header or cookie matches wins; otherwise a
 * weighted draw among the versions not `ejected` (outlier detection), so that an ejected
 * version's share goes to the others by their weights. A route still goes to its version: the
 * request asked for it. `random` returns [0, 1) like Math.random and is injectable for tests.
 */
export function createVersionChooser(
  versions: readonly RoutedVersion[],
  routes: readonly VersionRoute[] = [],
  random: () => number = Math.random,
): (headers: Headers, ejected?: (version: string) => boolean) => string {
  if (versions.length === 0) throw new Error('a router needs at least one version');

  const draw = (among: readonly RoutedVersion[]): string => {
    const total = among.reduce((sum, v) => sum + v.weight, 0);
    let ticket = random() * total;
    for (const version of among) {
      ticket -= version.weight;
      if (ticket < 0) return version.name;
    }
    return among[among.length - 1]!.name;
  };

  return (headers, ejected) => {
    const routed = routes.find((route) => routeMatches(route, headers))?.version;
    if (routed !== undefined) return routed;
    const serving = ejected ? versions.filter((v) => !ejected(v.name)) : versions;
    return draw(serving.length > 0 ? serving : versions);
  };
}

/** True when the request's headers satisfy the route's header or cookie condition. */
export function routeMatches(route: VersionRoute, headers: Headers): boolean {
  if (route.whenHeader) {
    const values = asList(headers[route.whenHeader.name.toLowerCase()]);
    return values.includes(route.whenHeader.equals);
  }
  if (route.whenCookie) {
    const cookie = route.whenCookie;
    return asList(headers['cookie']).some((header) => cookieRouteMatches(header, cookie));
  }
  return false;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
