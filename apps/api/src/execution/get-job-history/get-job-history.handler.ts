/**
 * A job's full history for auditors: every event of its stream with its metadata, and,
 * on request, the job as it stood after a given revision (folded with the same `evolve`
 * the write side and the projection use).
 */
import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { evolve, jobStreamId, type JobEvent, type JobState } from '../../../../../libs/job-domain/src/index.js';
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
    let asOf: JobState | null = null;
    if (query.asOfRevision !== null) {
      if (query.asOfRevision >= recorded.length) {
        throw new NotFoundException(`The job has ${recorded.length} events; revision ${query.asOfRevision} does not exist`);
      }
      for (const e of recorded.slice(0, query.asOfRevision + 1)) {
        asOf = evolve(asOf, { type: e.type, data: e.data } as JobEvent, Number(e.revision), e.recordedAt);
      }
    }
    return {
      jobId: query.jobId,
      streamId: jobStreamId(query.jobId),
      eventCount: recorded.length,
      events: recorded.map(recordedEventView),
      ...(asOf ? { asOfRevision: query.asOfRevision, jobAsOfRevision: jobStatusView(asOf, new Date(asOf.lastUpdated)) } : {}),
    };
  }
}
