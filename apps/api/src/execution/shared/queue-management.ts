/**
 * The one way the queue-management commands on a job (priority change, hold, release) run:
 * the job must be visible in the caller's tenant and project (404 otherwise), the rules of
 * job-domain decide (409 naming the state when the job is not Queued), the answer waits for
 * the view (read-your-writes) and carries the job's status with its new place in the queue.
 */
import { Injectable, NotFoundException, Inject } from '@nestjs/common';
import { JobRepository, type CommandMetadata, type JobCommand, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from './execution.tokens.js';
import { JobEstimator, type JobEstimates } from './job-estimates.js';
import { jobStatusView, type JobStatusView } from './job-views.js';
import { ReadYourWrites } from './read-your-writes.js';

export type QueuedJobCommandResponse = JobStatusView & JobEstimates;

export interface JobScope {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string;
}

@Injectable()
export class QueuedJobCommands {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly readYourWrites: ReadYourWrites,
    private readonly estimator: JobEstimator,
  ) {}

  /** The job as the caller may see it: 404 outside its tenant and project. */
  async visibleJob(scope: JobScope): Promise<JobState> {
    const job = await this.stores.jobs.getJob(scope.tenantId, scope.projectId, scope.jobId);
    if (!job) throw new NotFoundException('Job not found');
    return job;
  }

  async run(scope: JobScope, command: JobCommand, metadata: CommandMetadata): Promise<QueuedJobCommandResponse> {
    await this.visibleJob(scope);
    // Retries: a node's claim or another operator may append first; the rules are checked again on the fresh state.
    const result = await this.repository.execute(scope.jobId, command, metadata, { retries: 5 });
    await this.readYourWrites.waitFor(result.position);
    return { ...jobStatusView(result.state), ...(await this.estimator.estimate(result.state)) };
  }
}
