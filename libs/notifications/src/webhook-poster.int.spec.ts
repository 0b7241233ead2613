/**
 * One attempt against a real HTTP server on 127.0.0.1, the host name resolved by a
 * resolver the test controls: the addresses a name resolves to are checked, and the
 * connection goes to those addresses only (a name the real DNS does not know still
 * reaches the receiver, so the pinned address is what was used).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { WebhookAddressPolicy } from './webhook-address-policy.js';
import { WebhookPoster } from './webhook-poster.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const request = (url: string) => ({ url, body: '{"type":"job.completed"}', headers: { 'content-type': 'application/json', 'webhook-id': 'm1', 'webhook-timestamp': '1' } });

describe('webhook poster', () => {
  it('connects to the address it checked, under the URL\'s host name', async () => {
    receiver = await startWebhookReceiver(() => ({ status: 200, body: 'x'.repeat(10_000) }));
    const port = new URL(receiver.url).port;
    const poster = new WebhookPoster(new WebhookAddressPolicy('127.0.0.1'), 2000, async () => ['127.0.0.1']);
    const result = await poster.post(request(`http://hooks.invalid:${port}/in`));
    expect(result).toMatchObject({ outcome: 'delivered', responseStatus: 200, error: null });
    expect(receiver.to('/in')).toHaveLength(1);
    expect(receiver.received[0].headers.host).toBe(`hooks.invalid:${port}`);
    expect(receiver.received[0].headers['webhook-id']).toBe('m1');
  });

  it('refuses a name that resolves to an internal address (also next to a public one), without connecting', async () => {
    receiver = await startWebhookReceiver();
    const port = new URL(receiver.url).port;
    for (const addresses of [['127.0.0.1'], ['93.184.216.34', '127.0.0.1'], ['::ffff:169.254.169.254']]) {
      const poster = new WebhookPoster(new WebhookAddressPolicy(null), 2000, async () => addresses);
      const result = await poster.post(request(`http://rebind.invalid:${port}/in`));
      expect(result.outcome).toBe('refused');
      expect(result.error).toMatch(/^refused: rebind\.invalid resolves to .* not allowed/);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('keeps only an excerpt of an error answer, and retries a name that does not resolve', async () => {
    receiver = await startWebhookReceiver(() => ({ status: 500, body: `${'e'.repeat(300)} tail` }));
    const poster = new WebhookPoster(new WebhookAddressPolicy('127.0.0.1'), 2000);
    const result = await poster.post(request(`${receiver.url}/in`));
    expect(result.outcome).toBe('retry');
    expect(result.responseStatus).toBe(500);
    expect(result.error!.length).toBeLessThan(230);
    expect(result.error).not.toContain('tail');
    const unresolvable = new WebhookPoster(new WebhookAddressPolicy('*'), 2000, async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }); });
    expect(await unresolvable.post(request('https://nowhere.invalid/in'))).toMatchObject({ outcome: 'retry', responseStatus: null, error: expect.stringContaining('could not resolve nowhere.invalid') });
  });
});
