/**
 * Turns terminal job events into queued e-mails and webhook messages. A checkpointed consumer of the event
 * store: each batch's outbox rows and the new checkpoint are written in one transaction,
 * so a crash neither loses a notification nor queues one twice, and several processes
 * may run it.
 */
import { LRUCache } from 'lru-cache';
import { CheckpointedSubscription } from '../../event-store/src/checkpointed-subscription.js';
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../event-store/src/event-store.port.js';
import { evolve, type JobEvent, type JobNotifications, type JobState } from '../../job-domain/src/index.js';
import { normalizedRecipients, notificationsFor } from './job-notification-message.js';
import {
  JOB_NOTIFICATION_SAGA, type NotificationOutbox, type QueuedNotification,
} from './notification-outbox.js';

const JOB_STREAM_PREFIX = 'job-';
const TERMINAL_EVENTS_WITH_NOTIFICATIONS = new Set(['JobCompleted', 'JobFailed', 'JobCancelled']);
/** Jobs whose submitted notification settings are remembered (they never change after the submit). */
const REMEMBERED_SUBMISSIONS = 100_000;

export interface NotificationLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface JobNotificationSagaOptions {
  /** Prefix of the results link in messages (e.g. https://mining.example.com); null keeps the bare path. */
  readonly publicBaseUrl?: string | null;
  readonly batchSize?: number;
  readonly logger?: NotificationLogger;
  /** Called after a batch queued e-mails (the sender of the same process sends them at once). */
  readonly onQueued?: () => void;
}

export class JobNotificationSaga implements BackgroundService {
  readonly name = 'job notification saga';
  private readonly consumer: CheckpointedSubscription;
  private readonly logger: NotificationLogger;
  /**
   * The terminal events each job wants notified, from its JobSubmitted as it passed by:
   * most jobs want none, and their end then costs no read of their stream.
   */
  private readonly wantedEnds = new LRUCache<string, ReadonlySet<string>>({ max: REMEMBERED_SUBMISSIONS });

  constructor(
    private readonly events: EventStore,
    private readonly outbox: NotificationOutbox,
    private readonly options: JobNotificationSagaOptions = {},
  ) {
    this.logger = options.logger ?? console;
    this.consumer = new CheckpointedSubscription(events, 'job notification saga', {
      loadCheckpoint: () => outbox.loadCheckpoint(JOB_NOTIFICATION_SAGA),
      handle: (batch, expected) => this.handle(batch, expected),
    }, this.logger, options.batchSize ?? 500);
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Resolves true once the stored checkpoint (this runner's or another's) has passed `position`, false after `timeoutMs`. */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitFor(position, timeoutMs);
  }

  private async handle(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const notifications: QueuedNotification[] = [];
    const histories = new Map<string, RecordedEvent[]>();
    for (const event of batch) {
      if (!event.streamId.startsWith(JOB_STREAM_PREFIX)) continue;
      if (event.type === 'JobSubmitted') {
        const wanted = wantedEnds((event.data as { notifications?: JobNotifications }).notifications);
        if (wanted) this.wantedEnds.set(event.streamId, wanted);
        continue;
      }
      if (!TERMINAL_EVENTS_WITH_NOTIFICATIONS.has(event.type) || this.wantedEnds.get(event.streamId)?.has(event.type) === false) continue;
      // The job as of this event (not as of now): a replay builds the same message.
      let history = histories.get(event.streamId);
      if (!history) histories.set(event.streamId, (history = await this.events.readStream(event.streamId)));
      const job = foldUpTo(history, event.revision);
      if (job) notifications.push(...notificationsFor(job, this.options.publicBaseUrl ?? null));
    }
    const queued = await this.outbox.enqueue(expected, batch[batch.length - 1].position, notifications, JOB_NOTIFICATION_SAGA);
    if (queued > 0) {
      this.logger.log(`queued ${queued} job notification(s)`);
      this.options.onQueued?.();
    }
  }
}

/** null when the submission does not say (the job's stream is read at its end, as for a job submitted before a restart). */
function wantedEnds(notifications: JobNotifications | undefined): ReadonlySet<string> | null {
  if (!notifications || !Array.isArray(notifications.emailRecipients)) return null;
  // A webhook receives every ending; e-mails only those their flags ask for.
  if ((notifications.webhooks ?? []).length > 0) return TERMINAL_EVENTS_WITH_NOTIFICATIONS;
  if (normalizedRecipients(notifications.emailRecipients).length === 0) return new Set();
  return new Set([
    ...(notifications.onCompletion ? ['JobCompleted'] : []), ...(notifications.onFailure ? ['JobFailed'] : []),
    ...(notifications.onCancellation ? ['JobCancelled'] : []),
  ]);
}

function foldUpTo(history: readonly RecordedEvent[], revision: bigint): JobState | null {
  let state: JobState | null = null;
  for (const e of history) {
    if (e.revision > revision) break;
    state = evolve(state, { type: e.type, data: e.data } as JobEvent, Number(e.revision), e.recordedAt);
  }
  return state;
}
