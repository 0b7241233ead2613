/**
 * Projects job streams into job documents (the JobState of the domain's `evolve`).
 * Consumes the persisted catch-up subscription from its stored checkpoint and writes
 * each batch's documents and the new checkpoint in one transaction. When several
 * processes run it, the checkpoint check makes exactly one of them apply each batch;
 * the others reload and follow.
 */
import {
  comparePositions, type EventStore, type GlobalPosition, type RecordedEvent, type SubscriptionHandle,
} from '../../../event-store/src/event-store.port.js';
import { evolve, isJobEventType, type JobEvent, type JobState } from '../../../job-domain/src/index.js';
import { CheckpointMovedError, type JobReadStore } from '../read-store.port.js';

export const JOB_PROJECTION = 'job_views';
const JOB_STREAM_PREFIX = 'job-';

export interface ProjectionLogger {
  warn(message: string): void;
}

export class JobProjection {
  private subscription: SubscriptionHandle | null = null;
  private checkpoint: GlobalPosition | null = null;
  private waiters = new Set<() => void>();
  private running = false;

  constructor(
    private readonly events: EventStore,
    private readonly store: JobReadStore,
    private readonly logger: ProjectionLogger = console,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    await this.subscribeFromStoredCheckpoint();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.subscription?.stop();
    this.subscription = null;
    this.wakeWaiters();
  }

  /** Replays every job stream from position 0 into fresh documents. */
  async rebuild(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
    this.checkpoint = null; // until the replay starts, waiters must read the stored checkpoint
    await this.store.resetJobProjection(JOB_PROJECTION);
    if (this.running) await this.subscribeFromStoredCheckpoint();
  }

  /** True once the projection has applied every event committed so far. */
  async isCaughtUp(): Promise<boolean> {
    const checkpoint = await this.store.loadCheckpoint(JOB_PROJECTION);
    return (await this.events.readAll({ after: checkpoint, maxCount: 1 })).length === 0;
  }

  /**
   * Resolves true once the projection has applied `position` (read-your-writes), false
   * after `timeoutMs`. Also sees progress made by a runner in another process.
   */
  async waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let lastStoreRead = 0;
    for (;;) {
      if (this.checkpoint && comparePositions(this.checkpoint, position) >= 0) return true;
      const now = Date.now();
      if (now >= deadline) return false;
      if (now - lastStoreRead >= 100) {
        lastStoreRead = now;
        const stored = await this.store.loadCheckpoint(JOB_PROJECTION);
        if (comparePositions(stored, position) >= 0) return true;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(50, Math.max(1, deadline - Date.now())));
        this.waiters.add(wake);
      });
    }
  }

  private async subscribeFromStoredCheckpoint(): Promise<void> {
    this.checkpoint = await this.store.loadCheckpoint(JOB_PROJECTION);
    this.subscription = this.events.subscribe((batch) => this.apply(batch), {
      after: this.checkpoint,
      batchSize: 500,
      onError: (error) => this.onError(error),
    });
  }

  private onError(error: unknown): void {
    if (error instanceof CheckpointMovedError) {
      // Another runner applied this batch: follow from where it got to.
      const previous = this.subscription;
      this.subscription = null;
      void (async () => {
        await previous?.stop();
        if (this.running && !this.subscription) await this.subscribeFromStoredCheckpoint();
      })().catch((e) => this.logger.warn(`job projection resubscribe failed: ${String(e)}`));
      return;
    }
    this.logger.warn(`job projection batch failed, will retry: ${error instanceof Error ? error.stack : String(error)}`);
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0 || !this.checkpoint) return;
    const jobEvents = batch.filter((e) => e.streamId.startsWith(JOB_STREAM_PREFIX) && isJobEventType(e.type));
    const jobIds = [...new Set(jobEvents.map((e) => e.streamId.slice(JOB_STREAM_PREFIX.length)))];
    const documents = new Map<string, JobState>();
    for (const doc of await this.store.getJobsByIds(jobIds)) documents.set(doc.jobId, doc);
    for (const event of jobEvents) {
      const jobId = event.streamId.slice(JOB_STREAM_PREFIX.length);
      const current = documents.get(jobId) ?? null;
      const revision = Number(event.revision);
      // At-least-once delivery: an event already folded into the document is skipped.
      if (current && current.revision >= revision) continue;
      documents.set(jobId, evolve(current, { type: event.type, data: event.data } as JobEvent, revision, event.recordedAt));
    }
    const next = batch[batch.length - 1].position;
    await this.store.applyJobDocuments(JOB_PROJECTION, this.checkpoint, next, [...documents.values()]);
    this.checkpoint = next;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
