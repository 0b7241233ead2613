/**
 * What a webhook posts when a job ends: `{type, timestamp, data}`, built from the job as
 * of its terminal event, once, when the message is queued: every attempt (and a replay of
 * the event) posts the same bytes under the same `webhook-id`.
 */
import type { JobState } from '../../job-domain/src/index.js';
import type { NotificationKind, QueuedNotification } from './notification-outbox.js';
import { resultsUrl } from './job-notification-message.js';

export type WebhookEventType = 'job.completed' | 'job.failed' | 'job.cancelled';

/** The kinds of a job's end (progress is an async operation's callback only). */
type EndKind = Exclude<NotificationKind, 'progress'>;

const KIND_OF_STATUS: Partial<Record<JobState['status'], EndKind>> = {
  Completed: 'completed', Failed: 'failed', Cancelled: 'cancelled',
};

export interface WebhookPayload {
  readonly type: WebhookEventType;
  /** When the job ended (the terminal event's time). */
  readonly timestamp: string;
  readonly data: {
    readonly tenantId: string;
    readonly projectId: string;
    readonly jobId: string;
    readonly jobName: string;
    readonly jobType: string;
    readonly status: string;
    readonly priority: string;
    readonly submittedBy: string;
    readonly submittedAt: string;
    readonly startedAt: string | null;
    readonly endedAt: string | null;
    /** Between start and end; null for a job that never started. */
    readonly durationSeconds: number | null;
    readonly recordsProcessed: number;
    readonly totalRecords: number | null;
    readonly attempt: number;
    readonly retryOf: string | null;
    readonly resultsUrl: string;
    /** Failed jobs only. */
    readonly error: { readonly type: string; readonly message: string } | null;
    /** Cancelled jobs only. */
    readonly cancellation: { readonly reason: string | null; readonly requestedAt: string } | null;
  };
}

/** One message per webhook of a job that has ended; none for a job still running or without webhooks. */
export function webhookNotificationsFor(job: JobState, publicBaseUrl: string | null): QueuedNotification[] {
  const kind = KIND_OF_STATUS[job.status];
  const webhooks = job.notifications.webhooks ?? [];
  if (!kind || webhooks.length === 0) return [];
  const payload = webhookPayload(job, kind, publicBaseUrl);
  const body = JSON.stringify(payload);
  return webhooks.map((webhook) => ({
    tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, kind,
    channel: 'webhook' as const, target: webhook.url, secretRef: webhook.secretRef, recipients: [], subject: payload.type, body,
  }));
}

export function webhookPayload(job: JobState, kind: EndKind, publicBaseUrl: string | null): WebhookPayload {
  const duration = job.startedAt && job.endedAt ? (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000 : null;
  return {
    type: `job.${kind}`,
    timestamp: job.endedAt ?? job.lastUpdated,
    data: {
      tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, jobName: job.jobName, jobType: job.jobType,
      status: job.status, priority: job.priority, submittedBy: job.submittedBy, submittedAt: job.submittedAt,
      startedAt: job.startedAt, endedAt: job.endedAt,
      durationSeconds: duration !== null && Number.isFinite(duration) ? duration : null,
      recordsProcessed: job.progress.recordsProcessed, totalRecords: job.progress.totalRecords,
      attempt: job.attempt, retryOf: job.retryOf,
      resultsUrl: resultsUrl(job, publicBaseUrl),
      error: kind === 'failed' && job.failure ? { type: job.failure.errorType, message: job.failure.message } : null,
      cancellation: kind === 'cancelled' && job.cancellation
        ? { reason: job.cancellation.reason, requestedAt: job.cancellation.requestedAt } : null,
    },
  };
}
