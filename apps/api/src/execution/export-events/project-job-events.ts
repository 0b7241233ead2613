/**
 * The two ways an export reads a project's job events, page by page so no export holds more
 * than a page of them: in global order (scoped readAll), or job by job with each job's stream.
 */
import type { EventScope, EventStore, RecordedEvent } from '../../../../../libs/event-store/src/event-store.port.js';
import { isJobEventType, jobStreamId, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { JobReadStore } from '../../../../../libs/read-store/src/read-store.port.js';

/** Inclusive bounds on the time the store recorded an event; null = open. */
export interface ExportRange {
  readonly from: Date | null;
  readonly to: Date | null;
}

export function inRange(event: RecordedEvent, range: ExportRange): boolean {
  const at = Date.parse(event.recordedAt);
  return (!range.from || at >= range.from.getTime()) && (!range.to || at <= range.to.getTime());
}

/** Every job event of the project in global order (what happened, across jobs, as it happened). */
export async function* projectJobEvents(events: EventStore, scope: EventScope, pageSize = 1000): AsyncGenerator<RecordedEvent> {
  let after: RecordedEvent['position'] | undefined;
  for (;;) {
    const page = await events.readAll({ after, maxCount: pageSize, scope });
    for (const event of page) if (isJobEventType(event.type)) yield event;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

export interface JobWithEvents {
  readonly job: JobState;
  readonly events: readonly RecordedEvent[];
}

/**
 * The project's jobs submitted by `until`, newest first, each with its stream. The bound keeps
 * the pages still while jobs are submitted during the export (they would shift the offsets).
 */
export async function* projectJobStreams(
  jobs: Pick<JobReadStore, 'listJobs'>, events: EventStore, scope: EventScope, until: Date, pageSize = 200,
): AsyncGenerator<JobWithEvents> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await jobs.listJobs({ tenantId: scope.tenantId, projectId: scope.projectId, dateTo: until }, { offset, limit: pageSize });
    const streams = await Promise.all(page.jobs.map((job) => events.readStream(jobStreamId(job.jobId))));
    for (let i = 0; i < page.jobs.length; i++) yield { job: page.jobs[i], events: streams[i] };
    if (page.jobs.length < pageSize) return;
  }
}
