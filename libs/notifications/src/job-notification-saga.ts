/**
 * Turns terminal job events into queued e-mails. Consumes the persisted catch-up
 * subscription from its stored checkpoint and writes each batch's outbox rows and the
 * new checkpoint in one transaction, so a crash neither loses a notification nor
 * queues one twice. When several processes run it, the checkpoint check makes exactly
 * one of them handle each batch; the others reload and follow.
 */
import {
  comparePositions, type EventStore, type GlobalPosition, type RecordedEvent, type SubscriptionHandle,
} from '../../event-store/src/event-store.port.js';
import { evolve, type JobEvent, type JobState } from '../../job-domain/src/index.js';
import { notificationFor } from './job-notification-message.js';
import {
  JOB_NOTIFICATION_SAGA, NotificationCheckpointMovedError, type NotificationOutbox, type QueuedNotification,
} from './notification-outbox.js';

const JOB_STREAM_PREFIX = 'job-';
const TERMINAL_EVENTS_WITH_NOTIFICATIONS = new Set(['JobCompleted', 'JobFailed']);

export interface NotificationLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface JobNotificationSagaOptions {
  /** Prefix of the results link in messages (e.g. https://mining.example.com); null keeps the bare path. */
  readonly publicBaseUrl?: string | null;
  readonly batchSize?: number;
  readonly logger?: NotificationLogger;
}

export class JobNotificationSaga {
  private subscription: SubscriptionHandle | null = null;
  private checkpoint: GlobalPosition | null = null;
  private running = false;
  private readonly logger: NotificationLogger;

  constructor(
    private readonly events: EventStore,
    private readonly outbox: NotificationOutbox,
    private readonly options: JobNotificationSagaOptions = {},
  ) {
    this.logger = options.logger ?? console;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.subscribeFromStoredCheckpoint();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Resolves true once the stored checkpoint (this runner's or another's) has passed `position`, false after `timeoutMs`. */
  async waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.checkpoint && comparePositions(this.checkpoint, position) >= 0) return true;
      if (comparePositions(await this.outbox.loadCheckpoint(JOB_NOTIFICATION_SAGA), position) >= 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
  }

  private async subscribeFromStoredCheckpoint(): Promise<void> {
    this.checkpoint = await this.outbox.loadCheckpoint(JOB_NOTIFICATION_SAGA);
    this.subscription = this.events.subscribe((batch) => this.handle(batch), {
      after: this.checkpoint,
      batchSize: this.options.batchSize ?? 500,
      onError: (error) => this.onError(error),
    });
  }

  private onError(error: unknown): void {
    if (error instanceof NotificationCheckpointMovedError) {
      // Another runner handled this batch: follow from where it got to.
      const previous = this.subscription;
      this.subscription = null;
      void (async () => {
        await previous?.stop();
        if (this.running && !this.subscription) await this.subscribeFromStoredCheckpoint();
      })().catch((e) => this.logger.warn(`job notification saga resubscribe failed: ${String(e)}`));
      return;
    }
    this.logger.warn(`job notification batch failed, will retry: ${error instanceof Error ? error.stack : String(error)}`);
  }

  private async handle(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0 || !this.checkpoint) return;
    const notifications: QueuedNotification[] = [];
    const histories = new Map<string, RecordedEvent[]>();
    for (const event of batch) {
      if (!event.streamId.startsWith(JOB_STREAM_PREFIX) || !TERMINAL_EVENTS_WITH_NOTIFICATIONS.has(event.type)) continue;
      // The job as of this event (not as of now): a replay builds the same message.
      let history = histories.get(event.streamId);
      if (!history) histories.set(event.streamId, (history = await this.events.readStream(event.streamId)));
      const job = foldUpTo(history, event.revision);
      const notification = job ? notificationFor(job, this.options.publicBaseUrl ?? null) : null;
      if (notification) notifications.push(notification);
    }
    const next = batch[batch.length - 1].position;
    const queued = await this.outbox.enqueue(this.checkpoint, next, notifications, JOB_NOTIFICATION_SAGA);
    this.checkpoint = next;
    if (queued > 0) this.logger.log(`queued ${queued} job notification e-mail(s)`);
  }
}

function foldUpTo(history: readonly RecordedEvent[], revision: bigint): JobState | null {
  let state: JobState | null = null;
  for (const e of history) {
    if (e.revision > revision) break;
    state = evolve(state, { type: e.type, data: e.data } as JobEvent, Number(e.revision), e.recordedAt);
  }
  return state;
}
