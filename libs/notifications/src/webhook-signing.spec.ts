/**
 * Signatures as the Standard Webhooks reference library checks them: what this service
 * signs, a receiver using that library accepts, and a changed byte it refuses.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { webhookHeaders, webhookSecretProblem, webhookSignature } from './webhook-signing.js';

const newSecret = (bytes = 32): string => `whsec_${randomBytes(bytes).toString('base64')}`;

describe('webhook signatures', () => {
  it('are accepted by the standardwebhooks library for any id and body, and refused once anything changes', () => {
    fc.assert(fc.property(
      fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes(' ')),
      fc.json(),
      fc.integer({ min: 24, max: 64 }),
      (id, body, secretBytes) => {
        const secret = newSecret(secretBytes);
        const headers = webhookHeaders(id, body, secret);
        expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
        expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
        expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
        expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': `${id}x` })).toThrow();
      },
    ), { numRuns: 100 });
  });

  it('match the library byte for byte, and the timestamp is the attempt time in seconds', () => {
    const secret = newSecret();
    const at = new Date();
    const headers = webhookHeaders('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', '{"type":"job.completed"}', secret, at);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(Math.floor(at.getTime() / 1000) * 1000), '{"type":"job.completed"}'));
    expect(headers['webhook-signature']).toBe(webhookSignature(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', Math.floor(at.getTime() / 1000), '{"type":"job.completed"}'));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('are left out without a secret: the message goes unsigned', () => {
    const headers = webhookHeaders('m1', '{}', null);
    expect(Object.keys(headers).sort()).toEqual(['content-type', 'webhook-id', 'webhook-timestamp']);
  });

  it('take only whsec_<base64> secrets of 24 to 64 bytes', () => {
    expect(webhookSecretProblem(newSecret(24))).toBeNull();
    expect(webhookSecretProblem(newSecret(64))).toBeNull();
    expect(webhookSecretProblem(newSecret(23))).toMatch(/24 to 64 bytes, got 23/);
    expect(webhookSecretProblem(newSecret(65))).toMatch(/got 65/);
    expect(webhookSecretProblem(randomBytes(32).toString('base64'))).toMatch(/start with whsec_/);
    expect(webhookSecretProblem('whsec_not base64!')).toMatch(/base64/);
    expect(webhookSecretProblem('whsec_')).toMatch(/base64/);
    expect(webhookSecretProblem(42)).toMatch(/string/);
  });
});
