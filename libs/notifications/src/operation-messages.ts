/**
 * What an async operation's callbacks and its Slack message say. Built from the attempt's
 * state as of the event (a replay builds the same bytes), once, when the row is queued.
 *
 * - onProgress: `operation.progress`, at most one per progress window of the attempt's run
 *   (the outbox keeps one row per window), plus a final one when the operation ends.
 * - onCompletion: `operation.completed`.
 * - onError: `operation.failed` (only once no retry follows) and `operation.cancelled`.
 */
import {
  operationEnded, operationStatusOf, type JobState, type OperationStatus,
} from '../../job-domain/src/index.js';
import { resultsUrl } from './job-notification-message.js';
import type { NotificationKind, QueuedNotification } from './notification-outbox.js';

export type OperationEventType = 'operation.progress' | 'operation.completed' | 'operation.failed' | 'operation.cancelled';

export interface OperationCallbackPayload {
  readonly type: OperationEventType;
  /** The progress report's time, or when the attempt ended. */
  readonly timestamp: string;
  readonly data: {
    readonly operationId: string;
    readonly operationType: string;
    readonly operationName: string;
    readonly status: OperationStatus;
    readonly tenantId: string;
    readonly projectId: string;
    /** The current attempt's job. */
    readonly jobId: string;
    readonly attempt: number;
    readonly maxAttempts: number;
    readonly progress: {
      readonly percentage: number;
      readonly currentStage: string;
      readonly recordsProcessed: number;
      readonly totalRecords: number | null;
    };
    readonly trackingUrl: string;
    /** Completed operations only. */
    readonly resultsUrl: string | null;
    readonly error: { readonly type: string; readonly message: string } | null;
  };
}

/** The tracking URL of an operation (prefixed by PUBLIC_BASE_URL when set). */
export function operationTrackingUrl(job: Pick<JobState, 'tenantId' | 'projectId'>, operationId: string, publicBaseUrl: string | null): string {
  const path = `/api/${job.tenantId}/${job.projectId}/async/operation/${operationId}`;
  return publicBaseUrl ? `${publicBaseUrl.replace(/\/+$/, '')}${path}` : path;
}

const END_KINDS: Partial<Record<OperationStatus, NotificationKind>> = { Completed: 'completed', Failed: 'failed', Cancelled: 'cancelled' };

/** The onProgress row for a progress report in window `window` (≥ 1, numbered by the saga) of the attempt's run; none without onProgress. */
export function operationProgressNotification(job: JobState, window: number, publicBaseUrl: string | null): QueuedNotification | null {
  const url = job.notifications.callbacks?.onProgress;
  if (!job.operation || !url) return null;
  return callbackRow(job, 'progress', url, payload(job, 'operation.progress', job.progress.reportedAt ?? job.lastUpdated, publicBaseUrl), window);
}

/**
 * The rows of an attempt that has ended: if the operation ended with it, the final progress,
 * onCompletion or onError, and the Slack message; nothing when a retry follows.
 */
export function operationEndNotifications(
  job: JobState, publicBaseUrl: string | null, slackWebhookUrl: string | null,
): QueuedNotification[] {
  if (!job.operation || !operationEnded(job)) return [];
  const kind = END_KINDS[operationStatusOf(job)]!;
  const callbacks = job.notifications.callbacks;
  const at = job.endedAt ?? job.lastUpdated;
  const rows: QueuedNotification[] = [];
  if (callbacks?.onProgress) rows.push(callbackRow(job, 'progress', callbacks.onProgress, payload(job, 'operation.progress', at, publicBaseUrl), 0));
  const endUrl = kind === 'completed' ? callbacks?.onCompletion : callbacks?.onError;
  if (endUrl) rows.push(callbackRow(job, kind, endUrl, payload(job, `operation.${kind}` as OperationEventType, at, publicBaseUrl), 0));
  const slack = job.notifications.slack;
  if (slack && slackWebhookUrl) {
    rows.push({
      tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, kind, channel: 'slack', target: slackWebhookUrl,
      secretRef: null, recipients: [], subject: `slack.${kind}`, body: JSON.stringify(slackMessage(job, kind, publicBaseUrl)),
    });
  }
  return rows;
}

function callbackRow(job: JobState, kind: NotificationKind, url: string, body: OperationCallbackPayload, sequence: number): QueuedNotification {
  return {
    tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, kind, channel: 'callback', target: url,
    secretRef: job.notifications.callbacks?.secretRef ?? null, sequence, recipients: [], subject: body.type, body: JSON.stringify(body),
  };
}

function payload(job: JobState, type: OperationEventType, timestamp: string, publicBaseUrl: string | null): OperationCallbackPayload {
  const operation = job.operation!;
  const status = operationStatusOf(job);
  return {
    type,
    timestamp,
    data: {
      operationId: operation.operationId, operationType: operation.operationType, operationName: job.jobName, status,
      tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, attempt: job.attempt,
      maxAttempts: job.scheduling.maxAttempts ?? 1,
      progress: {
        percentage: Math.round(job.progress.percentage * 10) / 10, currentStage: job.progress.currentStage,
        recordsProcessed: job.progress.recordsProcessed, totalRecords: job.progress.totalRecords,
      },
      trackingUrl: operationTrackingUrl(job, operation.operationId, publicBaseUrl),
      resultsUrl: status === 'Completed' ? resultsUrl(job, publicBaseUrl) : null,
      error: status === 'Failed' && job.failure ? { type: job.failure.errorType, message: job.failure.message } : null,
    },
  };
}

/** Slack user ids (U…, W…) become mentions; other names are sent as @name (Slack links them with link_names). */
function mention(user: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : `@${user.replace(/^@/, '')}`;
}

/** An incoming-webhook message: `channel` only when one was asked for (newer Slack apps post to their own channel). */
export function slackMessage(job: JobState, kind: NotificationKind, publicBaseUrl: string | null): Record<string, unknown> {
  const slack = job.notifications.slack!;
  const operation = job.operation!;
  const outcome = kind === 'completed' ? 'completed' : kind === 'failed' ? 'failed' : 'was cancelled';
  const mentions = slack.mentionUsers.map(mention).join(' ');
  const lines = [
    `${mentions ? `${mentions} ` : ''}Operation "${job.jobName}" (${operation.operationType}, ${operation.operationId}) ${outcome} after ${job.attempt} attempt(s).`,
    ...(kind === 'failed' && job.failure ? [`Error (${job.failure.errorType}): ${job.failure.message}`] : []),
    ...(kind === 'completed' ? [`Results: ${resultsUrl(job, publicBaseUrl)}`] : []),
    `Tracking: ${operationTrackingUrl(job, operation.operationId, publicBaseUrl)}`,
  ];
  return { ...(slack.channel ? { channel: slack.channel } : {}), text: lines.join('\n'), link_names: true };
}
