import { BlockList, isIP } from 'node:net';

/** The load balancers (or other proxies) whose `X-Forwarded-*` and `X-Real-IP` a service believes. */
export class TrustedPeers {
  /** Nobody: every forwarded header a caller sends is replaced by what this hop saw. */
  static readonly NONE = new TrustedPeers([]);

  /**
   * From addresses and CIDR blocks (`10.0.0.0/16`, `127.0.0.1`, `fd00::/8`); undefined when any
   * entry is neither.
   */
  static parse(entries: readonly string[]): TrustedPeers | undefined {
    const ranges: [string, number, 'ipv4' | 'ipv6'][] = [];
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.split('/');
      const version = isIP(address);
      if (version === 0 || extra !== undefined) return undefined;
      const max = version === 4 ? 32 : 128;
      const bits = prefix === undefined ? max : Number(prefix);
      if (!/^\d+$/.test(prefix ?? String(max)) || bits > max) return undefined;
      ranges.push([address, bits, version === 4 ? 'ipv4' : 'ipv6']);
    }
    return new TrustedPeers(ranges);
  }

  private readonly list = new BlockList();
  readonly isEmpty: boolean;

  private constructor(ranges: readonly [string, number, 'ipv4' | 'ipv6'][]) {
    for (const [address, bits, type] of ranges) this.list.addSubnet(address, bits, type);
    this.isEmpty = ranges.length === 0;
  }

  /** Whether the peer at `address` (IPv4, IPv6, or IPv4 mapped into IPv6) is trusted. */
  trusts(address: string | undefined): boolean {
    if (this.isEmpty || address === undefined) return false;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    return this.list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  }
}
