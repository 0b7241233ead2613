/**
 * What one feed reader may see and asked for: always one tenant's project, optionally one
 * job, one job type and some event types. The same test runs on live events in memory and,
 * as SQL, on catch-up reads (postgres-feed-reads.ts).
 */
import type { RecordedEvent } from '../../event-store/src/event-store.port.js';
import { JOB_EVENT_TYPES, PROJECT_QUEUE_EVENT_TYPES, type JobType } from '../../job-domain/src/index.js';

export const FEED_EVENT_TYPES: readonly string[] = [...JOB_EVENT_TYPES, ...PROJECT_QUEUE_EVENT_TYPES];

const JOB_STREAM_PREFIX = 'job-';

export interface FeedFilter {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string | null;
  readonly jobType: JobType | null;
  /** null: every type. */
  readonly eventTypes: readonly string[] | null;
}

/** The job a stream belongs to, or null for a stream that is not a job's (a project queue's). */
export function jobIdOfStream(streamId: string): string | null {
  return streamId.startsWith(JOB_STREAM_PREFIX) ? streamId.slice(JOB_STREAM_PREFIX.length) : null;
}

/** `jobTypeOf` answers for job streams when `filter.jobType` is set (the hub learns them before fanning out). */
export function matchesFilter(event: RecordedEvent, filter: FeedFilter, jobTypeOf: (jobId: string) => string | undefined): boolean {
  if (event.metadata.tenantId !== filter.tenantId || event.metadata.projectId !== filter.projectId) return false;
  if (filter.eventTypes !== null && !filter.eventTypes.includes(event.type)) return false;
  if (filter.jobId === null && filter.jobType === null) return true;
  const jobId = jobIdOfStream(event.streamId);
  if (jobId === null) return false;
  if (filter.jobId !== null && jobId !== filter.jobId) return false;
  return filter.jobType === null || jobTypeOf(jobId) === filter.jobType;
}
