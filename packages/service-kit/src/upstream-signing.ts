import type { EnvSource, EnvVariable } from './config';

/** One upstream request as it is about to be sent: what a signature covers. */
export interface UpstreamRequest {
  readonly method: string;
  /** The upstream URL: origin, path and query exactly as sent. */
  readonly url: URL;
}

/**
 * Headers to add to one upstream request (a signature, for example). A rejection means the
 * request must not be sent: the proxy answers 502 and logs the reason.
 */
export type UpstreamHeaders = (
  request: UpstreamRequest,
) => Promise<Readonly<Record<string, string>>>;

/** Where a task's role credentials are served (the ECS container credentials endpoint). */
export interface ContainerCredentialsSource {
  readonly url: URL;
  /** Sent as the `Authorization` header. @default - no header */
  readonly authorizationToken?: string;
}

/** SigV4 signing of upstream requests to Lattice services, as the `vpc-lattice` flavor asks for it. */
export interface UpstreamSigning {
  /** The SigV4 service name, `vpc-lattice-svcs` for VPC Lattice. */
  readonly service: string;
  readonly region: string;
  readonly credentials: ContainerCredentialsSource;
}

// ECS serves task role credentials here; the relative URI is a path on it.
const ECS_CREDENTIALS_HOST = 'http://169.254.170.2';
// Plain http is allowed only to these hosts (the SDKs' rule): loopback, ECS and EKS agents.
const PLAIN_HTTP_HOSTS = new Set([
  'localhost',
  '[::1]',
  '169.254.170.2',
  '169.254.170.23',
  '[fd00:ec2::23]',
]);
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*$/;
// Visible ASCII and spaces: a token must not be able to end the header line.
const HEADER_VALUE = /^[\x20-\x7e]+$/;

function isAllowedCredentialsUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return PLAIN_HTTP_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/** Where the credentials come from: the relative URI first, as the AWS SDKs do. */
function credentialsUrlOf(source: EnvSource): URL | undefined {
  const relative = source.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?.trim();
  if (relative) return new URL(relative, ECS_CREDENTIALS_HOST);
  const full = source.AWS_CONTAINER_CREDENTIALS_FULL_URI?.trim() ?? '';
  return URL.canParse(full) ? new URL(full) : undefined;
}

/** What signing needs besides the service name, each problem naming its variable and fix. */
function signingProblems(source: EnvSource): string[] {
  const problems: string[] = [];
  const region = source.AWS_REGION?.trim() ?? '';
  if (!REGION.test(region)) {
    problems.push(
      `AWS_REGION=${JSON.stringify(region)} is invalid: UPSTREAM_SIGV4_SERVICE needs the region to sign for, such as us-east-1`,
    );
  }
  const relative = source.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?.trim();
  const full = source.AWS_CONTAINER_CREDENTIALS_FULL_URI?.trim();
  if (relative && !relative.startsWith('/')) {
    problems.push(
      `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=${JSON.stringify(relative)} is invalid: expected a path starting with /, as ECS sets it`,
    );
  } else if (!relative && !full) {
    problems.push(
      'UPSTREAM_SIGV4_SERVICE needs credentials: give the task a role (ECS then sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) or set AWS_CONTAINER_CREDENTIALS_FULL_URI',
    );
  } else if (!relative) {
    const url = credentialsUrlOf(source);
    if (!url || !isAllowedCredentialsUrl(url)) {
      problems.push(
        `AWS_CONTAINER_CREDENTIALS_FULL_URI=${JSON.stringify(full)} is invalid: expected an https URL, or http to loopback, 169.254.170.2 or 169.254.170.23`,
      );
    }
  }
  const token = source.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  if (token !== undefined && token !== '' && !HEADER_VALUE.test(token)) {
    problems.push(
      'AWS_CONTAINER_AUTHORIZATION_TOKEN is invalid: expected printable ASCII on one line',
    );
  }
  return problems;
}

/**
 * `UPSTREAM_SIGV4_SERVICE`: when set, upstream requests to VPC Lattice services of `AWS_REGION`
 * are signed with SigV4 for that service with the container's role credentials; requests to any
 * other host never are. Unset: nothing is signed.
 */
export function upstreamSigningSettings() {
  const variable: EnvVariable<UpstreamSigning | null> = {
    expected: 'a SigV4 service name such as vpc-lattice-svcs',
    fallback: null,
    parse: (raw, source) => {
      const service = raw.trim();
      if (!SERVICE_NAME.test(service)) return undefined;
      const token = source.AWS_CONTAINER_AUTHORIZATION_TOKEN;
      return {
        service,
        region: source.AWS_REGION?.trim() ?? '',
        credentials: {
          url: credentialsUrlOf(source) ?? new URL(ECS_CREDENTIALS_HOST),
          ...(token ? { authorizationToken: token } : {}),
        },
      };
    },
    requires: signingProblems,
  };
  return { UPSTREAM_SIGV4_SERVICE: variable } as const;
}

/**
 * The signer for `signing`, or undefined when signing is off. The signing code and its
 * libraries are imported only then, so an unsigned service neither loads nor bundles them eagerly.
 */
export async function startUpstreamSigning(
  signing: UpstreamSigning | null,
): Promise<UpstreamHeaders | undefined> {
  if (!signing) return undefined;
  const { createSigV4Headers } = await import('./sigv4-headers');
  return createSigV4Headers(signing);
}
