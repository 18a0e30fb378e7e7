/** Why a request target cannot be forwarded; answered with 400. */
export class UnsafeTargetError extends Error {
  readonly statusCode = 400;
}

function decodedSegments(path: string): string[] {
  return path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new UnsafeTargetError(`Malformed percent-encoding in ${JSON.stringify(path)}`);
    }
  });
}

/**
 * The path after `prefix` of an origin-form request target (`/a/b?q`), query left out.
 * Absolute-form (`http://host/a`) and authority-form (`host:443`) targets are refused.
 */
export function pathAfterPrefix(requestTarget: string, prefix: string): string {
  if (!requestTarget.startsWith('/') || !requestTarget.startsWith(prefix)) {
    throw new UnsafeTargetError(
      'Only origin-form request targets (a path starting with /) are proxied',
    );
  }
  const query = requestTarget.indexOf('?');
  const path = query === -1 ? requestTarget : requestTarget.slice(0, query);
  return path.slice(prefix.length) || '/';
}

const PLAIN_PATH = /^(?:\/[\w-]+)+$|^\/$/;
const bases = new WeakMap<URL, string>();

/** The upstream's base path without trailing slashes ('' for the root), remembered per URL. */
function baseOf(upstream: URL): string {
  let base = bases.get(upstream);
  if (base === undefined) {
    base = upstream.pathname.replace(/\/+$/, '');
    bases.set(upstream, base);
  }
  return base;
}

/**
 * The path to request on `upstream` for a request whose path (prefix already removed) is `path`.
 * The result is always a path on the upstream itself: the host is never taken from the request.
 * Dot segments (also percent-encoded, also hidden behind an encoded slash) are refused, so that a
 * request cannot climb out of the upstream's base path either.
 */
export function upstreamPath(upstream: URL, path: string): string {
  // The common case (letters, digits, -, _ and slashes only) cannot climb, leave or be
  // re-encoded, so the full check below (a URL parse per request) is not needed for it.
  if (PLAIN_PATH.test(path)) return baseOf(upstream) + path;
  if (!path.startsWith('/'))
    throw new UnsafeTargetError('The request target must be a path starting with /');
  for (const segment of decodedSegments(path)) {
    if (segment.split(/[/\\]/).some((part) => part === '.' || part === '..')) {
      throw new UnsafeTargetError('Dot segments (. or ..) are not allowed in proxied paths');
    }
  }
  const base = baseOf(upstream);
  // The URL setter keeps the upstream's origin whatever the path holds (`//host`, `\\host`, `@host`).
  const target = new URL(upstream.origin);
  target.pathname = base + path;
  if (target.origin !== upstream.origin)
    throw new UnsafeTargetError('The request target leaves the upstream');
  return target.pathname;
}
