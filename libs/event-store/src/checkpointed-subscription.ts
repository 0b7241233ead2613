/**
 * A durable consumer of the event store: it resumes from its stored checkpoint, and
 * its handler writes each batch's effects and the new checkpoint in one transaction.
 * Several processes may run the same consumer: the handler refuses a batch whose
 * expected checkpoint another runner already moved (CheckpointMovedError), and this
 * class then follows from the stored checkpoint. In normal operation one process runs
 * each consumer (it leads the consumer's role); the refusal is the safety net for a
 * moment with two. Projections and sagas share it.
 */
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import {
  comparePositions, type EventStore, type GlobalPosition, type RecordedEvent, type SubscriptionHandle,
} from './event-store.port.js';

/** Another runner of the same consumer moved its checkpoint first. */
export class CheckpointMovedError extends Error {
  constructor(readonly consumer: string) {
    super(`checkpoint of ${consumer} was moved by another runner`);
    this.name = 'CheckpointMovedError';
  }
}

const RESUBSCRIBE_RETRY_MS = 500;
/** How often a waiter reads the stored checkpoint: often when another process runs the consumer (read-your-writes waits on it). */
const STORED_CHECKPOINT_READ_MS = { whileRunningHere: 100, whileRunElsewhere: 20 };

export interface CheckpointedHandler {
  /** The consumer's stored checkpoint (START_POSITION before its first batch). */
  loadCheckpoint(): Promise<GlobalPosition>;
  /**
   * Applies the batch and moves the stored checkpoint from `expected` to the batch's last
   * position atomically; throws CheckpointMovedError when the stored one is not `expected`.
   */
  handle(batch: RecordedEvent[], expected: GlobalPosition): Promise<void>;
}

export interface ConsumerLogger {
  warn(message: string): void;
}

export class CheckpointedSubscription implements BackgroundService {
  private subscription: SubscriptionHandle | null = null;
  private current: GlobalPosition | null = null;
  private readonly waiters = new Set<() => void>();
  private running = false;

  constructor(
    private readonly events: EventStore,
    readonly name: string,
    private readonly handler: CheckpointedHandler,
    private readonly logger: ConsumerLogger = console,
    private readonly batchSize = 500,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    await this.subscribeFromStoredCheckpoint();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.pause();
    this.wakeWaiters();
  }

  /** Stops delivery until `resume`; meanwhile waiters read the stored checkpoint (e.g. while it is reset). */
  async pause(): Promise<void> {
    const previous = this.subscription;
    this.subscription = null;
    this.current = null;
    await previous?.stop();
  }

  async resume(): Promise<void> {
    if (this.running && !this.subscription) await this.subscribeFromStoredCheckpoint();
  }

  /** The last position this runner handled; null while it is not running (another process may lead it). */
  get handledPosition(): GlobalPosition | null {
    return this.running && this.subscription ? this.current : null;
  }

  /** True once every event committed so far has been handled (by any runner). */
  async isCaughtUp(): Promise<boolean> {
    const checkpoint = await this.handler.loadCheckpoint();
    return (await this.events.readAll({ after: checkpoint, maxCount: 1 })).length === 0;
  }

  /**
   * Resolves true once `position` has been handled, by this runner or one in another
   * process (read from the stored checkpoint), false after `timeoutMs`.
   */
  async waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let lastStoreRead = 0;
    for (;;) {
      if (this.current && comparePositions(this.current, position) >= 0) return true;
      const now = Date.now();
      if (now >= deadline) return false;
      if (now - lastStoreRead >= (this.subscription ? STORED_CHECKPOINT_READ_MS.whileRunningHere : STORED_CHECKPOINT_READ_MS.whileRunElsewhere)) {
        lastStoreRead = now;
        // A store that cannot be read (restarting) is "not yet": the caller's deadline still holds.
        const stored = await this.handler.loadCheckpoint().catch(() => null);
        if (stored && comparePositions(stored, position) >= 0) return true;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(this.subscription ? 50 : STORED_CHECKPOINT_READ_MS.whileRunElsewhere, Math.max(1, deadline - Date.now())));
        this.waiters.add(wake);
      });
    }
  }

  private async subscribeFromStoredCheckpoint(): Promise<void> {
    const from = await this.handler.loadCheckpoint();
    // A stop, or a second resubscribe, may have come while the checkpoint was read: opening
    // a subscription now would leave one running that nobody stops.
    if (!this.running || this.subscription) return;
    this.current = from;
    this.subscription = this.events.subscribe((batch) => this.deliver(batch), {
      after: from,
      batchSize: this.batchSize,
      onError: (error) => this.onError(error),
    });
  }

  private async deliver(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0 || !this.current) return;
    await this.handler.handle(batch, this.current);
    this.current = batch[batch.length - 1].position;
    this.wakeWaiters();
  }

  private onError(error: unknown): void {
    if (error instanceof CheckpointMovedError) {
      // Another runner handled this batch: follow from where it got to. With one leader per
      // role this is rare (two leaders for a moment), so it is worth a line in the log.
      this.logger.warn(`${this.name}: another runner moved the checkpoint first; following from the stored one`);
      void this.pause().then(() => this.resumeUntilSubscribed());
      return;
    }
    this.logger.warn(`${this.name}: batch failed, will retry: ${error instanceof Error ? error.stack : String(error)}`);
  }

  /** Resubscribes from the stored checkpoint, retrying while the store cannot be read (e.g. it restarts). */
  private async resumeUntilSubscribed(): Promise<void> {
    for (;;) {
      try {
        await this.resume();
        return;
      } catch (e) {
        this.logger.warn(`${this.name}: resubscribe failed, will retry: ${String(e)}`);
        await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_RETRY_MS));
      }
    }
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
