/**
 * Delivers queued notifications: e-mails over SMTP, webhooks over HTTP(S) (signed per
 * Standard Webhooks). Every process may run one: rows are claimed
 * with FOR UPDATE SKIP LOCKED and a lease, so each is sent by one sender at a time, and
 * a sender that dies mid-send gives its rows back when the lease runs out. A failed
 * attempt is retried with exponential back-off read from the stored due time, so a
 * restart loses none; after `maxAttempts` the row is 'failed' with the last error.
 */
import nodemailer from 'nodemailer';
import {
  POSTED_CHANNELS, type ClaimedNotification, type NotificationAttempt, type NotificationChannel, type NotificationOutbox,
} from './notification-outbox.js';
import type { WebhookSecretReader } from './webhook-secrets.js';
import type { WebhookPoster } from './webhook-poster.js';
import { webhookHeaders } from './webhook-signing.js';
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import type { NotificationLogger } from './job-notification-saga.js';

/** The part of a nodemailer transporter the sender uses. */
export interface MailTransport {
  sendMail(message: {
    from: string; to: string[]; subject: string; text: string; messageId: string; headers: Record<string, string>;
  }): Promise<{ accepted?: unknown[]; rejected?: unknown[] }>;
  close(): void;
}

export interface SmtpTimeouts {
  /** TCP connect. Default 30 s. */
  readonly connectionTimeoutMs?: number;
  /** Server greeting after connect. Default 30 s. */
  readonly greetingTimeoutMs?: number;
  /** Inactivity on an open connection. Default 60 s. */
  readonly socketTimeoutMs?: number;
}

/**
 * SMTP transport from a URL such as `smtp://user:pass@host:587` (STARTTLS when offered)
 * or `smtps://user:pass@host:465`. Timeouts stay well below the claim lease, so a hung
 * server cannot make two senders deliver the same row.
 */
export function createSmtpTransport(smtpUrl: string, timeouts: SmtpTimeouts = {}): MailTransport {
  if (!/^smtps?:\/\//i.test(smtpUrl)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  // nodemailer parses the URL itself (credentials, port, query options such as
  // ?tls.rejectUnauthorized=false); the timeouts apply where the URL sets none.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeouts.connectionTimeoutMs ?? 30_000,
    greetingTimeout: timeouts.greetingTimeoutMs ?? 30_000,
    socketTimeout: timeouts.socketTimeoutMs ?? 60_000,
  });
  return {
    sendMail: (message) => transporter.sendMail(message) as Promise<{ accepted?: unknown[]; rejected?: unknown[] }>,
    close: () => transporter.close(),
  };
}

export interface NotificationSenderOptions {
  /** The From header, e.g. `Job execution <jobs@example.com>`. */
  readonly from: string;
  /** Pause between polls of the outbox; `wake()` (a row queued) and a retry falling due come sooner. Default 30 s. */
  readonly intervalMs?: number;
  /** Rows claimed (and sent concurrently) per poll. Default 10. */
  readonly batchSize?: number;
  /** Attempts before a row is 'failed'. Default 8. */
  readonly maxAttempts?: number;
  /** Wait after the first failed attempt; doubles after each. Default 30 s. */
  readonly retryBaseMs?: number;
  /** Longest wait between attempts. Default 1 h. */
  readonly retryMaxMs?: number;
  /** How long a claimed row stays with its sender before another may take it. Default 5 min. */
  readonly claimLeaseMs?: number;
  readonly logger?: NotificationLogger;
  /** Delivers the posted rows too (webhooks, operation callbacks, Slack); without it they stay queued. */
  readonly webhooks?: { readonly poster: WebhookPoster; readonly secrets: WebhookSecretReader } | null;
}

/**
 * Wait before the attempt after `attempts` failed ones: base, 2·base, 4·base, ... capped,
 * each stretched by up to `jitter` (a fraction drawn per call) so that receivers that came
 * back are not hit by every waiting message at the same instant.
 */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, jitter = 0): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1) * (1 + jitter));
}

/** Stretch of each back-off: up to a quarter longer. */
const RETRY_JITTER = 0.25;

export class NotificationSender implements BackgroundService {
  readonly name = 'notification sender';
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private running = false;
  /** When the armed timer fires (ms since the epoch), so a wake-up only ever brings it forward. */
  private nextAt = Infinity;
  private wakeAfterTick = false;
  private readonly logger: NotificationLogger;
  /** The channels this sender delivers: e-mail with a transport, webhooks when configured. */
  readonly channels: readonly NotificationChannel[];

  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly transport: MailTransport | null,
    private readonly options: NotificationSenderOptions,
  ) {
    this.logger = options.logger ?? console;
    this.channels = [...(transport ? ['email' as const] : []), ...(options.webhooks ? POSTED_CHANNELS : [])];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and resolves once the sends in flight have been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = Infinity;
    await this.tick;
  }

  /** Rows were queued: send them now rather than at the next poll. */
  wake(): void {
    this.wakeIn(0);
  }

  /** Claims and sends one batch of due rows; returns how many were claimed. */
  async sendDue(): Promise<number> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    // One cheap read while nothing is due, instead of a claim transaction.
    if (this.channels.length === 0 || !(await this.outbox.hasDue(this.channels))) return 0;
    const claimed = await this.outbox.claimDue(this.options.batchSize ?? 10, this.options.claimLeaseMs ?? 300_000, maxAttempts, this.channels);
    await Promise.all(claimed.map((claim) => claim.channel === 'email' ? this.deliver(claim, maxAttempts) : this.post(claim, maxAttempts)));
    return claimed.length;
  }

  /** Brings the next round forward to `delayMs` from now (never later than already armed). */
  private wakeIn(delayMs: number): void {
    if (!this.running) return;
    if (this.tick) {
      // A round is running; it arms the next one when it ends.
      if (delayMs === 0) this.wakeAfterTick = true;
      else this.schedule(delayMs);
      return;
    }
    if (Date.now() + delayMs < this.nextAt) this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer && Date.now() + delayMs >= this.nextAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAt = Infinity;
      if (this.tick) {
        // Armed during a round that is still sending: the next round follows that one.
        this.wakeAfterTick = true;
        return;
      }
      this.tick = (async () => {
        let claimed = 0;
        try {
          claimed = await this.sendDue();
        } catch (error) {
          this.logger.warn(`notification sending failed, will retry: ${String(error)}`);
        }
        this.tick = null;
        const again = this.wakeAfterTick;
        this.wakeAfterTick = false;
        // A full batch means more may be due: go on at once instead of waiting a whole interval.
        this.schedule(again || claimed >= (this.options.batchSize ?? 10) ? 0 : this.options.intervalMs ?? 30_000);
      })();
    }, delayMs);
  }

  private async deliver(claim: ClaimedNotification, maxAttempts: number): Promise<void> {
    let info: { accepted?: unknown[]; rejected?: unknown[] };
    const at = new Date();
    const started = performance.now();
    const attempt = (error: string | null): NotificationAttempt =>
      ({ at: at.toISOString(), durationMs: Math.round(performance.now() - started), responseStatus: null, error });
    try {
      info = await this.transport!.sendMail({
        from: this.options.from,
        to: [...claim.recipients],
        subject: claim.subject,
        text: claim.body,
        // Stable across attempts: if a delivery was accepted but not recorded (crash), the
        // resend carries the same Message-ID, which receiving systems can deduplicate on.
        messageId: `<${claim.notificationId}@job-notifications>`,
        headers: { 'X-Job-Id': claim.jobId, 'X-Job-Notification': claim.kind },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = claim.attempts >= maxAttempts;
      const delay = this.backOff(claim);
      await this.record(claim, () => this.outbox.markAttemptFailed(claim, message, delay, giveUp, attempt(message)));
      if (!giveUp) this.wakeIn(delay);
      this.logger.warn(
        giveUp
          ? `notification ${claim.kind} of job ${claim.jobId} failed for good after ${claim.attempts} attempts: ${message}`
          : `notification ${claim.kind} of job ${claim.jobId} failed (attempt ${claim.attempts}), retrying in ${delay} ms: ${message}`,
      );
      return;
    }
    // Some recipients refused while others accepted: the message went out; say who missed it.
    const rejected = (info.rejected ?? []).map(String);
    const note = rejected.length ? `rejected recipients: ${rejected.join(', ')}` : null;
    await this.record(claim, () => this.outbox.markSent(claim, note, attempt(note)));
  }

  private backOff(claim: ClaimedNotification): number {
    return retryDelayMs(claim.attempts, this.options.retryBaseMs ?? 30_000, this.options.retryMaxMs ?? 3_600_000, Math.random() * RETRY_JITTER);
  }

  /** One webhook attempt: 2xx delivered; 410 or a refused address ends it; anything else is retried. */
  private async post(claim: ClaimedNotification, maxAttempts: number): Promise<void> {
    const { poster, secrets } = this.options.webhooks!;
    const at = new Date();
    let secret: string | null = null;
    if (claim.secretRef) {
      secret = await secrets.find(claim.secretRef).catch(() => undefined) ?? null;
      if (secret === null) {
        // Lost or unreadable: sending unsigned would let the receiver accept a forgery's twin; wait for the store.
        const error = 'the signing secret could not be read';
        await this.record(claim, () => this.outbox.markAttemptFailed(claim, error, this.backOff(claim), claim.attempts >= maxAttempts,
          { at: at.toISOString(), durationMs: 0, responseStatus: null, error }));
        return;
      }
    }
    const result = await poster.post({ url: claim.target, body: claim.body, headers: webhookHeaders(claim.notificationId, claim.body, secret, at) });
    const attempt: NotificationAttempt = { at: at.toISOString(), durationMs: result.durationMs, responseStatus: result.responseStatus, error: result.error };
    if (result.outcome === 'delivered') {
      await this.record(claim, () => this.outbox.markSent(claim, null, attempt));
      return;
    }
    const giveUp = result.outcome !== 'retry' || claim.attempts >= maxAttempts;
    const delay = this.backOff(claim);
    await this.record(claim, () => this.outbox.markAttemptFailed(claim, result.error ?? 'not delivered', delay, giveUp, attempt));
    if (!giveUp) this.wakeIn(delay);
    // The URL is the tenant's and may carry a token in its path or query: the log names the job and message only.
    this.logger.warn(giveUp
      ? `webhook ${claim.kind} of job ${claim.jobId} (message ${claim.notificationId}) not delivered, giving up after ${claim.attempts} attempt(s): ${result.error}`
      : `webhook ${claim.kind} of job ${claim.jobId} (message ${claim.notificationId}) failed (attempt ${claim.attempts}), retrying in ${Math.round(delay)} ms: ${result.error}`);
  }

  private async record(claim: ClaimedNotification, write: () => Promise<boolean>): Promise<void> {
    try {
      if (!(await write())) this.logger.warn(`notification ${claim.notificationId}: claim lost before its outcome was recorded`);
    } catch (error) {
      // The row stays claimed; the lease makes it due again.
      this.logger.warn(`notification ${claim.notificationId}: recording the outcome failed: ${String(error)}`);
    }
  }
}
