/**
 * What the automatic retries read: the failed jobs whose retry is due, when the next one is,
 * and how many jobs ended in the dead letters. The due times live in the jobs' views (written
 * from JobRetryScheduled), so every process may stop and none is lost.
 */
import type { JobState } from '../../job-domain/src/index.js';

export interface JobRetryViews {
  /** Failed jobs whose automatic retry is due at `now` (nextRetryAt ≤ now), earliest first, at most `limit`. */
  dueRetries(now: Date, limit: number): Promise<JobState[]>;
  /** The earliest due time of a scheduled automatic retry; null when none is scheduled. */
  nextRetryDue(): Promise<Date | null>;
  /** The tenant's dead-lettered jobs. */
  countDeadLettered(tenantId: string): Promise<number>;
}
