import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNode, type SpawnedProcess } from '../testing';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** An HTTPS upstream on loopback with the test certificate (issued for 127.0.0.1). */
async function httpsUpstream(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createHttpsServer(
    {
      key: readFileSync(fixture('untrusted-test-only.key')),
      cert: readFileSync(fixture('untrusted-test-only.crt')),
    },
    (request, response) => {
      paths.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ color: 'red', over: 'tls' }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

function gateway(env: Record<string, string>): SpawnedProcess {
  const child = spawnNode(['--import', 'tsx', fixture('https-gateway.ts')], env);
  cleanups.push(() => child.child.kill('SIGKILL'));
  return child;
}

// Lattice's HTTPS listeners present certificates Lattice provisions from a public CA: the proxy
// must verify them against the process's trust store, with nothing of its own configured.
describe('the proxy to an https:// upstream (such as a VPC Lattice HTTPS listener)', () => {
  it('forwards over TLS when the process trusts the issuer (NODE_EXTRA_CA_CERTS adds to the store)', async () => {
    const upstream = await httpsUpstream();
    const trusting = gateway({
      UPSTREAM_URL: upstream.url,
      NODE_EXTRA_CA_CERTS: fixture('untrusted-test-only.crt'),
    });
    const response = await fetch(new URL('/gateway/color/color', await trusting.listening));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ color: 'red', over: 'tls' });
    expect(upstream.paths).toEqual(['/color']);
  });

  it('refuses the same upstream when the process does not trust it: 502, nothing sent', async () => {
    const upstream = await httpsUpstream();
    const untrusting = gateway({ UPSTREAM_URL: upstream.url });
    const response = await fetch(new URL('/gateway/color/color', await untrusting.listening));
    expect(response.status).toBe(502);
    expect(upstream.paths).toEqual([]);
  });
});
