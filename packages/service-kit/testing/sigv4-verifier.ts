import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { RecordedRequest } from './recording-server';

// An independent SigV4 check written from the IAM User Guide's algorithm with node:crypto
// alone, so that it can judge the signer under test; AWS's published vectors pin it.

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** Role credentials a test hands out and expects: the SigV4 test suite's example key. */
export const TEST_CREDENTIALS: TestCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'test-session-token',
};

export interface SignatureInput {
  readonly method: string;
  /** The request target as sent: path, then `?query` if any. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  /** Lower-case names, in any order. */
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
  readonly secretAccessKey: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text).digest();

/** RFC 3986 encoding: everything but unreserved characters becomes %XX, upper case. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Encoded `key=value` pairs in code point order of the key, then of the value. */
function byKeyThenValue(a: string, b: string): number {
  const [keyA = '', valueA = ''] = a.split('=');
  const [keyB = '', valueB = ''] = b.split('=');
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return valueA < valueB ? -1 : valueA > valueB ? 1 : 0;
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      return `${encodeRfc3986(decodeURIComponent(key))}=${encodeRfc3986(decodeURIComponent(value))}`;
    })
    .sort(byKeyThenValue)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

/** The hex signature of a request, step by step as the IAM User Guide describes SigV4. */
export function sigv4Signature(input: SignatureInput): string {
  const queryAt = input.target.indexOf('?');
  const path = queryAt === -1 ? input.target : input.target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : input.target.slice(queryAt + 1);
  const signed = [...input.signedHeaders].sort();
  // Every service but S3 encodes the (already encoded) path once more.
  const canonicalUri = path.split('/').map(encodeRfc3986).join('/');
  const canonicalRequest = [
    input.method,
    canonicalUri,
    canonicalQuery(query),
    signed.map((name) => `${name}:${headerValue(input.headers, name)}\n`).join(''),
    signed.join(';'),
    input.payloadHash,
  ].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const dayKey = hmac(`AWS4${input.secretAccessKey}`, day);
  const key = hmac(hmac(hmac(dayKey, input.region), input.service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

export interface SigV4Expectation {
  readonly region: string;
  readonly service: string;
  readonly credentials?: TestCredentials;
  /** @default - the current time */
  readonly now?: Date;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
// AWS refuses a signature dated more than 5 minutes away from its clock.
const MAX_SKEW_MS = 5 * 60_000;

function amzDateToMs(amzDate: string): number {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parts) return Number.NaN;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts
    .slice(1)
    .map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * Why `request` would be refused by a VPC Lattice service with IAM auth, or undefined when its
 * SigV4 signature holds: scope, key, session token, `UNSIGNED-PAYLOAD`, date and signature.
 */
export function sigv4Refusal(
  request: RecordedRequest,
  expected: SigV4Expectation,
): string | undefined {
  const credentials = expected.credentials ?? TEST_CREDENTIALS;
  const match = AUTHORIZATION.exec(headerValue(request.headers, 'authorization'));
  if (!match) return 'no SigV4 authorization header';
  const [, keyId, day = '', region, service, signedList = '', signature = ''] = match;
  const signedHeaders = signedList.split(';');
  const amzDate = headerValue(request.headers, 'x-amz-date');
  const skewMs = Math.abs(amzDateToMs(amzDate) - (expected.now ?? new Date()).getTime());
  if (keyId !== credentials.accessKeyId) return `unknown access key ${keyId}`;
  if (region !== expected.region || service !== expected.service)
    return `scope ${region}/${service} is not ${expected.region}/${expected.service}`;
  if (!(skewMs <= MAX_SKEW_MS) || !amzDate.startsWith(day)) return `bad x-amz-date ${amzDate}`;
  for (const name of ['host', 'x-amz-date', 'x-amz-security-token']) {
    if (!signedHeaders.includes(name)) return `${name} is not signed`;
  }
  if (headerValue(request.headers, 'x-amz-security-token') !== credentials.sessionToken)
    return 'wrong session token';
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (payloadHash !== 'UNSIGNED-PAYLOAD') return 'x-amz-content-sha256 is not UNSIGNED-PAYLOAD';
  const expectedSignature = sigv4Signature({
    method: request.method,
    target: request.url,
    headers: request.headers,
    signedHeaders,
    payloadHash,
    amzDate,
    region,
    service,
    secretAccessKey: credentials.secretAccessKey,
  });
  const same = timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature));
  return same ? undefined : 'signature does not match';
}

/** A stand-in Lattice service: 200 with `{ verified: true }` when signed right, else 403 and why. */
export function sigv4Verifying(expected: SigV4Expectation) {
  return (request: RecordedRequest, response: ServerResponse): void => {
    const refusal = sigv4Refusal(request, expected);
    response.statusCode = refusal ? 403 : 200;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(refusal ? { refusal } : { verified: true }));
  };
}

/** A stand-in container credentials endpoint's answer: `TEST_CREDENTIALS` valid for `validForMs`. */
export function containerCredentialsBody(
  validForMs: number,
  credentials: TestCredentials = TEST_CREDENTIALS,
): string {
  return JSON.stringify({
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: new Date(Date.now() + validForMs).toISOString(),
  });
}
