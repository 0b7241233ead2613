import { describe, expect, it } from '@jest/globals';
import type { StoreLocations } from '../../../../../libs/config/src/store-locations.js';
import { isLoopbackAddress, localSignInRefusal } from './local-sign-in.js';

const EMBEDDED: StoreLocations = { state: { kind: 'embedded' }, events: { kind: 'state' }, views: { kind: 'state' } };
const POSTGRES: StoreLocations = { state: { kind: 'postgres', url: 'postgres://db/jobs' }, events: { kind: 'state' }, views: { kind: 'state' } };

describe('local sign-in', () => {
  it('is offered to a browser on this machine of the embedded service', () => {
    for (const [remoteAddress, host] of [['127.0.0.1', 'localhost:3000'], ['::1', '[::1]:3000'], ['::ffff:127.0.0.1', '127.0.0.1:3000'], ['127.0.0.2', 'LOCALHOST']]) {
      expect({ remoteAddress, host, refusal: localSignInRefusal(EMBEDDED, { remoteAddress, headers: { host } }) }).toEqual({ remoteAddress, host, refusal: null });
    }
  });

  it('does not exist on PostgreSQL, even from this machine', () => {
    expect(localSignInRefusal(POSTGRES, { remoteAddress: '127.0.0.1', headers: { host: 'localhost' } })?.status).toBe(404);
  });

  it('is refused from another address, for another host name, and through a proxy', () => {
    const refused = [
      { remoteAddress: '192.168.1.20', headers: { host: 'localhost:3000' } },
      { remoteAddress: '127.0.0.1', headers: { host: 'jobs.example.com' } },
      { remoteAddress: '127.0.0.1', headers: { host: 'localhost.example.com' } },
      { remoteAddress: '127.0.0.1', headers: {} },
      { remoteAddress: '127.0.0.1', headers: { host: 'localhost', 'x-forwarded-for': '203.0.113.9' } },
      { remoteAddress: '127.0.0.1', headers: { host: 'localhost', forwarded: 'for=203.0.113.9' } },
      { remoteAddress: undefined, headers: { host: 'localhost' } },
    ];
    for (const request of refused) expect({ request, status: localSignInRefusal(EMBEDDED, request)?.status }).toEqual({ request, status: 403 });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true]);
    expect(['10.0.0.1', '::', 'not an address', undefined].map(isLoopbackAddress)).toEqual([false, false, false, false]);
  });
});
