/**
 * What a job notification says: built from the job's state as of its terminal event,
 * so a replay of the same event builds the same message.
 */
import type { JobState } from '../../job-domain/src/index.js';
import type { NotificationKind, QueuedNotification } from './notification-outbox.js';
import { formatElapsed } from '../../human-format/src/human-format.js';
import { webhookNotificationsFor } from './webhook-message.js';

/** Every notification a terminal job asks for: its e-mail (if any) and one message per webhook. */
export function notificationsFor(job: JobState, publicBaseUrl: string | null): QueuedNotification[] {
  const email = notificationFor(job, publicBaseUrl);
  return [...(email ? [email] : []), ...webhookNotificationsFor(job, publicBaseUrl)];
}

/** The e-mail a terminal job asks for, or null (flag off, no recipients, other outcome). */
export function notificationFor(job: JobState, publicBaseUrl: string | null): QueuedNotification | null {
  const kind: NotificationKind | null =
    job.status === 'Completed' && job.notifications.onCompletion ? 'completed'
      : job.status === 'Failed' && job.notifications.onFailure ? 'failed'
        : job.status === 'Cancelled' && job.notifications.onCancellation === true ? 'cancelled'
          : null;
  if (!kind) return null;
  const recipients = normalizedRecipients(job.notifications.emailRecipients);
  if (recipients.length === 0) return null;
  return {
    tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, kind, recipients,
    subject: `Job "${job.jobName}" ${kind}`,
    body: notificationBody(job, kind, publicBaseUrl),
  };
}

/** Trimmed, without empties and duplicates (case-insensitive), first spelling kept. */
export function normalizedRecipients(recipients: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of recipients) {
    const address = raw.trim();
    if (!address || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    result.push(address);
  }
  return result;
}

export function resultsUrl(job: Pick<JobState, 'tenantId' | 'projectId' | 'jobId'>, publicBaseUrl: string | null): string {
  const path = `/api/${job.tenantId}/${job.projectId}/execution/job/${job.jobId}/results`;
  return publicBaseUrl ? `${publicBaseUrl.replace(/\/+$/, '')}${path}` : path;
}

function notificationBody(job: JobState, kind: NotificationKind, publicBaseUrl: string | null): string {
  const lines: [string, string][] = [
    ['Job ID', job.jobId],
    ['Job name', job.jobName],
    ['Job type', job.jobType],
    ['Status', job.status],
    ['Priority', job.priority],
    ['Submitted by', job.submittedBy],
    ['Submitted at', job.submittedAt],
  ];
  if (job.startedAt) lines.push(['Started at', job.startedAt]);
  if (job.endedAt) lines.push([kind === 'completed' ? 'Completed at' : kind === 'failed' ? 'Failed at' : 'Cancelled at', job.endedAt]);
  const durationSeconds = job.startedAt && job.endedAt ? (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000 : null;
  if (durationSeconds !== null && Number.isFinite(durationSeconds)) lines.push(['Duration', formatElapsed(durationSeconds)]);
  const { recordsProcessed, totalRecords } = job.progress;
  lines.push(['Records processed', totalRecords === null ? String(recordsProcessed) : `${recordsProcessed} of ${totalRecords}`]);
  if (kind === 'failed' && job.failure) {
    lines.push(['Error type', job.failure.errorType]);
    lines.push(['Error', job.failure.message]);
  }
  if (kind === 'cancelled' && job.cancellation?.reason) lines.push(['Reason', job.cancellation.reason]);
  lines.push(['Results', resultsUrl(job, publicBaseUrl)]);
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  const headline = kind === 'completed'
    ? `The job "${job.jobName}" completed.`
    : kind === 'failed' ? `The job "${job.jobName}" failed.` : `The job "${job.jobName}" was cancelled.`;
  return [headline, '', ...lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`), ''].join('\n');
}
