import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleServer } from '@color-teller/service-kit/bundle-server';
import {
  LATTICE_NAMES_TO_LOOPBACK,
  cleanupAfterEach,
  containerCredentialsBody,
  latticeServiceName,
  sigv4Refusal,
  sigv4Verifying,
  startBundledService,
} from '@color-teller/service-kit/testing';
import type { RecordedRequest } from '@color-teller/service-kit/testing';

const { defer, recording } = cleanupAfterEach();
const serviceDir = new URL('..', import.meta.url);
const LATTICE = { region: 'us-east-1', service: 'vpc-lattice-svcs' } as const;

/**
 * The gateway bundle in its own process, calling a stand-in Lattice service that checks SigV4:
 * by a Lattice service name (resolved to loopback in that process), or by its plain address.
 */
async function gatewayWith(
  env: Record<string, string>,
  by: 'lattice name' | 'address' = 'lattice name',
) {
  const upstream = await recording(sigv4Verifying(LATTICE));
  const backend = new URL(upstream.url);
  if (by === 'lattice name') backend.hostname = latticeServiceName('color', LATTICE.region);
  const gateway = await startBundledService(serviceDir, {
    COLOR_BACKEND: backend.href,
    STATIC_DIR: '/nonexistent',
    NODE_OPTIONS: `--import=${LATTICE_NAMES_TO_LOOPBACK}`,
    ...env,
  });
  defer(() => gateway.dispose());
  return { upstream, gateway };
}

describe('color-client gateway with UPSTREAM_SIGV4_SERVICE', () => {
  it('signs its calls with the container credentials, and the stand-in upstream verifies them', async () => {
    const credentials = await recording((request, response) => {
      const authorized = request.headers.authorization === 'task-token';
      response.statusCode = authorized ? 200 : 401;
      response.end(authorized ? containerCredentialsBody(3_600_000) : '{}');
    });
    const { gateway } = await gatewayWith({
      UPSTREAM_SIGV4_SERVICE: 'vpc-lattice-svcs',
      AWS_REGION: 'us-east-1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: new URL('/v2/credentials', credentials.url).href,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'task-token',
    });

    const response = await fetch(new URL('/gateway/color/color', await gateway.listening));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ verified: true });
    expect(credentials.requests.map((request) => request.url)).toEqual(['/v2/credentials']);
  });

  it('sends a call to a host that is not a Lattice service unsigned, even with it set', async () => {
    let credentialReads = 0;
    const credentials = await recording((_request, response) => {
      credentialReads += 1;
      response.end(containerCredentialsBody(3_600_000));
    });
    const { upstream, gateway } = await gatewayWith(
      {
        UPSTREAM_SIGV4_SERVICE: 'vpc-lattice-svcs',
        AWS_REGION: 'us-east-1',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: new URL('/v2/credentials', credentials.url).href,
      },
      'address',
    );

    const response = await fetch(new URL('/gateway/color/color', await gateway.listening));

    expect(response.status).toBe(403);
    const sent = upstream.requests[0] as RecordedRequest;
    expect(Object.keys(sent.headers).filter((name) => name.startsWith('x-amz-'))).toEqual([]);
    expect(sent.headers.authorization).toBeUndefined();
    expect(credentialReads).toBe(0);
  });

  it('sends calls unchanged when it is unset, which IAM auth refuses', async () => {
    const { upstream, gateway } = await gatewayWith({});

    const response = await fetch(new URL('/gateway/color/color', await gateway.listening));

    expect(response.status).toBe(403);
    const sent = upstream.requests[0] as RecordedRequest;
    expect(sigv4Refusal(sent, LATTICE)).toBe('no SigV4 authorization header');
    expect(Object.keys(sent.headers).filter((name) => name.startsWith('x-amz-'))).toEqual([]);
  });

  it('fails at start when AWS_REGION is missing, naming it', async () => {
    const { gateway } = await gatewayWith({
      UPSTREAM_SIGV4_SERVICE: 'vpc-lattice-svcs',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/creds',
    });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output().stderr).toContain(
      'AWS_REGION="" is invalid: UPSTREAM_SIGV4_SERVICE needs the region to sign for',
    );
  });

  it('keeps the signing code out of the bundle it starts with (a chunk loaded only when on)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'client-bundle-'));
    defer(() => rm(folder, { recursive: true, force: true }));
    await bundleServer(serviceDir, { outdir: folder });
    const chunks = await readdir(join(folder, 'chunks'));
    const chunkTexts = await Promise.all(
      chunks
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFile(join(folder, 'chunks', name), 'utf8')),
    );
    expect(await readFile(join(folder, 'server.js'), 'utf8')).not.toContain('AWS4-HMAC-SHA256');
    expect(chunkTexts.filter((text) => text.includes('AWS4-HMAC-SHA256'))).toHaveLength(1);
  });
});
