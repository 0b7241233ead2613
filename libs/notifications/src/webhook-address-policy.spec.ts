/** Which addresses a webhook may reach, by default and with WEBHOOK_ALLOWED_HOSTS. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WebhookAddressPolicy } from './webhook-address-policy.js';
import { readSubmittedWebhooks } from './webhook-submission.js';

const byDefault = new WebhookAddressPolicy(null);
const octet = fc.integer({ min: 0, max: 255 });
const v4 = (...parts: number[]) => parts.join('.');

/** IPv4 addresses inside `a.b.0.0/prefix`-style blocks, drawn across the whole block. */
const internalV4 = fc.oneof(
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(127, b, c, d)), // loopback
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(10, b, c, d)), // RFC 1918
  fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => v4(172, b, c, d)),
  fc.tuple(octet, octet).map(([c, d]) => v4(192, 168, c, d)),
  fc.tuple(octet, octet).map(([c, d]) => v4(169, 254, c, d)), // link-local, cloud metadata
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(0, b, c, d)), // "this network", unspecified
  fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => v4(100, b, c, d)), // carrier-grade NAT
);
const hex16 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const internalV6 = fc.oneof(
  fc.constant('::1'),
  fc.constant('::'),
  fc.tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), hex16, hex16).map(([a, b, c]) => `${a.toString(16)}:${b}::${c}`), // fc00::/7
  fc.tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), hex16).map(([a, b]) => `${a.toString(16)}::${b}`), // fe80::/10
  internalV4.map((a) => `::ffff:${a}`), // IPv4-mapped
);
/** Public unicast IPv4: first octets outside every special-purpose block. */
const publicV4 = fc.tuple(fc.constantFrom(8, 23, 34, 52, 81, 104, 151, 185, 212), octet, octet, fc.integer({ min: 1, max: 254 }))
  .map((p) => v4(...p));

describe('webhook address policy', () => {
  it('refuses every loopback, private, link-local and unspecified address by default, as address and as URL', () => {
    fc.assert(fc.property(fc.oneof(internalV4, internalV6), (address) => {
      expect(byDefault.addressProblem(address)).toMatch(/not allowed/);
      const host = address.includes(':') ? `[${address}]` : address;
      expect(byDefault.urlProblem(`https://${host}:8443/hook`)).not.toBeNull();
      expect(byDefault.resolvedProblem('hooks.example.com', ['93.184.216.34', address])).toMatch(/^hooks\.example\.com resolves to/);
    }), { numRuns: 300 });
  });

  it('allows public addresses by default', () => {
    fc.assert(fc.property(publicV4, (address) => {
      expect(byDefault.addressProblem(address)).toBeNull();
      expect(byDefault.urlProblem(`http://${address}/hook`)).toBeNull();
      expect(byDefault.resolvedProblem('hooks.example.com', [address, '2606:4700:4700::1111'])).toBeNull();
    }), { numRuns: 200 });
  });

  it('sees through other spellings of an internal address', () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://0/']) {
      expect([url, byDefault.urlProblem(url)]).toEqual([url, expect.stringMatching(/not allowed/)]);
    }
  });

  it('takes only absolute http(s) URLs without credentials', () => {
    expect(byDefault.urlProblem('ftp://hooks.example.com/x')).toMatch(/http/);
    expect(byDefault.urlProblem('file:///etc/passwd')).toMatch(/http/);
    expect(byDefault.urlProblem('/relative')).toMatch(/absolute/);
    expect(byDefault.urlProblem('https://user:pw@hooks.example.com/')).toMatch(/credentials/);
    expect(byDefault.urlProblem('https://hooks.example.com/x?token=1')).toBeNull();
  });

  it('lets WEBHOOK_ALLOWED_HOSTS open chosen addresses, ranges and host names', () => {
    const policy = new WebhookAddressPolicy('127.0.0.1, 10.20.0.0/16, hooks.internal, *.corp.example, fd00::/8');
    expect(policy.addressProblem('127.0.0.1')).toBeNull();
    expect(policy.addressProblem('127.0.0.2')).toMatch(/loopback/);
    expect(policy.addressProblem('::ffff:127.0.0.1')).toBeNull();
    fc.assert(fc.property(octet, octet, (c, d) => expect(policy.addressProblem(v4(10, 20, c, d))).toBeNull()));
    expect(policy.addressProblem('10.21.0.1')).toMatch(/private/);
    expect(policy.addressProblem('fd12::1')).toBeNull();
    expect(policy.resolvedProblem('hooks.internal', ['10.99.0.1'])).toBeNull();
    expect(policy.resolvedProblem('a.b.corp.example', ['192.168.1.1'])).toBeNull();
    expect(policy.resolvedProblem('corp.example.evil.com', ['192.168.1.1'])).toMatch(/private/);
    // Listing internal ones does not close the public ones unless `*` is left out on purpose:
    expect(policy.addressProblem('8.8.8.8')).toMatch(/not in WEBHOOK_ALLOWED_HOSTS/);
    expect(new WebhookAddressPolicy('*,127.0.0.1').addressProblem('8.8.8.8')).toBeNull();
    expect(() => new WebhookAddressPolicy('10.0.0.0/99')).toThrow(/CIDR/);
    expect(() => new WebhookAddressPolicy('not a host!')).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('a submission names each bad field by its index', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const { problems } = readSubmittedWebhooks([
      { url: 'https://hooks.example.com/ok', secret },
      { url: 'ftp://hooks.example.com/x' },
      { url: 'http://169.254.169.254/latest/meta-data' },
      { url: 'https://hooks.example.com/ok2', secret: 'plain' },
      { url: 'https://hooks.example.com/ok', extra: 1 },
      'https://hooks.example.com/string',
    ], byDefault);
    expect(problems.map((p) => p.field)).toEqual([
      'notifications.webhooks[1].url', 'notifications.webhooks[2].url', 'notifications.webhooks[3].secret',
      'notifications.webhooks[4].extra', 'notifications.webhooks[4].url', 'notifications.webhooks[5]',
    ]);
    expect(JSON.stringify(problems)).not.toContain('plain');
    const ok = readSubmittedWebhooks([{ url: 'https://Hooks.Example.com/a', secret }, { url: 'https://hooks.example.com/b' }], byDefault);
    expect(ok).toEqual({ problems: [], webhooks: [{ url: 'https://hooks.example.com/a', secret }, { url: 'https://hooks.example.com/b', secret: null }] });
  });
});
