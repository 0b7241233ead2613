import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { parseApiDate } from '../../http/api-dates.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobListItemView } from '../shared/job-views.js';
import { ListJobsQuery } from './list-jobs.query.js';

@QueryHandler(ListJobsQuery)
export class ListJobsHandler implements IQueryHandler<ListJobsQuery> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async execute(query: ListJobsQuery) {
    const r = query.request;
    const page = r.page ?? 1;
    const pageSize = r.pageSize ?? 20;
    const result = await this.stores.jobs.listJobs(
      {
        tenantId: query.tenantId, projectId: query.projectId, status: r.status, jobType: r.jobType, priority: r.priority,
        submittedBy: r.submittedBy, dateFrom: r.dateFrom ? parseApiDate(r.dateFrom) : undefined,
        dateTo: r.dateTo ? parseApiDate(r.dateTo, 'end of day') : undefined,
        deadLettered: r.deadLettered === undefined ? undefined : r.deadLettered === 'true',
      },
      { offset: (page - 1) * pageSize, limit: pageSize },
    );
    const now = new Date();
    const c = result.countsByStatus;
    return {
      jobs: result.jobs.map((job) => jobListItemView(job, now)),
      summary: {
        totalJobs: result.totalJobs,
        runningJobs: c.Running,
        queuedJobs: c.Queued,
        completedJobs: c.Completed,
        failedJobs: c.Failed,
        cancelledJobs: c.Cancelled,
      },
      page,
      pageSize,
      hasNextPage: page * pageSize < result.totalJobs,
    };
  }
}
