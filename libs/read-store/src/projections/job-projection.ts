/**
 * Projects job streams into job documents (the JobState of the domain's `evolve`), and
 * project queue streams (`queue-…`: paused or active) into project queue documents.
 * A checkpointed consumer of the event store: each batch's documents and the new
 * checkpoint are written in one transaction. One process runs it (the leader of the
 * `job-projection` role); any process can wait for it (read-your-writes reads the stored
 * checkpoint).
 *
 * Where the job views are written with the append (PostgreSQL/PGlite, ADR 0006) it folds job
 * events only until it first reaches the head after a start or a rebuild (what an earlier,
 * asynchronous version or a reset left out); from then on every job event's view committed
 * with the event itself, so it only projects the project queue streams, runs the read
 * store's upkeep and moves its checkpoint, at most every CHECKPOINT_EVERY_MS unless a batch
 * wrote something.
 */
import type { BackgroundService } from '../../../lifecycle/src/background-service.js';
import { endSpan, isTracing, linkTo, startSpan, withSpan } from '../../../telemetry/src/tracing.js';
import { CheckpointedSubscription, type ConsumerLogger } from '../../../event-store/src/checkpointed-subscription.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../../event-store/src/event-store.port.js';
import { CheckpointMovedError, type JobReadStore } from '../read-store.port.js';
import { foldJobBatch } from './fold-job-batch.js';

export const JOB_PROJECTION = 'job_views';
/** Events per batch; a shorter batch means the projection has reached the head. */
const BATCH_SIZE = 500;
/** Links of one batch's span to the traces of its events: the first ones suffice to find them. */
const MAX_TRACE_LINKS = 32;
/** With views written by the append, how stale the stored checkpoint may grow while batches write nothing. */
const CHECKPOINT_EVERY_MS = 5000;

export interface JobProjectionOptions {
  /** The job views commit with each append (PostgreSQL/PGlite): fold job events only to catch up. */
  readonly jobViewsWrittenWithAppend?: boolean;
}

export class JobProjection implements BackgroundService {
  readonly name = 'job projection';
  private readonly consumer: CheckpointedSubscription;
  private appliedJobEvents = 0;
  private readonly viewsWrittenWithAppend: boolean;
  /** Whether job events are folded into documents (always, unless the views are written with the append and the head was reached). */
  private foldJobEvents = true;
  /** The checkpoint as stored, when this runner wrote it last; null when unknown (then the consumer's is). */
  private storedCheckpoint: GlobalPosition | null = null;
  /** The last position handled but not yet stored (views written with the append only). */
  private pendingCheckpoint: GlobalPosition | null = null;
  private checkpointWrittenAt = 0;

  constructor(
    private readonly events: EventStore,
    private readonly store: JobReadStore,
    logger: ConsumerLogger = console,
    options: JobProjectionOptions = {},
  ) {
    this.viewsWrittenWithAppend = options.jobViewsWrittenWithAppend ?? false;
    this.consumer = new CheckpointedSubscription(events, 'job projection', {
      loadCheckpoint: () => store.loadCheckpoint(JOB_PROJECTION),
      handle: (batch, expected) => this.applyTraced(batch, expected),
    }, logger, BATCH_SIZE);
  }

  start(): Promise<void> {
    this.foldJobEvents = true;
    this.storedCheckpoint = null;
    this.pendingCheckpoint = null;
    return this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    // Views written with the append may have left the stored checkpoint a few seconds behind.
    const pending = this.pendingCheckpoint;
    if (pending && this.storedCheckpoint) {
      await this.store.applyJobDocuments(JOB_PROJECTION, this.storedCheckpoint, pending, []).catch(() => undefined);
    }
    this.pendingCheckpoint = null;
  }

  /** Replays every job stream from position 0 into fresh documents. */
  async rebuild(): Promise<void> {
    await this.consumer.pause();
    await this.store.resetJobProjection(JOB_PROJECTION);
    this.appliedJobEvents = 0;
    this.foldJobEvents = true;
    this.storedCheckpoint = null;
    this.pendingCheckpoint = null;
    await this.consumer.resume();
  }

  /**
   * Follows the stored checkpoint again, folding job events until the head: after a rebuild
   * switched the read model to a fresh copy and set the checkpoint to the copy's. (A leader in
   * another process notices the same at its next batch, by CheckpointMovedError.)
   */
  async followStoredCheckpoint(): Promise<void> {
    await this.consumer.pause();
    this.foldJobEvents = true;
    this.storedCheckpoint = null;
    this.pendingCheckpoint = null;
    await this.consumer.resume();
  }

  /** The last position this runner handled (pending or stored); null where it does not run here. */
  get handledPosition(): GlobalPosition | null {
    return this.consumer.handledPosition;
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
  async isCaughtUp(): Promise<boolean> {
    const pending = this.pendingCheckpoint;
    if (!pending) return this.consumer.isCaughtUp();
    return (await this.events.readAll({ after: pending, maxCount: 1 })).length === 0;
  }

  /**
   * Seconds since the oldest committed event this runner has not applied yet was recorded
   * (0 when caught up); null where the projection runs in another process.
   */
  async lagSeconds(now = Date.now()): Promise<number | null> {
    const applied = this.consumer.handledPosition;
    if (!applied) return null;
    const [oldest] = await this.events.readAll({ after: applied, maxCount: 1 });
    return oldest ? Math.max(0, (now - Date.parse(oldest.recordedAt)) / 1000) : 0;
  }

  /** Read-your-writes: resolves true once `position` is in the documents, false after `timeoutMs`. */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitFor(position, timeoutMs);
  }

  /** With tracing on, a span per batch linked to the traces of the events it applies. */
  private applyTraced(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    if (!isTracing()) return this.apply(batch, expected);
    const links = batch.slice(0, MAX_TRACE_LINKS).flatMap((e) => linkTo(e.metadata.traceparent) ?? []);
    const span = startSpan('job projection batch', { attributes: { 'pm.events': batch.length }, links });
    return withSpan(span, () => this.apply(batch, expected)).then(
      () => endSpan(span),
      (error: unknown) => {
        endSpan(span, String(error));
        throw error;
      },
    );
  }

  private async apply(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const fold = this.foldJobEvents;
    const { documents, queues, foldedJobEvents } = await foldJobBatch(batch, this.store, fold);
    const last = batch[batch.length - 1].position;
    if (!fold && queues.length === 0 && this.storedCheckpoint && Date.now() - this.checkpointWrittenAt < CHECKPOINT_EVERY_MS) {
      this.pendingCheckpoint = last;
      return;
    }
    try {
      await this.store.applyJobDocuments(JOB_PROJECTION, this.storedCheckpoint ?? expected, last, documents, queues);
    } catch (error) {
      this.storedCheckpoint = null; // redelivered or resubscribed from what is stored
      // Moved under it (another runner, or a rebuild that switched the read model to a fresh
      // copy): what lies after the stored checkpoint may be missing from the views, so fold
      // job events again until the head. Documents never regress: folding twice is harmless.
      if (error instanceof CheckpointMovedError) this.foldJobEvents = true;
      throw error;
    }
    this.storedCheckpoint = last;
    this.pendingCheckpoint = null;
    this.checkpointWrittenAt = Date.now();
    this.appliedJobEvents += foldedJobEvents;
    if (this.viewsWrittenWithAppend && batch.length < BATCH_SIZE) this.foldJobEvents = false; // at the head
  }
}
