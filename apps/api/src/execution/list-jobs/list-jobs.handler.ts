import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobListItemView } from '../shared/job-views.js';
import { ListJobsQuery } from './list-jobs.query.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date alone as an upper bound means the whole of that day (UTC). */
function upperBound(value: string): Date {
  return DATE_ONLY.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
}

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
        submittedBy: r.submittedBy, dateFrom: r.dateFrom ? new Date(r.dateFrom) : undefined,
        dateTo: r.dateTo ? upperBound(r.dateTo) : undefined,
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
