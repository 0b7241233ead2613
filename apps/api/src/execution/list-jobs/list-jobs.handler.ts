import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobListItemView } from '../shared/job-views.js';
import { ListJobsQuery } from './list-jobs.query.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A bound as UTC: a date alone is that day (its start, or its end for an upper bound);
 * a date-time without a zone (Python's naive `isoformat()`) is read as UTC, not as the
 * server's local time.
 */
function bound(value: string, edge: 'lower' | 'upper'): Date {
  if (DATE_ONLY.test(value)) return new Date(`${value}T${edge === 'upper' ? '23:59:59.999' : '00:00:00.000'}Z`);
  return new Date(HAS_ZONE.test(value) ? value : `${value}Z`);
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
        submittedBy: r.submittedBy, dateFrom: r.dateFrom ? bound(r.dateFrom, 'lower') : undefined,
        dateTo: r.dateTo ? bound(r.dateTo, 'upper') : undefined,
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
