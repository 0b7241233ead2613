/**
 * Turns terminal job events into queued e-mails and webhook messages (and async operations'
 * callbacks and Slack messages, their progress included). A checkpointed consumer of the event
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
import { operationEndNotifications, operationProgressNotification } from './operation-messages.js';
import {
  JOB_NOTIFICATION_SAGA, type NotificationOutbox, type QueuedNotification,
} from './notification-outbox.js';

const JOB_STREAM_PREFIX = 'job-';
const TERMINAL_EVENTS_WITH_NOTIFICATIONS = new Set(['JobCompleted', 'JobFailed', 'JobCancelled']);
/** Progress windows numbered per run (claim): a run's windows beyond this share its last number (at 1 s windows, 11 days). */
const WINDOWS_PER_RUN = 1_000_000;
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
  /** Where async operations' Slack messages go (null: none are queued). */
  readonly slackWebhookUrl?: string | null;
  /** Length of an onProgress window: at most one progress callback per window of an attempt's run. Default 30 s. */
  readonly progressCallbackSeconds?: number;
}

export class JobNotificationSaga implements BackgroundService {
  readonly name = 'job notification saga';
  private readonly consumer: CheckpointedSubscription;
  private readonly logger: NotificationLogger;
  /**
   * The events each job wants notified, from its JobSubmitted as it passed by (or its stream,
   * read once): most jobs want none, and their end then costs no read of their stream.
   */
  private readonly wantedEvents = new LRUCache<string, ReadonlySet<string>>({ max: REMEMBERED_SUBMISSIONS });

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

  /**
   * The window (1, 2, …) of the run that the job's last progress report falls in, numbered
   * apart for each claim (a requeued job runs again from its new start); the same on every replay.
   */
  private progressWindow(job: JobState): number {
    const windowMs = (this.options.progressCallbackSeconds ?? 30) * 1000;
    const since = Date.parse(job.startedAt ?? job.submittedAt);
    const at = Date.parse(job.progress.reportedAt ?? job.lastUpdated);
    const window = Math.min(WINDOWS_PER_RUN - 1, Math.max(0, Math.floor((at - since) / windowMs)) + 1);
    return (job.claimRevision ?? 0) * WINDOWS_PER_RUN + window;
  }

  private async handle(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const notifications: QueuedNotification[] = [];
    const histories = new Map<string, RecordedEvent[]>();
    for (const event of batch) {
      if (!event.streamId.startsWith(JOB_STREAM_PREFIX)) continue;
      if (event.type === 'JobSubmitted') {
        const wanted = wantedEvents((event.data as { notifications?: JobNotifications }).notifications);
        if (wanted) this.wantedEvents.set(event.streamId, wanted);
        continue;
      }
      const progress = event.type === 'JobProgressed';
      if (!progress && !TERMINAL_EVENTS_WITH_NOTIFICATIONS.has(event.type)) continue;
      if (this.wantedEvents.get(event.streamId)?.has(event.type) === false) continue;
      // The job as of this event (not as of now): a replay builds the same message.
      let history = histories.get(event.streamId);
      if (!history) histories.set(event.streamId, (history = await this.events.readStream(event.streamId)));
      if (!this.wantedEvents.has(event.streamId) && history[0]?.type === 'JobSubmitted') {
        // Submitted before this runner started: read once, remembered from now on (progress reports are many).
        const wanted = wantedEvents((history[0].data as { notifications?: JobNotifications }).notifications);
        if (wanted) this.wantedEvents.set(event.streamId, wanted);
        if (progress && !wanted?.has('JobProgressed')) continue;
      }
      const job = foldUpTo(history, event.revision);
      if (!job) continue;
      const publicBaseUrl = this.options.publicBaseUrl ?? null;
      if (progress) {
        const row = operationProgressNotification(job, this.progressWindow(job), publicBaseUrl);
        if (row) notifications.push(row);
        continue;
      }
      notifications.push(...notificationsFor(job, publicBaseUrl), ...operationEndNotifications(job, publicBaseUrl, this.options.slackWebhookUrl ?? null));
    }
    const queued = await this.outbox.enqueue(expected, batch[batch.length - 1].position, notifications, JOB_NOTIFICATION_SAGA);
    if (queued > 0) {
      this.logger.log(`queued ${queued} job notification(s)`);
      this.options.onQueued?.();
    }
  }
}

/** null when the submission does not say (the job's stream is read at its end, as for a job submitted before a restart). */
function wantedEvents(notifications: JobNotifications | undefined): ReadonlySet<string> | null {
  if (!notifications || !Array.isArray(notifications.emailRecipients)) return null;
  // An operation's progress callback wants progress reports too.
  if (notifications.callbacks?.onProgress) return new Set([...TERMINAL_EVENTS_WITH_NOTIFICATIONS, 'JobProgressed']);
  // A webhook (or an operation's callback or Slack message) receives every ending; e-mails only those their flags ask for.
  if ((notifications.webhooks ?? []).length > 0 || notifications.callbacks || notifications.slack) return TERMINAL_EVENTS_WITH_NOTIFICATIONS;
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
