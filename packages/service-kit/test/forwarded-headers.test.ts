import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { upstreamRequestHeaders } from '../src/forwarded-headers';
import { TrustedPeers } from '../src/trusted-peers';

const LOAD_BALANCER = '10.0.0.5';
const STRANGER = '198.51.100.9';
const trusted = TrustedPeers.parse(['10.0.0.0/24'])!;

/** What `upstreamRequestHeaders` reads of a request: its headers, peer, scheme and id. */
function requestFrom(
  remoteAddress: string | undefined,
  headers: IncomingHttpHeaders,
  protocol: 'http' | 'https' = 'http',
): IncomingMessage {
  const socket = { remoteAddress, encrypted: protocol === 'https' };
  return { headers, socket } as unknown as IncomingMessage;
}

function sentUpstream(request: IncomingMessage): IncomingHttpHeaders {
  return upstreamRequestHeaders(request, 'req-1', trusted);
}

describe('upstreamRequestHeaders: X-Forwarded-Proto', () => {
  it("keeps a trusted peer's http or https, which saw the client's scheme", () => {
    // This hop's own scheme is the other one each time, so only the peer's value can pass.
    for (const [proto, own] of [
      ['https', 'http'],
      ['http', 'https'],
    ] as const) {
      const request = requestFrom(LOAD_BALANCER, { 'x-forwarded-proto': proto }, own);
      expect(sentUpstream(request)['x-forwarded-proto']).toBe(proto);
    }
    const listed = requestFrom(LOAD_BALANCER, { 'x-forwarded-proto': ['https', 'http'] }, 'http');
    expect(sentUpstream(listed)['x-forwarded-proto']).toBe('https');
  });

  it("names this hop's own scheme for anything else a trusted peer sends, and for anyone else's", () => {
    const nonsense = requestFrom(LOAD_BALANCER, { 'x-forwarded-proto': 'gopher' }, 'https');
    expect(sentUpstream(nonsense)['x-forwarded-proto']).toBe('https');
    const empty = requestFrom(LOAD_BALANCER, { 'x-forwarded-proto': '' }, 'https');
    expect(sentUpstream(empty)['x-forwarded-proto']).toBe('https');
    const forged = requestFrom(STRANGER, { 'x-forwarded-proto': 'https' }, 'http');
    expect(sentUpstream(forged)['x-forwarded-proto']).toBe('http');
  });
});

describe('upstreamRequestHeaders: X-Real-IP', () => {
  it("keeps a trusted peer's and drops anyone else's", () => {
    const fromBalancer = requestFrom(LOAD_BALANCER, { 'x-real-ip': '203.0.113.7' });
    expect(sentUpstream(fromBalancer)['x-real-ip']).toBe('203.0.113.7');
    const forged = sentUpstream(requestFrom(STRANGER, { 'x-real-ip': '203.0.113.7' }));
    expect(Object.keys(forged)).not.toContain('x-real-ip');
  });
});

describe('upstreamRequestHeaders: the rest of this hop', () => {
  it('names an unknown peer "unknown" in X-Forwarded-For', () => {
    expect(sentUpstream(requestFrom(undefined, {}))['x-forwarded-for']).toBe('unknown');
  });

  it('sets no X-Forwarded-Host key at all when the request has no Host', () => {
    const sent = sentUpstream(requestFrom(STRANGER, { 'x-forwarded-host': 'evil.example' }));
    expect(Object.keys(sent)).not.toContain('x-forwarded-host');
  });

  it('drops Expect, which this hop has answered itself, and keeps what it does not handle', () => {
    const sent = sentUpstream(
      requestFrom(STRANGER, { host: 'app.example', expect: '100-continue', accept: 'text/plain' }),
    );
    expect(Object.keys(sent)).not.toContain('expect');
    expect(sent).toMatchObject({ accept: 'text/plain', 'x-forwarded-host': 'app.example' });
  });
});
