/**
 * Projects job streams into job documents (the JobState of the domain's `evolve`), and
 * project queue streams (`queue-…`: paused or active) into project queue documents.
 * A checkpointed consumer of the event store: each batch's documents and the new
 * checkpoint are written in one transaction. One process runs it (the leader of the
 * `job-projection` role); any process can wait for it (read-your-writes reads the stored
 * checkpoint).
 */
import type { BackgroundService } from '../../../lifecycle/src/background-service.js';
import { CheckpointedSubscription, type ConsumerLogger } from '../../../event-store/src/checkpointed-subscription.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../../event-store/src/event-store.port.js';
import {
  PROJECT_QUEUE_STREAM_PREFIX, evolve, evolveQueue, isJobEventType, isProjectQueueEventType,
  type JobEvent, type JobState, type ProjectQueueEvent, type ProjectQueueState,
} from '../../../job-domain/src/index.js';
import type { JobReadStore } from '../read-store.port.js';

export const JOB_PROJECTION = 'job_views';
const JOB_STREAM_PREFIX = 'job-';

export class JobProjection implements BackgroundService {
  readonly name = 'job projection';
  private readonly consumer: CheckpointedSubscription;
  private appliedJobEvents = 0;

  constructor(
    events: EventStore,
    private readonly store: JobReadStore,
    logger: ConsumerLogger = console,
  ) {
    this.consumer = new CheckpointedSubscription(events, 'job projection', {
      loadCheckpoint: () => store.loadCheckpoint(JOB_PROJECTION),
      handle: (batch, expected) => this.apply(batch, expected),
    }, logger);
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Replays every job stream from position 0 into fresh documents. */
  async rebuild(): Promise<void> {
    await this.consumer.pause();
    await this.store.resetJobProjection(JOB_PROJECTION);
    this.appliedJobEvents = 0;
    await this.consumer.resume();
  }

  /** Job events this runner folded into documents since it started or last rebuilt (a rebuild's replay count). */
  get jobEventsAppliedSinceRebuild(): number {
    return this.appliedJobEvents;
  }

  /** Resolves once every event committed so far is in the documents (polled every `everyMs`). */
  async untilCaughtUp(everyMs = 200): Promise<void> {
    while (!(await this.isCaughtUp())) await new Promise((resolve) => setTimeout(resolve, everyMs));
  }

  /** True once the projection has applied every event committed so far. */
  isCaughtUp(): Promise<boolean> {
    return this.consumer.isCaughtUp();
  }

  /** Read-your-writes: resolves true once `position` is in the documents, false after `timeoutMs`. */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitFor(position, timeoutMs);
  }

  private async apply(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const jobEvents = batch.filter((e) => e.streamId.startsWith(JOB_STREAM_PREFIX) && isJobEventType(e.type));
    const jobIds = [...new Set(jobEvents.map((e) => e.streamId.slice(JOB_STREAM_PREFIX.length)))];
    const documents = new Map<string, JobState>();
    let folded = 0;
    for (const doc of await this.store.getJobsByIds(jobIds)) documents.set(doc.jobId, doc);
    for (const event of jobEvents) {
      const jobId = event.streamId.slice(JOB_STREAM_PREFIX.length);
      const current = documents.get(jobId) ?? null;
      const revision = Number(event.revision);
      // At-least-once delivery: an event already folded into the document is skipped.
      if (current && current.revision >= revision) continue;
      documents.set(jobId, evolve(current, { type: event.type, data: event.data } as JobEvent, revision, event.recordedAt));
      folded += 1;
    }
    const queues = await this.foldProjectQueues(batch);
    await this.store.applyJobDocuments(JOB_PROJECTION, expected, batch[batch.length - 1].position, [...documents.values()], queues);
    this.appliedJobEvents += folded;
  }

  private async foldProjectQueues(batch: RecordedEvent[]): Promise<ProjectQueueState[]> {
    const queues = new Map<string, ProjectQueueState | null>();
    for (const event of batch) {
      if (!event.streamId.startsWith(PROJECT_QUEUE_STREAM_PREFIX) || !isProjectQueueEventType(event.type)) continue;
      const queueEvent = { type: event.type, data: event.data } as ProjectQueueEvent;
      const { tenantId, projectId } = queueEvent.data;
      if (!queues.has(event.streamId)) queues.set(event.streamId, await this.store.getProjectQueue(tenantId, projectId));
      const current = queues.get(event.streamId) ?? null;
      const revision = Number(event.revision);
      if (current && current.revision >= revision) continue; // delivered again
      queues.set(event.streamId, evolveQueue(current, queueEvent, revision, event.recordedAt));
    }
    return [...queues.values()].filter((q): q is ProjectQueueState => q !== null);
  }
}
