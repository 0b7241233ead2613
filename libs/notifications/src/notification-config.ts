/**
 * Notification settings, read once from the environment. Without SMTP_URL the saga
 * still queues every e-mail a job asks for; they go out once a sender with SMTP runs.
 */
import os from 'node:os';

export interface NotificationConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; null = queue only, send nothing. */
  readonly smtpUrl: string | null;
  /** The From header. */
  readonly smtpFrom: string;
  /** Prefix of the results link in messages, e.g. https://mining.example.com. */
  readonly publicBaseUrl: string | null;
  readonly sendIntervalMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly claimLeaseMs: number;
  /** WEBHOOK_ALLOWED_HOSTS as given (see WebhookAddressPolicy); null = any public address. */
  readonly webhookAllowedHosts: string | null;
  /** Deadline of one webhook POST, answer included. */
  readonly webhookTimeoutMs: number;
  /** Slack incoming webhook that async operations' `notifications.slack` messages go to; null = such a request is a 400. */
  readonly slackWebhookUrl: string | null;
  /** An async operation's onProgress callback is posted at most once per window of this many seconds of its run. */
  readonly operationProgressCallbackSeconds: number;
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum) throw new Error(`${name} must be a number >= ${minimum}, got "${raw}"`);
  return value;
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  return {
    smtpUrl: env.SMTP_URL || null,
    smtpFrom: env.SMTP_FROM || `Job execution <no-reply@${os.hostname()}>`,
    publicBaseUrl: env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, '') : null,
    sendIntervalMs: numberFromEnv(env, 'NOTIFICATION_SEND_INTERVAL_MS', 30_000, 10),
    maxAttempts: numberFromEnv(env, 'NOTIFICATION_MAX_ATTEMPTS', 8, 1),
    retryBaseMs: numberFromEnv(env, 'NOTIFICATION_RETRY_BASE_MS', 30_000, 0),
    retryMaxMs: numberFromEnv(env, 'NOTIFICATION_RETRY_MAX_MS', 3_600_000, 0),
    claimLeaseMs: numberFromEnv(env, 'NOTIFICATION_CLAIM_LEASE_MS', 300_000, 1000),
    webhookAllowedHosts: env.WEBHOOK_ALLOWED_HOSTS?.trim() || null,
    webhookTimeoutMs: numberFromEnv(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100),
    slackWebhookUrl: slackWebhookUrlFromEnv(env),
    operationProgressCallbackSeconds: numberFromEnv(env, 'OPERATION_PROGRESS_CALLBACK_SECONDS', 30, 1),
  };
}

function slackWebhookUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const raw = env.SLACK_WEBHOOK_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('SLACK_WEBHOOK_URL must be an http:// or https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('SLACK_WEBHOOK_URL must be an http:// or https:// URL');
  return url.href;
}
