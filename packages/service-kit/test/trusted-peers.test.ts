import { describe, expect, it } from 'vitest';
import { TrustedPeers } from '../src/trusted-peers';

function parsed(...entries: string[]): TrustedPeers {
  const peers = TrustedPeers.parse(entries);
  if (peers === undefined) throw new Error(`expected ${entries.join(',')} to parse`);
  return peers;
}

describe('TrustedPeers', () => {
  it('trusts nobody when empty, NONE included', () => {
    expect(TrustedPeers.NONE.isEmpty).toBe(true);
    expect(TrustedPeers.NONE.trusts('127.0.0.1')).toBe(false);
    expect(parsed().isEmpty).toBe(true);
    expect(parsed().trusts('127.0.0.1')).toBe(false);
  });

  it('trusts a single IPv4 address and no neighbour of it', () => {
    const peers = parsed('10.1.2.3');
    expect(peers.isEmpty).toBe(false);
    expect(peers.trusts('10.1.2.3')).toBe(true);
    expect(peers.trusts('10.1.2.4')).toBe(false);
    expect(peers.trusts('10.1.2.2')).toBe(false);
    expect(peers.trusts(undefined)).toBe(false);
  });

  it('trusts a whole IPv4 block and nothing past its edges', () => {
    const peers = parsed('10.0.0.0/16');
    expect(peers.trusts('10.0.0.0')).toBe(true);
    expect(peers.trusts('10.0.255.255')).toBe(true);
    expect(peers.trusts('10.1.0.0')).toBe(false);
    expect(peers.trusts('9.255.255.255')).toBe(false);
  });

  it('trusts an IPv4 peer seen as IPv4 mapped into IPv6', () => {
    const peers = parsed('127.0.0.1');
    expect(peers.trusts('::ffff:127.0.0.1')).toBe(true);
    expect(peers.trusts('::ffff:127.0.0.2')).toBe(false);
  });

  it('trusts IPv6 addresses and blocks', () => {
    const peers = parsed('fd00::/8', '::1');
    expect(peers.trusts('fd12:3456::1')).toBe(true);
    expect(peers.trusts('::1')).toBe(true);
    expect(peers.trusts('fe80::1')).toBe(false);
    expect(peers.trusts('::2')).toBe(false);
    // An IPv6 list says nothing of IPv4 peers.
    expect(peers.trusts('127.0.0.1')).toBe(false);
  });

  it('reads a prefix as a number of bits, up to the address size', () => {
    expect(parsed('10.0.0.0/32').trusts('10.0.0.0')).toBe(true);
    expect(parsed('10.0.0.0/32').trusts('10.0.0.1')).toBe(false);
    expect(parsed('10.0.0.0/0').trusts('200.1.2.3')).toBe(true);
    expect(parsed('::/128').trusts('::')).toBe(true);
    expect(parsed('::/128').trusts('::1')).toBe(false);
    expect(TrustedPeers.parse(['10.0.0.0/33'])).toBeUndefined();
    expect(TrustedPeers.parse(['::/129'])).toBeUndefined();
  });

  it.each([
    ['a host name', 'lb.internal'],
    ['an empty entry', ''],
    ['an empty prefix', '10.0.0.0/'],
    ['a prefix that is not a number', '10.0.0.0/a8'],
    ['a signed prefix', '10.0.0.0/+8'],
    ['a prefix with a trailing letter', '10.0.0.0/8x'],
    ['two prefixes', '10.0.0.0/8/8'],
  ])('refuses %s', (_what, entry) => {
    expect(TrustedPeers.parse(['127.0.0.1', entry])).toBeUndefined();
  });
});
