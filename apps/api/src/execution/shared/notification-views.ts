/**
 * A job's notification settings and their deliveries as the API shows them. Webhook
 * secrets never appear: a webhook shows its URL and whether its messages are signed.
 */
import type { JobNotifications, OperationCallbacks } from '../../../../../libs/job-domain/src/index.js';
import type { NotificationDelivery } from '../../../../../libs/notifications/src/index.js';

export function notificationSettingsView(notifications: JobNotifications) {
  const { webhooks, callbacks, ...rest } = notifications;
  return {
    ...rest,
    onCancellation: notifications.onCancellation ?? false,
    webhooks: (webhooks ?? []).map((w) => ({ url: w.url, secretSet: w.secretRef !== null })),
    ...(callbacks ? { callbacks: operationCallbacksView(callbacks) } : {}),
  };
}

/** An async operation's callback URLs and whether they are signed (never the secret). */
export function operationCallbacksView(callbacks: OperationCallbacks) {
  return {
    onProgress: callbacks.onProgress, onCompletion: callbacks.onCompletion, onError: callbacks.onError, secretSet: callbacks.secretRef !== null,
  };
}

/** One outbox row: the channel, what it goes to, and how its attempts went. */
export function notificationDeliveryView(d: NotificationDelivery) {
  return {
    channel: d.channel,
    /** The webhook or callback URL; null for an e-mail (see recipientCount) and for Slack (its URL is a credential). */
    target: d.channel === 'webhook' || d.channel === 'callback' ? d.target : null,
    recipientCount: d.channel === 'email' ? d.recipients.length : null,
    signed: d.channel === 'webhook' || d.channel === 'callback' ? d.signed : null,
    event: d.channel === 'callback' ? `operation.${d.kind}` : d.channel === 'slack' ? `slack.${d.kind}` : `job.${d.kind}`,
    status: d.status === 'sent' ? 'delivered' : d.status,
    attempts: d.attempts,
    deliveredAt: d.sentAt,
    lastAttemptAt: d.lastAttemptAt,
    lastResponseStatus: d.lastResponseStatus,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    attemptLog: d.attemptLog,
  };
}
