/**
 * Projects job streams into job documents (the JobState of the domain's `evolve`).
 * A checkpointed consumer of the event store: each batch's documents and the new
 * checkpoint are written in one transaction, and several processes may run it.
 * Where the views are written with the append (PostgreSQL/PGlite) it runs only to catch
 * up at start (`catchUp`) and to rebuild (`rebuildOnce`); elsewhere it runs continuously.
 */
import { CheckpointedSubscription, type ConsumerLogger } from '../../../event-store/src/checkpointed-subscription.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../../event-store/src/event-store.port.js';
import { evolve, isJobEventType, type JobEvent, type JobState } from '../../../job-domain/src/index.js';
import type { JobReadStore } from '../read-store.port.js';

export const JOB_PROJECTION = 'job_views';
const JOB_STREAM_PREFIX = 'job-';

export class JobProjection {
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

  /**
   * Applies every event committed so far, then stops: with views written by the append,
   * all a store can lack is what an earlier, asynchronous version left unprojected. The
   * checkpoint then says every event below it is in the views.
   */
  async catchUp(): Promise<void> {
    await this.start();
    try {
      await this.untilCaughtUp();
    } finally {
      await this.stop();
    }
  }

  /** A rebuild from position 0 by a projection that does not run continuously: resolves at the head, stopped again. */
  async rebuildOnce(): Promise<void> {
    await this.start();
    try {
      await this.rebuild();
      await this.untilCaughtUp();
    } finally {
      await this.stop();
    }
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
    await this.store.applyJobDocuments(JOB_PROJECTION, expected, batch[batch.length - 1].position, [...documents.values()]);
    this.appliedJobEvents += folded;
  }
}
