import { BadRequestException } from '@nestjs/common';
import type { JobWebhook } from '../../../../../libs/job-domain/src/index.js';
import { readSubmittedWebhooks, type Notifications } from '../../../../../libs/notifications/src/index.js';

/**
 * The submission's webhooks as the job's events record them: URL and a reference to the
 * stored secret. A 400 names each bad `notifications.webhooks[i]` field.
 */
export async function submittedWebhooks(
  notifications: Pick<Notifications, 'webhookPolicy' | 'webhookSecrets'>, tenantId: string, value: unknown,
): Promise<JobWebhook[]> {
  const { webhooks, problems } = readSubmittedWebhooks(value, notifications.webhookPolicy);
  if (problems.length > 0) throw new BadRequestException({ message: 'Validation failed', errors: problems });
  const recorded: JobWebhook[] = [];
  for (const webhook of webhooks) {
    recorded.push({ url: webhook.url, secretRef: webhook.secret ? await notifications.webhookSecrets.save(tenantId, webhook.secret) : null });
  }
  return recorded;
}
