/**
 * The fold of one batch of events into job documents and project queue documents: the
 * domain's `evolve` / `evolveQueue` over the documents as stored. The live job projection
 * and a rebuild into a fresh copy of the read model (job-view-rebuild.ts) both fold with it,
 * so a rebuilt document is the same as a projected one.
 */
import type { RecordedEvent } from '../../../event-store/src/event-store.port.js';
import {
  PROJECT_QUEUE_STREAM_PREFIX, evolve, evolveQueue, isJobEventType, isProjectQueueEventType,
  type JobEvent, type JobState, type ProjectQueueEvent, type ProjectQueueState,
} from '../../../job-domain/src/index.js';

export const JOB_STREAM_PREFIX = 'job-';

/** Where the fold reads the documents the batch starts from. */
export interface FoldSource {
  getJobsByIds(jobIds: readonly string[]): Promise<JobState[]>;
  getProjectQueue(tenantId: string, projectId: string): Promise<ProjectQueueState | null>;
}

export interface FoldedBatch {
  /** The batch's jobs as they end, one document per job. */
  readonly documents: JobState[];
  readonly queues: ProjectQueueState[];
  /** Job events that changed a document (events already folded are skipped). */
  readonly foldedJobEvents: number;
}

/** `foldJobs`: false folds only the project queue streams (the job views are written with the append). */
export async function foldJobBatch(batch: readonly RecordedEvent[], source: FoldSource, foldJobs = true): Promise<FoldedBatch> {
  const jobEvents = foldJobs ? batch.filter((e) => e.streamId.startsWith(JOB_STREAM_PREFIX) && isJobEventType(e.type)) : [];
  const jobIds = [...new Set(jobEvents.map((e) => e.streamId.slice(JOB_STREAM_PREFIX.length)))];
  const documents = new Map<string, JobState>();
  let folded = 0;
  for (const doc of await source.getJobsByIds(jobIds)) documents.set(doc.jobId, doc);
  for (const event of jobEvents) {
    const jobId = event.streamId.slice(JOB_STREAM_PREFIX.length);
    const current = documents.get(jobId) ?? null;
    const revision = Number(event.revision);
    // At-least-once delivery: an event already folded into the document is skipped.
    if (current && current.revision >= revision) continue;
    documents.set(jobId, evolve(current, { type: event.type, data: event.data } as JobEvent, revision, event.recordedAt));
    folded += 1;
  }
  return { documents: [...documents.values()], queues: await foldProjectQueues(batch, source), foldedJobEvents: folded };
}

async function foldProjectQueues(batch: readonly RecordedEvent[], source: FoldSource): Promise<ProjectQueueState[]> {
  const queues = new Map<string, ProjectQueueState | null>();
  for (const event of batch) {
    if (!event.streamId.startsWith(PROJECT_QUEUE_STREAM_PREFIX) || !isProjectQueueEventType(event.type)) continue;
    const queueEvent = { type: event.type, data: event.data } as ProjectQueueEvent;
    const { tenantId, projectId } = queueEvent.data;
    if (!queues.has(event.streamId)) queues.set(event.streamId, await source.getProjectQueue(tenantId, projectId));
    const current = queues.get(event.streamId) ?? null;
    const revision = Number(event.revision);
    if (current && current.revision >= revision) continue; // delivered again
    queues.set(event.streamId, evolveQueue(current, queueEvent, revision, event.recordedAt));
  }
  return [...queues.values()].filter((q): q is ProjectQueueState => q !== null);
}
