import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/http-app';
import { registerProxy } from '../src/proxy';
import { createSigV4Headers, isLatticeServiceHost } from '../src/sigv4-headers';
import type { SigV4HeadersOptions } from '../src/sigv4-headers';
import { startUpstreamSigning, type UpstreamSigning } from '../src/upstream-signing';
import {
  cleanupAfterEach,
  containerCredentialsBody,
  latticeServiceName,
  rawRequest,
  sigv4Refusal,
  sigv4Signature,
  sigv4Verifying,
  TEST_CREDENTIALS,
} from '../testing';
import type { RecordedRequest } from '../testing';

const { defer, recording } = cleanupAfterEach();

const LATTICE = { region: 'eu-west-1', service: 'vpc-lattice-svcs' } as const;
/** A name of the form Lattice generates for a service in eu-west-1. */
const LATTICE_HOST = latticeServiceName('color', LATTICE.region);
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const SUITE_DATE = '20150830T123600Z';

describe('the SigV4 verifier used as a stand-in upstream', () => {
  // AWS's SigV4 test suite: the published signatures for AKIDEXAMPLE at 2015-08-30T12:36:00Z.
  const vector = (method: string, target: string) =>
    sigv4Signature({
      method,
      target,
      headers: { host: 'example.amazonaws.com', 'x-amz-date': SUITE_DATE },
      signedHeaders: ['host', 'x-amz-date'],
      payloadHash: EMPTY_SHA256,
      amzDate: SUITE_DATE,
      region: 'us-east-1',
      service: 'service',
      secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
    });

  it('computes the published signatures of get-vanilla, post-vanilla and the query order vector', () => {
    expect(vector('GET', '/')).toBe(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(vector('POST', '/')).toBe(
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
    expect(vector('GET', '/?Param2=value2&Param1=value1')).toBe(
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    );
  });
});

/** A gateway app whose proxy signs with `signing`'s credentials endpoint. */
async function signingGateway(
  upstream: URL,
  credentialsUrl: URL,
  options: SigV4HeadersOptions = {},
): Promise<{ url: URL; logs: string[] }> {
  const logs: string[] = [];
  const signing: UpstreamSigning = {
    ...LATTICE,
    credentials: { url: credentialsUrl, authorizationToken: 'test-authorization-token' },
  };
  const app = createServiceApp({
    name: 'signing-test',
    logLevel: 'warn',
    logStream: { write: (line) => void logs.push(line) },
  });
  await registerProxy(app, {
    prefix: '/gateway/color',
    upstream: () => upstream,
    // The stand-in upstream listens on loopback: it is the one host signed besides Lattice's.
    upstreamHeaders: createSigV4Headers(signing, {
      signsHost: (hostname) => hostname === upstream.hostname,
      ...options,
    }),
  });
  defer(() => app.close());
  return { url: new URL(await app.listen({ host: '127.0.0.1', port: 0 })), logs };
}

async function credentialsEndpoint(validForMs = 3_600_000) {
  return recording((request, response) => {
    const authorized = request.headers.authorization === 'test-authorization-token';
    response.statusCode = authorized ? 200 : 401;
    response.end(authorized ? containerCredentialsBody(validForMs) : '{}');
  });
}

describe('createSigV4Headers through the proxy, over real sockets', () => {
  it('signs every call so that the verifier accepts it: method, path, query and host', async () => {
    const upstream = await recording(sigv4Verifying(LATTICE));
    const credentials = await credentialsEndpoint();
    const gateway = await signingGateway(upstream.url, new URL('/creds', credentials.url));

    const get = await fetch(
      new URL('/gateway/color/color?shade=dark&a=1&q=a+b%20c&flag', gateway.url),
    );
    const post = await fetch(new URL('/gateway/color/paint', gateway.url), {
      method: 'POST',
      body: 'blue',
      headers: { 'content-type': 'text/plain' },
    });

    expect(await get.json()).toEqual({ verified: true });
    expect(await post.json()).toEqual({ verified: true });
    const first = upstream.requests[0] as RecordedRequest;
    expect(first.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(first.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/vpc-lattice-svcs\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, /,
    );
    // Fetched once, with the token, then reused.
    expect(credentials.requests.map((request) => request.url)).toEqual(['/creds']);
  });

  it('is refused once the signed request is tampered with, and without a signature', async () => {
    const upstream = await recording(sigv4Verifying(LATTICE));
    const credentials = await credentialsEndpoint();
    const gateway = await signingGateway(upstream.url, credentials.url);
    expect((await fetch(new URL('/gateway/color/color?shade=dark', gateway.url))).status).toBe(200);
    const signed = upstream.requests[0] as RecordedRequest;
    const send = (target: string, headers: Record<string, string | string[] | undefined>) =>
      rawRequest(upstream.url, `GET ${target} HTTP/1.1\r\n${headerLines(headers)}\r\n`);

    const replayed = await send(signed.url, signed.headers);
    const otherPath = await send('/admin?shade=dark', signed.headers);
    const otherQuery = await send('/color?shade=light', signed.headers);
    const otherHost = await send(signed.url, { ...signed.headers, host: 'other.example' });
    const unsigned = await send(signed.url, { host: signed.headers.host });

    expect(replayed.status).toBe(200);
    for (const answer of [otherPath, otherQuery, otherHost]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ refusal: 'signature does not match' });
    }
    expect(JSON.parse(unsigned.body)).toEqual({ refusal: 'no SigV4 authorization header' });
  });

  it('answers 502 and logs why when no credentials can be had, and sends nothing upstream', async () => {
    const upstream = await recording(sigv4Verifying(LATTICE));
    const credentials = await recording((_request, response) => {
      response.statusCode = 500;
      response.end('{}');
    });
    const gateway = await signingGateway(upstream.url, new URL('/creds', credentials.url));

    const response = await fetch(new URL('/gateway/color/color', gateway.url));

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'upstream_signing_failed' });
    expect(upstream.requests).toHaveLength(0);
    const logged = gateway.logs.map((line) => JSON.parse(line) as { msg: string; err?: object });
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'upstream request not sent: could not add its headers',
        err: expect.objectContaining({ message: expect.stringContaining('/creds answered 500') }),
      }),
    );
  });

  it('keeps signing with valid credentials while a refresh hangs, then uses the new ones', async () => {
    const upstream = await recording();
    const refreshed = { ...TEST_CREDENTIALS, sessionToken: 'refreshed-session-token' };
    let release: (() => void) | undefined;
    const credentials = await recording((_request, response) => {
      // The first credentials are inside the refresh window; the refresh answers when released.
      if (credentials.requests.length === 1) response.end(containerCredentialsBody(120_000));
      else release = () => response.end(containerCredentialsBody(3_600_000, refreshed));
    });
    // Each call a second later: signatures are reused within a second, credentials read per signature.
    let clock = Date.now();
    const gateway = await signingGateway(upstream.url, credentials.url, {
      refreshBeforeMs: 300_000,
      now: () => clock,
    });
    const call = async () => {
      clock += 1_000;
      expect((await fetch(new URL('/gateway/color/color', gateway.url))).status).toBe(200);
      return upstream.requests.at(-1) as RecordedRequest;
    };

    for (let count = 0; count < 3; count += 1) {
      expect(sigv4Refusal(await call(), LATTICE)).toBeUndefined();
    }
    // One fetch at start, one refresh started by the second call and not answered yet.
    expect(credentials.requests).toHaveLength(2);
    release?.();
    await expect
      .poll(async () => (await call()).headers['x-amz-security-token'], { timeout: 5_000 })
      .toBe(refreshed.sessionToken);
    expect(sigv4Refusal(await call(), { ...LATTICE, credentials: refreshed })).toBeUndefined();
    expect(credentials.requests).toHaveLength(2);
  });
});

describe('createSigV4Headers, within one second', () => {
  const signing: UpstreamSigning = {
    ...LATTICE,
    credentials: { url: new URL('http://127.0.0.1:1') },
  };
  const url = (path: string) => new URL(path, `https://${LATTICE_HOST}`);

  it('signs a request once a second and reuses it; another URL or second gets its own', async () => {
    let clock = Date.UTC(2026, 10, 28, 6, 0, 0, 100);
    const sign = createSigV4Headers(signing, {
      now: () => clock,
      credentials: async () => TEST_CREDENTIALS,
    });
    const first = sign({ method: 'GET', url: url('/color') });
    clock += 800;
    const again = sign({ method: 'GET', url: url('/color') });
    const otherPath = await sign({ method: 'GET', url: url('/colour') });
    clock += 200;
    const nextSecond = await sign({ method: 'GET', url: url('/color') });

    expect(again).toBe(first);
    expect((await first)['x-amz-date']).toBe('20261128T060000Z');
    expect(otherPath.authorization).not.toBe((await first).authorization);
    expect(nextSecond['x-amz-date']).toBe('20261128T060001Z');
  });

  it('does not remember a failure: the next request tries again', async () => {
    let reads = 0;
    const sign = createSigV4Headers(signing, {
      credentials: async () => {
        reads += 1;
        throw new Error('no credentials');
      },
    });
    await expect(sign({ method: 'GET', url: url('/color') })).rejects.toThrow('no credentials');
    await expect(sign({ method: 'GET', url: url('/color') })).rejects.toThrow('no credentials');
    expect(reads).toBe(2);
  });
});

describe('createSigV4Headers signs only requests to VPC Lattice services of its Region', () => {
  const signing: UpstreamSigning = {
    ...LATTICE,
    credentials: { url: new URL('http://127.0.0.1:1') },
  };

  it('knows the names Lattice generates, in the signing Region, and nothing that merely contains one', () => {
    expect(isLatticeServiceHost(LATTICE_HOST, 'eu-west-1')).toBe(true);
    expect(isLatticeServiceHost(`${LATTICE_HOST.toUpperCase()}.`, 'eu-west-1')).toBe(true);
    for (const host of [
      LATTICE_HOST.replace('eu-west-1', 'us-east-1'),
      `${LATTICE_HOST}.attacker.example`,
      'vpc-lattice-svcs.eu-west-1.on.aws',
      'x.vpc-lattice-svcs.eu-west-1.on.aws',
      `a.${LATTICE_HOST}`,
      'api.color.pizza',
      '127.0.0.1',
    ]) {
      expect(isLatticeServiceHost(host, 'eu-west-1'), host).toBe(false);
    }
  });

  it('adds nothing, and reads no credentials, for an outside API; signs a Lattice service', async () => {
    let reads = 0;
    const sign = createSigV4Headers(signing, {
      credentials: async () => {
        reads += 1;
        return TEST_CREDENTIALS;
      },
    });
    expect(
      await sign({ method: 'GET', url: new URL('https://api.color.pizza/v1/?values=ff0000') }),
    ).toEqual({});
    expect(reads).toBe(0);
    const lattice = await sign({ method: 'GET', url: new URL(`https://${LATTICE_HOST}/color`) });
    expect(lattice['x-amz-security-token']).toBe(TEST_CREDENTIALS.sessionToken);
    expect(reads).toBe(1);
  });

  it('through the proxy as the environment configures it, a call to a host that is not Lattice carries no token', async () => {
    const upstream = await recording((_request, response) => response.end('ok'));
    const credentials = await credentialsEndpoint();
    const signer = await startUpstreamSigning({
      ...signing,
      credentials: { url: credentials.url, authorizationToken: 'test-authorization-token' },
    });
    const app = createServiceApp({ name: 'unsigned-test', logLevel: 'warn' });
    await registerProxy(app, {
      prefix: '/gateway/names',
      upstream: () => upstream.url,
      upstreamHeaders: signer,
    });
    defer(() => app.close());
    const gateway = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));

    expect((await fetch(new URL('/gateway/names/colors', gateway))).status).toBe(200);
    const sent = upstream.requests[0] as RecordedRequest;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['x-amz-security-token']).toBeUndefined();
    expect(credentials.requests).toEqual([]);
  });
});

function headerLines(headers: Record<string, string | string[] | undefined>): string {
  return Object.entries(headers)
    .filter(([name]) => name !== 'connection')
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .concat('connection: close\r\n')
    .join('');
}
