import { createHash } from 'node:crypto';
/** Enumerations of the reference API: every value here is a contract with existing clients. */
export const JOB_STATUSES = ['Queued', 'Running', 'Completed', 'Failed', 'Cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_TYPES = ['ProcessMining', 'DataEnrichment', 'Notebook', 'Analysis'] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** Lowest first; the index is the priority's rank. */
export const JOB_PRIORITIES = ['Low', 'Normal', 'High', 'Critical'] as const;
export type JobPriority = (typeof JOB_PRIORITIES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['Completed', 'Failed', 'Cancelled'];

export function priorityRank(priority: JobPriority): number {
  return JOB_PRIORITIES.indexOf(priority);
}

export function jobStreamId(jobId: string): string {
  return `job-${jobId}`;
}

/**
 * A UUID-shaped id derived from its parts, for things that must be idempotent: the same
 * submit key or the same retry of the same job revision names the same job; the same
 * command appended again at the same revision carries the same event ids.
 */
export function derivedUuid(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
