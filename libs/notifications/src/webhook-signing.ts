/**
 * Webhook signatures per the Standard Webhooks specification: the receiver checks
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`
 * with the secret it was given as `whsec_<base64>`.
 */
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** The specification's bounds on the decoded key (192 to 512 bits). */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Why `secret` is not a usable signing secret, or null when it is. */
export function webhookSecretProblem(secret: unknown): string | null {
  if (typeof secret !== 'string') return 'must be a string of the form whsec_<base64>';
  if (!secret.startsWith(SECRET_PREFIX)) return 'must start with whsec_ followed by the base64 of 24 to 64 random bytes';
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return 'the part after whsec_ must be standard base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) return `must decode to ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes, got ${bytes}`;
  return null;
}

/** The `webhook-signature` header value for one attempt. */
export function webhookSignature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The headers of one delivery attempt. The id is the same on every retry (receivers
 * deduplicate on it); the timestamp is the attempt's. Without a secret the message goes
 * unsigned: no `webhook-signature` header.
 */
export function webhookHeaders(messageId: string, body: string, secret: string | null, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
  };
  if (secret) headers['webhook-signature'] = webhookSignature(secret, messageId, timestamp, body);
  return headers;
}
