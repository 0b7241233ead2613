/**
 * A job's full history for auditors: every event of its stream with its metadata, and,
 * on request, the job as it stood after a given revision (folded with the same `evolve`
 * the write side and the projection use).
 */
import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { jobAsOf, jobStreamId, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { recordedEventView } from '../../../../../libs/event-feed/src/index.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobStatusView } from '../shared/job-views.js';
import { GetJobHistoryQuery } from './get-job-history.query.js';

@QueryHandler(GetJobHistoryQuery)
export class GetJobHistoryHandler implements IQueryHandler<GetJobHistoryQuery> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async execute(query: GetJobHistoryQuery) {
    // Scope check on the view first: another tenant's job is a 404 like any unknown one.
    if (!(await this.stores.jobs.getJob(query.tenantId, query.projectId, query.jobId))) throw new NotFoundException('Job not found');
    const recorded = await this.stores.events.readStream(jobStreamId(query.jobId));
    const point = query.asOf;
    let asOf: JobState | null = null;
    if (point) {
      if ('revision' in point && point.revision >= recorded.length) {
        throw new NotFoundException(`The job has ${recorded.length} events; revision ${point.revision} does not exist`);
      }
      asOf = jobAsOf(recorded, point);
      if (!asOf) throw new NotFoundException('The job did not exist yet at asOf');
    }
    return {
      jobId: query.jobId,
      streamId: jobStreamId(query.jobId),
      eventCount: recorded.length,
      events: recorded.map(recordedEventView),
      ...(asOf && point ? {
        ...('time' in point ? { asOf: point.time.toISOString() } : {}),
        asOfRevision: asOf.revision,
        jobAsOfRevision: jobStatusView(asOf, 'time' in point ? point.time : new Date(asOf.lastUpdated)),
      } : {}),
    };
  }
}
