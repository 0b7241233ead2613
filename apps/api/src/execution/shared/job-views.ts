/**
 * Job documents (JobState) as the reference API shows them. Every figure is derived
 * from recorded events: elapsed time from the start event, rates from processed
 * records over elapsed time, ETA by extrapolating measured progress, usage as the
 * node measured it. Prose values sit beside their machine-readable siblings.
 */
import { inferredFailure, type JobState } from '../../../../../libs/job-domain/src/index.js';
import { formatBytes, formatDuration, formatElapsed, formatPercent, formatRate } from '../../../../../libs/human-format/src/human-format.js';
import { notificationSettingsView } from './notification-views.js';

function elapsedSeconds(job: JobState, now: Date): number | null {
  if (!job.startedAt) return null;
  const end = job.endedAt ? Date.parse(job.endedAt) : now.getTime();
  return Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
}

/** ETA: time so far scaled by the share of work left; only while running with some progress. */
function estimatedRemainingSeconds(job: JobState, elapsed: number | null): number | null {
  const pct = job.progress.percentage;
  if (job.status !== 'Running' || elapsed === null || pct <= 0 || pct >= 100) return null;
  return (elapsed * (100 - pct)) / pct;
}

export function jobStatusView(job: JobState, now = new Date()) {
  const elapsed = elapsedSeconds(job, now);
  const remaining = estimatedRemainingSeconds(job, elapsed);
  const recordsPerSecond = elapsed && elapsed > 0 ? job.progress.recordsProcessed / elapsed : null;
  const usage = job.usage;
  return {
    jobId: job.jobId,
    projectId: job.projectId,
    jobType: job.jobType,
    jobName: job.jobName,
    jobDescription: job.jobDescription,
    status: job.status,
    priority: job.priority,
    progress: {
      percentage: Math.round(job.progress.percentage * 10) / 10,
      currentStage: job.progress.currentStage,
      estimatedCompletion:
        job.status === 'Completed' ? job.endedAt : remaining !== null ? new Date(now.getTime() + remaining * 1000).toISOString() : null,
      elapsedTime: elapsed === null ? null : formatElapsed(elapsed),
      elapsedSeconds: elapsed === null ? null : Math.round(elapsed * 1000) / 1000,
      estimatedRemainingSeconds: remaining === null ? null : Math.round(remaining),
    },
    resource: job.resource
      ? { resourceType: job.resource.resourceType, resourceId: job.resource.resourceId, resourceName: job.resource.resourceName ?? null }
      : null,
    execution: {
      startTime: job.startedAt,
      endTime: job.endedAt,
      submittedBy: job.submittedBy,
      executionNode: job.nodeId,
      memoryUsage: usage?.memoryBytes != null ? formatBytes(usage.memoryBytes) : null,
      memoryBytes: usage?.memoryBytes ?? null,
      peakMemoryBytes: job.peakMemoryBytes || null,
      cpuUsage: usage?.cpuPercent != null ? formatPercent(usage.cpuPercent) : null,
      cpuPercent: usage?.cpuPercent != null ? Math.round(usage.cpuPercent * 10) / 10 : null,
      diskUsage: usage ? formatBytes(usage.diskBytes) : null,
      diskBytes: usage?.diskBytes ?? null,
    },
    metrics: {
      recordsProcessed: job.progress.recordsProcessed,
      totalRecords: job.progress.totalRecords,
      errorCount: job.progress.errorCount,
      warningCount: job.progress.warningCount,
      averageProcessingRate: recordsPerSecond === null ? null : formatRate(recordsPerSecond),
      recordsPerSecond: recordsPerSecond === null ? null : Math.round(recordsPerSecond * 10) / 10,
    },
    // Jobs submitted before automatic retries made one attempt only.
    scheduling: { ...job.scheduling, maxAttempts: job.scheduling.maxAttempts ?? 1 },
    notifications: notificationSettingsView(job.notifications),
    parameters: job.parameters,
    retryOf: job.retryOf,
    attempt: job.attempt,
    retriedBy: job.retriedBy,
    scheduleId: job.schedule?.scheduleId ?? null,
    scheduleFireTime: job.schedule?.fireTime ?? null,
    cancellation: job.cancellation,
    error: job.failure ? { type: job.failure.errorType, message: job.failure.message } : null,
    failure: job.failure ? failureView(job.failure) : null,
    nextRetryAt: job.nextRetryAt ?? null,
    retriedAs: job.retriedBy,
    deadLettered: Boolean(job.deadLettered),
    deadLetterReason: job.deadLettered?.reason ?? null,
    hold: job.hold ?? null,
    dependsOn: job.dependsOn?.length ? [...job.dependsOn] : null,
    waitingFor: waitingForView(job),
    dateCreated: job.submittedAt,
    lastUpdated: job.lastUpdated,
  };
}

function failureView(failure: NonNullable<JobState['failure']>) {
  const inferred = failure.category === undefined ? inferredFailure(failure.errorType) : null;
  return {
    errorType: failure.errorType,
    message: failure.message,
    category: failure.category ?? inferred!.category,
    retryable: failure.retryable ?? inferred!.retryable,
  };
}

export function jobListItemView(job: JobState, now = new Date()) {
  const status = jobStatusView(job, now);
  const duration = job.endedAt && job.startedAt ? (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000 : null;
  return {
    jobId: job.jobId,
    jobType: job.jobType,
    jobName: job.jobName,
    status: job.status,
    priority: job.priority,
    progress: status.progress.percentage,
    startTime: job.startedAt,
    endTime: job.endedAt,
    duration: duration === null ? null : formatDuration(duration),
    durationSeconds: duration,
    estimatedCompletion: status.progress.estimatedCompletion,
    submittedBy: job.submittedBy,
    resourceName: job.resource?.resourceName ?? null,
    dateCreated: job.submittedAt,
    retryOf: job.retryOf,
    attempt: job.attempt,
    nextRetryAt: job.nextRetryAt ?? null,
    retriedAs: job.retriedBy,
    deadLettered: Boolean(job.deadLettered),
    waitingFor: waitingForView(job),
  };
}

/** What the job still waits for (pipelines); null for a job without dependencies. */
export function waitingForView(job: Pick<JobState, 'waitingFor'>): string[] | null {
  return job.waitingFor ? [...job.waitingFor] : null;
}

export type JobStatusView = ReturnType<typeof jobStatusView>;
export type JobListItemView = ReturnType<typeof jobListItemView>;
