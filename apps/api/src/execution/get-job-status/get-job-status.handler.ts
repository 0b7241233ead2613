import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobStatusView, type JobStatusView } from '../shared/job-views.js';
import { GetJobStatusQuery } from './get-job-status.query.js';

@QueryHandler(GetJobStatusQuery)
export class GetJobStatusHandler implements IQueryHandler<GetJobStatusQuery, JobStatusView> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async execute(query: GetJobStatusQuery): Promise<JobStatusView> {
    const job = await this.stores.jobs.getJob(query.tenantId, query.projectId, query.jobId);
    if (!job) throw new NotFoundException('Job not found');
    return jobStatusView(job);
  }
}
