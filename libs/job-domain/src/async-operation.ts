/**
 * An async operation is a job: its id is `op-<id of its first job>`, and its state is the
 * state of its current attempt (the last job of the retry chain). These pure rules turn a
 * job's state into the operation's status; the API and the callbacks both use them.
 */
import { inferredFailure } from './job-failure.js';
import type { JobState } from './job.state.js';

export const OPERATION_STATUSES = ['Initiated', 'Running', 'Retrying', 'Completed', 'Failed', 'Cancelled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

const OPERATION_ID = /^op-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function operationIdOf(jobId: string): string {
  return `op-${jobId}`;
}

/** The first job of the operation, or null when `operationId` is not of the form op-<guid>. */
export function jobIdOfOperation(operationId: string): string | null {
  const match = OPERATION_ID.exec(operationId);
  return match ? match[1].toLowerCase() : null;
}

/**
 * A failed attempt that the automatic retries will retry: retryable, attempts left, not
 * dead-lettered. Known from the failure itself, before the retry is even scheduled, so the
 * operation never shows Failed (nor calls onError) for an attempt that is followed by another.
 */
export function retryFollows(job: JobState): boolean {
  if (job.status !== 'Failed' || !job.failure) return false;
  if (job.retriedBy || job.nextRetryAt) return true;
  if (job.deadLettered || job.scheduling.maxAttempts === undefined || job.attempt >= job.scheduling.maxAttempts) return false;
  return job.failure.retryable ?? inferredFailure(job.failure.errorType).retryable;
}

/** The operation's status from its current attempt. */
export function operationStatusOf(current: JobState): OperationStatus {
  switch (current.status) {
    case 'Queued': return current.attempt > 1 ? 'Retrying' : 'Initiated';
    case 'Running': return 'Running';
    case 'Completed': return 'Completed';
    case 'Cancelled': return 'Cancelled';
    case 'Failed': return retryFollows(current) ? 'Retrying' : 'Failed';
  }
}

/** Whether the operation has ended with this attempt (nothing follows it). */
export function operationEnded(current: JobState): boolean {
  const status = operationStatusOf(current);
  return status === 'Completed' || status === 'Failed' || status === 'Cancelled';
}
