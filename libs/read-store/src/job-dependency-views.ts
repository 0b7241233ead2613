/**
 * What the pipelines read: the queued jobs that wait for a given job, and every waiting job
 * (the sweep after a start). Which dependencies a job still waits for lives in its view
 * (`waitingFor`, written from its events), so every process may stop and none is lost.
 */
import type { JobState } from '../../job-domain/src/index.js';

export interface JobDependencyViews {
  /** Queued jobs whose `waitingFor` lists `jobId`. */
  waitingDependents(jobId: string): Promise<JobState[]>;
  /** Queued jobs waiting for any dependency, by job id after `afterJobId` (null: from the first), at most `limit`. */
  waitingJobs(afterJobId: string | null, limit: number): Promise<JobState[]>;
}
