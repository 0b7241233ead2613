/**
 * The `notifications.webhooks` of a submitted job: each entry `{url, secret?}`, checked
 * field by field so a 400 names `notifications.webhooks[i].url` or `.secret`.
 */
import type { WebhookAddressPolicy } from './webhook-address-policy.js';
import { webhookSecretProblem } from './webhook-signing.js';

export const MAX_WEBHOOKS_PER_JOB = 10;
const MAX_URL_LENGTH = 2000;
const KNOWN_FIELDS = new Set(['url', 'secret']);

export interface SubmittedWebhook {
  readonly url: string;
  readonly secret: string | null;
}

export interface WebhookFieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The webhooks as submitted (an absent list is none), or the problems of every bad field. */
export function readSubmittedWebhooks(
  value: unknown, policy: WebhookAddressPolicy, path = 'notifications.webhooks',
): { webhooks: SubmittedWebhook[]; problems: WebhookFieldProblem[] } {
  const problems: WebhookFieldProblem[] = [];
  const webhooks: SubmittedWebhook[] = [];
  if (value === undefined || value === null) return { webhooks, problems };
  if (!Array.isArray(value)) return { webhooks, problems: [{ field: path, message: 'must be an array of {url, secret?}' }] };
  if (value.length > MAX_WEBHOOKS_PER_JOB) return { webhooks, problems: [{ field: path, message: `must have at most ${MAX_WEBHOOKS_PER_JOB} entries` }] };
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ field: at, message: 'must be an object {url, secret?}' });
      return;
    }
    const fields = entry as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!KNOWN_FIELDS.has(key)) problems.push({ field: `${at}.${key}`, message: 'is not a webhook field (url, secret)' });
    const { url, secret } = fields;
    let urlOk = false;
    if (typeof url !== 'string' || url.trim() === '') problems.push({ field: `${at}.url`, message: 'must be an http:// or https:// URL' });
    else if (url.length > MAX_URL_LENGTH) problems.push({ field: `${at}.url`, message: `must be at most ${MAX_URL_LENGTH} characters` });
    else {
      const problem = policy.urlProblem(url.trim());
      if (problem) problems.push({ field: `${at}.url`, message: problem });
      else if (seen.has(new URL(url.trim()).href)) problems.push({ field: `${at}.url`, message: 'is listed twice' });
      else urlOk = true;
    }
    const secretGiven = secret !== undefined && secret !== null;
    const secretProblem = secretGiven ? webhookSecretProblem(secret) : null;
    // The message names the rule, never the value: a secret is not echoed back.
    if (secretProblem) problems.push({ field: `${at}.secret`, message: secretProblem });
    if (urlOk && !secretProblem) {
      const href = new URL((url as string).trim()).href;
      seen.add(href);
      webhooks.push({ url: href, secret: secretGiven ? (secret as string) : null });
    }
  });
  return { webhooks: problems.length ? [] : webhooks, problems };
}
