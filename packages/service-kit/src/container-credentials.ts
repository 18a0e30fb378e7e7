import type { Dispatcher } from 'undici';
import type { ContainerCredentialsSource } from './upstream-signing-types';
import { createUpstreamAgent } from './upstream-client';
import { requestUpstream } from './upstream-request';

/** Role credentials as the container credentials endpoint hands them out. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** @default - never expires */
  readonly expiration?: Date;
}

/** Why credentials could not be had; the proxy answers 502 and logs this message. */
export class CredentialsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialsError';
  }
}

// The endpoint is on the same host or link-local: an answer later than this is a failure.
const FETCH_TIMEOUT_MS = 2_000;

function fieldOf(body: Record<string, unknown>, name: string, where: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw new CredentialsError(`the credentials from ${where} have no ${name}`);
  return value;
}

/** The endpoint's JSON answer (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`). */
function parseCredentials(text: string, where: string): RoleCredentials {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(`the credentials from ${where} are not JSON`, { cause: error });
  }
  if (typeof body !== 'object' || body === null)
    throw new CredentialsError(`the credentials from ${where} are not a JSON object`);
  const fields = body as Record<string, unknown>;
  const expiration = fields.Expiration;
  const expiresAt = typeof expiration === 'string' ? new Date(expiration) : undefined;
  if (expiration !== undefined && (!expiresAt || Number.isNaN(expiresAt.getTime())))
    throw new CredentialsError(`the credentials from ${where} have an unreadable Expiration`);
  const token = fields.Token;
  return {
    accessKeyId: fieldOf(fields, 'AccessKeyId', where),
    secretAccessKey: fieldOf(fields, 'SecretAccessKey', where),
    ...(typeof token === 'string' && token !== '' ? { sessionToken: token } : {}),
    ...(expiresAt ? { expiration: expiresAt } : {}),
  };
}

/** One GET of the container credentials endpoint. */
export function containerCredentialsFetcher(
  source: ContainerCredentialsSource,
): () => Promise<RoleCredentials> {
  const agent = createUpstreamAgent({
    connect: { timeout: FETCH_TIMEOUT_MS },
    headersTimeout: FETCH_TIMEOUT_MS,
    bodyTimeout: FETCH_TIMEOUT_MS,
  });
  const where = `${source.url.origin}${source.url.pathname}`;
  const headers = source.authorizationToken ? { authorization: source.authorizationToken } : {};
  return () =>
    new Promise<RoleCredentials>((resolve, reject) => {
      const options: Dispatcher.RequestOptions = {
        origin: source.url.origin,
        path: source.url.pathname + source.url.search,
        method: 'GET',
        headers,
      };
      requestUpstream(agent, options, (error, response) => {
        if (error) {
          reject(
            new CredentialsError(`${where} did not answer: ${error.message}`, { cause: error }),
          );
          return;
        }
        response.body.text().then((text) => {
          if (response.statusCode !== 200)
            reject(new CredentialsError(`${where} answered ${response.statusCode}`));
          else {
            try {
              resolve(parseCredentials(text, where));
            } catch (parseError) {
              reject(parseError as Error);
            }
          }
        }, reject);
      });
    });
}

export interface CredentialsCacheOptions {
  /** Start fetching new credentials this long before the old ones expire. @default 300000 */
  readonly refreshBeforeMs?: number;
  /** Credentials this close to expiring are no longer used to sign. @default 15000 */
  readonly minimumValidityMs?: number;
  /** After a failed background refresh, wait this long before the next try. @default 5000 */
  readonly retryAfterMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Credentials fetched once, then refreshed in the background from `refreshBeforeMs` before
 * they expire: while the held ones are still valid no caller waits for a refresh, and a failed
 * refresh keeps them. Only a caller with nothing valid to use waits (and shares one fetch).
 */
export function cachedCredentials(
  fetchCredentials: () => Promise<RoleCredentials>,
  options: CredentialsCacheOptions = {},
): () => Promise<RoleCredentials> {
  const refreshBeforeMs = options.refreshBeforeMs ?? 300_000;
  const minimumValidityMs = options.minimumValidityMs ?? 15_000;
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  const now = options.now ?? Date.now;
  let held: RoleCredentials | undefined;
  let pending: Promise<RoleCredentials> | undefined;
  let nextTryAt = 0;

  const refresh = (): Promise<RoleCredentials> => {
    pending ??= fetchCredentials().then(
      (fresh) => {
        held = fresh;
        pending = undefined;
        return fresh;
      },
      (error: unknown) => {
        pending = undefined;
        nextTryAt = now() + retryAfterMs;
        throw error;
      },
    );
    return pending;
  };
  const msLeft = (credentials: RoleCredentials) =>
    credentials.expiration ? credentials.expiration.getTime() - now() : Infinity;

  return async () => {
    const current = held;
    if (current && msLeft(current) > minimumValidityMs) {
      if (msLeft(current) <= refreshBeforeMs && !pending && now() >= nextTryAt) {
        // The caller signs with what is held; a failure here is retried on a later call.
        refresh().catch(() => undefined);
      }
      return current;
    }
    return refresh();
  };
}
