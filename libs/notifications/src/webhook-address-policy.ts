/**
 * Which webhook URLs the service may call. A tenant names the URL, so without a rule it
 * could make the service reach internal addresses (a database, the cloud metadata
 * endpoint at 169.254.169.254). The rule is checked on the URL at submit time (scheme,
 * literal addresses) and again on the addresses the host name resolves to at each
 * delivery, which are then the only ones connected to (no DNS rebinding in between).
 *
 * WEBHOOK_ALLOWED_HOSTS is a comma-separated list of:
 * - `*`: any public (globally routable unicast) address; the default when unset;
 * - a host name, or `*.example.com` for its subdomains: that host, whatever it resolves to;
 * - an address or CIDR (`127.0.0.1`, `10.20.0.0/16`, `fd00::/8`): addresses in it.
 * Loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10),
 * unspecified and other special-purpose addresses are reachable only when listed.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export class WebhookAddressPolicy {
  private readonly anyPublic: boolean;
  private readonly exactHosts = new Set<string>();
  private readonly hostSuffixes: string[] = [];
  private readonly ranges: [Address, number][] = [];

  /** `allowedHosts` as in WEBHOOK_ALLOWED_HOSTS; null or blank = `*`. Throws on an entry it cannot read. */
  constructor(allowedHosts: string | null = null) {
    const entries = (allowedHosts ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
    this.anyPublic = entries.length === 0 || entries.includes('*');
    for (const entry of entries) {
      if (entry === '*') continue;
      if (entry.includes('/')) {
        if (!ipaddr.isValidCIDR(entry)) throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a CIDR range`);
        const [address, bits] = ipaddr.parseCIDR(entry);
        this.ranges.push([unmapped(address), address.kind() === 'ipv6' && unmapped(address).kind() === 'ipv4' ? bits - 96 : bits]);
      } else if (ipaddr.isValid(stripBrackets(entry))) {
        const address = unmapped(ipaddr.parse(stripBrackets(entry)));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (entry.startsWith('*.') && isHostName(entry.slice(2))) {
        this.hostSuffixes.push(entry.slice(1));
      } else if (isHostName(entry)) {
        this.exactHosts.add(entry);
      } else {
        throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is neither *, a host name, *.domain, an address nor a CIDR range`);
      }
    }
  }

  /**
   * Why `url` can never be called, or null when it may be (what is known without DNS:
   * the scheme, and a literal address). Used when a job is submitted.
   */
  urlProblem(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'must be an absolute http:// or https:// URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http:// or https:// URL';
    if (parsed.username || parsed.password) return 'must not carry credentials';
    const host = stripBrackets(parsed.hostname);
    if (!host) return 'must name a host';
    if (ipaddr.isValid(host)) return this.addressProblem(host);
    if (this.hostListed(host)) return null;
    if (!this.anyPublic && this.ranges.length === 0) return `host ${host} is not in WEBHOOK_ALLOWED_HOSTS`;
    return null;
  }

  /** True when the host name itself is listed: then any address it resolves to is allowed. */
  hostListed(host: string): boolean {
    const name = host.toLowerCase().replace(/\.$/, '');
    return this.exactHosts.has(name) || this.hostSuffixes.some((suffix) => name.endsWith(suffix));
  }

  /** Why the service must not connect to `address`, or null when it may. */
  addressProblem(address: string): string | null {
    if (!ipaddr.isValid(stripBrackets(address))) return `${address} is not an IP address`;
    const parsed = unmapped(ipaddr.parse(stripBrackets(address)));
    if (this.ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits))) return null;
    const range = parsed.range();
    if (range !== 'unicast') return `${address} is a ${RANGE_NAMES[range] ?? range} address, not allowed by WEBHOOK_ALLOWED_HOSTS`;
    if (!this.anyPublic) return `${address} is not in WEBHOOK_ALLOWED_HOSTS`;
    return null;
  }

  /** Why the host, resolved to `addresses`, must not be called; null when every address may be. */
  resolvedProblem(host: string, addresses: readonly string[]): string | null {
    if (this.hostListed(host)) return null;
    if (addresses.length === 0) return `${host} resolved to no address`;
    for (const address of addresses) {
      const problem = this.addressProblem(address);
      // One refused address refuses the host: a name with a public and an internal record is a rebinding attempt.
      if (problem) return `${host} resolves to ${problem}`;
    }
    return null;
  }
}

/** ipaddr.js's range names as a reader of an error message knows them. */
const RANGE_NAMES: Record<string, string> = {
  linkLocal: 'link-local', uniqueLocal: 'unique-local (fc00::/7)', private: 'private (RFC 1918)', carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified', ipv4Mapped: 'IPv4-mapped', '6to4': '6to4 relay', as112: 'AS112', as112v6: 'AS112',
};

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it carries. */
function unmapped(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isHostName(name: string): boolean {
  return /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/.test(name);
}
