/** A request that tries to make a proxy reach a host other than its upstream. */
export interface OpenProxyAttempt {
  readonly name: string;
  /** The raw HTTP/1.1 request, ending with Connection: close. */
  readonly request: string;
}

/**
 * Every way we know to steer a path-prefix proxy at `target` (a sentinel server that must never
 * see a request): scheme-relative and embedded URLs, dot segments plain and encoded, userinfo,
 * backslashes, absolute-form and authority-form targets, spoofed Host and X-Forwarded-Host.
 */
export function openProxyAttempts(prefix: string, target: URL): readonly OpenProxyAttempt[] {
  const host = target.host;
  const get = (path: string, extraHeaders = '') =>
    `GET ${path} HTTP/1.1\r\nHost: proxy.test\r\n${extraHeaders}Connection: close\r\n\r\n`;
  return [
    { name: 'scheme-relative path //host', request: get(`${prefix}//${host}/x`) },
    { name: 'embedded URL /http://host', request: get(`${prefix}/http://${host}/x`) },
    { name: 'encoded slashes /%2F%2Fhost', request: get(`${prefix}/%2F%2F${host}/x`) },
    { name: 'dot segments /../', request: get(`${prefix}/../../${host}/x`) },
    { name: 'encoded dot segments ..%2F', request: get(`${prefix}/..%2F..%2F${host}/x`) },
    { name: 'percent-encoded dots %2e%2e/', request: get(`${prefix}/%2e%2e/%2e%2e/${host}/x`) },
    { name: 'userinfo /@host', request: get(`${prefix}/@${host}/x`) },
    { name: 'userinfo right after the prefix', request: get(`${prefix}@${host}/x`) },
    { name: 'backslashes /\\\\host', request: get(`${prefix}/\\\\${host}/x`) },
    { name: 'encoded backslashes /%5C%5Chost', request: get(`${prefix}/%5C%5C${host}/x`) },
    { name: 'absolute-form target', request: get(`http://${host}${prefix}/x`) },
    { name: 'absolute-form target with a path only', request: get(`http://${host}/x`) },
    {
      name: 'authority-form CONNECT',
      request: `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'spoofed Host',
      request: `GET ${prefix}/x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'spoofed X-Forwarded-Host',
      request: get(`${prefix}/x`, `X-Forwarded-Host: ${host}\r\n`),
    },
    { name: 'spoofed Forwarded', request: get(`${prefix}/x`, `Forwarded: host=${host}\r\n`) },
  ];
}
