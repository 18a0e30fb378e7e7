import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { CredentialsCacheOptions, RoleCredentials } from './container-credentials';
import { cachedCredentials, containerCredentialsFetcher } from './container-credentials';
import type { UpstreamHeaders, UpstreamRequest, UpstreamSigning } from './upstream-signing';

// VPC Lattice does not sign payloads: it requires x-amz-content-sha256: UNSIGNED-PAYLOAD (VPC Lattice User Guide, "SIGv4 authenticated requests").
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
// What a signature adds to a request; everything else is sent as it was.
const SIGNATURE_HEADERS = [
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
] as const;

class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The query as the signer takes it, repeated keys as lists. Decoded as SigV4 reads a query
 * (`+` stays a plus), not as a form would (URLSearchParams turns `+` into a space).
 */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const pair of url.search.slice(1).split('&').filter(Boolean)) {
    const equals = pair.indexOf('=');
    const key = decoded(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decoded(pair.slice(equals + 1));
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

export interface SigV4HeadersOptions extends CredentialsCacheOptions {
  /** @default - the container credentials endpoint of `signing` */
  readonly credentials?: () => Promise<RoleCredentials>;
  /**
   * Which upstream hosts get a signature; the others get nothing, so the task's session token
   * never leaves for a host that is not Lattice. A test seam: no environment variable reaches it.
   * @default - VPC Lattice service names of the signing Region only (`isLatticeServiceHost`)
   */
  readonly signsHost?: (hostname: string) => boolean;
}

/**
 * True for a name VPC Lattice generates for a service in `region`:
 * `<service name>-<service id>.<partition id>.vpc-lattice-svcs.<region>.on.aws`
 * (VPC Lattice User Guide, "Custom domain names for VPC Lattice services").
 */
export function isLatticeServiceHost(hostname: string, region: string): boolean {
  const suffix = `.vpc-lattice-svcs.${region.toLowerCase()}.on.aws`;
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith(suffix)) return false;
  return /^[a-z0-9-]+\.[a-z0-9-]+$/.test(name.slice(0, -suffix.length));
}

const NOTHING: Readonly<Record<string, string>> = Object.freeze({});

type Signed = Promise<Readonly<Record<string, string>>>;

// Distinct requests remembered within one second; beyond this many, the rest are signed each time.
const MAX_REMEMBERED = 256;

/**
 * A SigV4 signature only changes with the request and the second it is dated: within one second,
 * the same method and URL get the same headers, so each is signed once per second, not per request.
 */
function oncePerSecond(
  sign: (request: UpstreamRequest, date: Date) => Signed,
  now: () => number,
): UpstreamHeaders {
  let second = -1;
  let remembered = new Map<string, Signed>();
  return (request) => {
    const current = Math.floor(now() / 1000);
    if (current !== second) {
      second = current;
      remembered = new Map();
    }
    const key = `${request.method} ${request.url.href}`;
    let signed = remembered.get(key);
    if (!signed) {
      signed = sign(request, new Date(current * 1000));
      if (remembered.size < MAX_REMEMBERED) {
        const cache = remembered;
        cache.set(key, signed);
        // A failure is not remembered: the next request tries again.
        signed.catch(() => cache.delete(key));
      }
    }
    return signed;
  };
}

/**
 * Signs each upstream request to a VPC Lattice service with SigV4 (AWS's own signer): the method,
 * the host, the path and the query are covered; the payload is not. A request to any other host
 * is sent unsigned, whatever the environment asked for. Only `host` of the request's headers is
 * signed, so headers that proxies or the mesh may rewrite cannot break the signature.
 */
export function createSigV4Headers(
  signing: UpstreamSigning,
  options: SigV4HeadersOptions = {},
): UpstreamHeaders {
  const credentials = cachedCredentials(
    options.credentials ?? containerCredentialsFetcher(signing.credentials),
    options,
  );
  const signer = new SignatureV4({
    service: signing.service,
    region: signing.region,
    credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const sign = async ({ method, url }: UpstreamRequest, signingDate: Date) => {
    const signed = await signer.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: queryOf(url),
        headers: { host: url.host, 'x-amz-content-sha256': UNSIGNED_PAYLOAD },
      },
      { signingDate },
    );
    const headers: Record<string, string> = {};
    for (const name of SIGNATURE_HEADERS) {
      const value = signed.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    return headers;
  };
  const signed = oncePerSecond(sign, options.now ?? Date.now);
  const signsHost =
    options.signsHost ?? ((hostname: string) => isLatticeServiceHost(hostname, signing.region));
  return (request) =>
    signsHost(request.url.hostname) ? signed(request) : Promise.resolve(NOTHING);
}
