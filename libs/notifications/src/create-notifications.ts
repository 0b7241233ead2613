/**
 * Job notifications of one process: the saga that queues e-mails and webhook messages,
 * and the sender that delivers them (the e-mails only when SMTP_URL is set). One process at a time runs them (the one leading the
 * `notifications` role); were two to run for a moment, the saga's checkpoint and the
 * sender's claims would still keep each e-mail to one delivery.
 */
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import type { EventStore } from '../../event-store/src/event-store.port.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobNotificationSaga, type NotificationLogger } from './job-notification-saga.js';
import type { NotificationConfig } from './notification-config.js';
import { NotificationOutbox, type NotificationDelivery } from './notification-outbox.js';
import { createSmtpTransport, NotificationSender, type MailTransport } from './notification-sender.js';
import { WebhookAddressPolicy } from './webhook-address-policy.js';
import { WebhookPoster, type ResolveHost } from './webhook-poster.js';
import { PostgresWebhookSecrets, type WebhookSecretSaver } from './webhook-secrets.js';

/** The part of the process's stores notifications need (`Stores` from open-stores fits). */
export interface NotificationDeps {
  readonly sql: SqlClient;
  readonly events: EventStore;
}

export interface Notifications extends BackgroundService {
  readonly outbox: NotificationOutbox;
  readonly saga: JobNotificationSaga;
  /** Delivers webhooks always, e-mails only with SMTP_URL (see `sender.channels`). */
  readonly sender: NotificationSender;
  /** Which webhook URLs may be called (WEBHOOK_ALLOWED_HOSTS): submissions are checked against it too. */
  readonly webhookPolicy: WebhookAddressPolicy;
  /** Where a submission stores its webhooks' signing secrets. */
  readonly webhookSecrets: WebhookSecretSaver;
  /** SLACK_WEBHOOK_URL: async operations may ask for a Slack message only when it is set. */
  readonly slackConfigured: boolean;
  /** Creates the tables (every process that reads deliveries needs them; start does it too). */
  migrate(): Promise<void>;
  /** Creates the tables, starts the saga and (with SMTP) the sender. */
  start(): Promise<void>;
  /** Stops both; resolves once sends in flight are recorded. Call before closing the stores. */
  stop(): Promise<void>;
  listForJob(tenantId: string, projectId: string, jobId: string): Promise<NotificationDelivery[]>;
}

export function createNotifications(
  deps: NotificationDeps,
  config: NotificationConfig,
  options: { logger?: NotificationLogger; transport?: MailTransport; resolveHost?: ResolveHost } = {},
): Notifications {
  const logger = options.logger ?? console;
  const outbox = new NotificationOutbox(deps.sql);
  const transport = options.transport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : null);
  // The saga and the sender run together (one role): what the saga queues, the sender sends at once.
  const saga = new JobNotificationSaga(deps.events, outbox, {
    publicBaseUrl: config.publicBaseUrl, logger, onQueued: () => sender?.wake(),
    slackWebhookUrl: config.slackWebhookUrl, progressCallbackSeconds: config.operationProgressCallbackSeconds,
  });
  const webhookPolicy = new WebhookAddressPolicy(config.webhookAllowedHosts);
  const webhookSecrets = new PostgresWebhookSecrets(deps.sql);
  const sender = new NotificationSender(outbox, transport, {
    from: config.smtpFrom, intervalMs: config.sendIntervalMs, maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs, retryMaxMs: config.retryMaxMs, claimLeaseMs: config.claimLeaseMs, logger,
    webhooks: { poster: new WebhookPoster(webhookPolicy, config.webhookTimeoutMs, options.resolveHost), secrets: webhookSecrets },
  });
  let started = false;
  return {
    name: 'job notifications',
    outbox, saga, sender, webhookPolicy, webhookSecrets, slackConfigured: config.slackWebhookUrl !== null,
    migrate: () => outbox.migrate(),
    async start() {
      if (started) return;
      await outbox.migrate();
      await saga.start();
      started = true;
      sender.start();
      if (!transport) logger.log('job notification e-mails are queued but not sent: SMTP_URL is unset');
    },
    async stop() {
      if (!started) return;
      started = false;
      await Promise.all([saga.stop(), sender.stop()]);
      transport?.close();
    },
    listForJob: (tenantId, projectId, jobId) => outbox.listForJob(tenantId, projectId, jobId),
  };
}
