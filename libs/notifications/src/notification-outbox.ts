/**
 * The outbox of job notifications, e-mails and webhooks, on PostgreSQL or PGlite (same SQL).
 * The saga writes rows and its checkpoint in one transaction; senders in any process
 * claim due rows, send them and record the outcome. A unique index on
 * (job_id, kind, channel, target) makes a redelivered event a no-op instead of a second
 * message: one row per e-mail, one per webhook URL and event.
 */
import { createHash, randomUUID } from 'node:crypto';
import { START_POSITION, type GlobalPosition } from '../../event-store/src/event-store.port.js';
import type { SqlClient, SqlExecutor } from '../../event-store/src/postgres/sql-client.js';
import { CheckpointMovedError } from '../../event-store/src/checkpointed-subscription.js';

/** A job's end, or (async operations' onProgress callbacks only) its progress. */
export type NotificationKind = 'completed' | 'failed' | 'cancelled' | 'progress';
export type NotificationStatus = 'pending' | 'sent' | 'failed';
/** `callback`: an async operation's callbacks; `slack`: its Slack message. Both are posted like webhooks. */
export type NotificationChannel = 'email' | 'webhook' | 'callback' | 'slack';
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['email', 'webhook', 'callback', 'slack'];
/** The channels delivered by an HTTP POST. */
export const POSTED_CHANNELS: readonly NotificationChannel[] = ['webhook', 'callback', 'slack'];

/** One delivery attempt, as the job status shows it. */
export interface NotificationAttempt {
  readonly at: string;
  readonly durationMs: number;
  /** The receiver's HTTP status (webhooks); null when none came back, and for e-mails. */
  readonly responseStatus: number | null;
  readonly error: string | null;
}

/** A message the saga decided to send, before it is queued. */
export interface QueuedNotification {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string;
  readonly kind: NotificationKind;
  /** Absent: 'email'. */
  readonly channel?: NotificationChannel;
  /** The webhook URL; '' for an e-mail (its recipients are in `recipients`). */
  readonly target?: string;
  /** The webhook's signing secret (webhook_secrets); null = sent unsigned. */
  readonly secretRef?: string | null;
  /**
   * Tells apart rows of one (job, kind, channel, target): the progress window of an
   * onProgress callback (0 for the final one); absent: 0.
   */
  readonly sequence?: number;
  readonly recipients: readonly string[];
  /** The e-mail's subject; the event type of a webhook. */
  readonly subject: string;
  /** The e-mail's text; the JSON a webhook posts (built once, the same on every attempt). */
  readonly body: string;
}

/** A row claimed by a sender: it owns the row until `claimToken` is superseded. */
export interface ClaimedNotification extends QueuedNotification {
  readonly channel: NotificationChannel;
  readonly target: string;
  readonly secretRef: string | null;
  readonly notificationId: string;
  /** Attempts started so far, this one included. */
  readonly attempts: number;
  readonly claimToken: string;
}

/** What the job status can show about delivery. */
export interface NotificationDelivery {
  readonly notificationId: string;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /** The webhook URL; '' for an e-mail. */
  readonly target: string;
  /** Whether a webhook's messages are signed (false for e-mails). */
  readonly signed: boolean;
  readonly status: NotificationStatus;
  readonly recipients: readonly string[];
  readonly attempts: number;
  readonly createdAt: string;
  readonly sentAt: string | null;
  /** When the next attempt is due (pending rows only). */
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastResponseStatus: number | null;
  /** Every recorded attempt, oldest first. */
  readonly attemptLog: readonly NotificationAttempt[];
}

export const JOB_NOTIFICATION_SAGA = 'job_notifications';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job_notifications (
  notification_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  project_id text NOT NULL,
  job_id text NOT NULL,
  kind text NOT NULL,
  channel text NOT NULL DEFAULT 'email',
  target text NOT NULL DEFAULT '',
  secret_ref text,
  recipients jsonb NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claim_token text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  last_attempt_at timestamptz,
  last_response_status integer,
  attempt_log jsonb NOT NULL DEFAULT '[]',
  sequence bigint NOT NULL DEFAULT 0
);
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS channel text NOT NULL DEFAULT 'email';
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS target text NOT NULL DEFAULT '';
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS secret_ref text;
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS last_attempt_at timestamptz;
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS last_response_status integer;
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS attempt_log jsonb NOT NULL DEFAULT '[]';
ALTER TABLE job_notifications DROP CONSTRAINT IF EXISTS job_notifications_kind_check;
ALTER TABLE job_notifications DROP CONSTRAINT IF EXISTS job_notifications_job_id_kind_key;
ALTER TABLE job_notifications ADD COLUMN IF NOT EXISTS sequence bigint NOT NULL DEFAULT 0;
ALTER TABLE job_notifications DROP CONSTRAINT IF EXISTS job_notification_kind;
CREATE UNIQUE INDEX IF NOT EXISTS job_notifications_once_per_sequence ON job_notifications (job_id, kind, channel, target, sequence);
DROP INDEX IF EXISTS job_notifications_once;
CREATE INDEX IF NOT EXISTS job_notifications_due ON job_notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS job_notifications_scope ON job_notifications (tenant_id, project_id, job_id);

CREATE TABLE IF NOT EXISTS webhook_secrets (
  secret_ref text PRIMARY KEY,
  tenant_id text NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS notification_checkpoints (
  saga text PRIMARY KEY,
  commit_position numeric(20,0) NOT NULL,
  prepare_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;

type Row = Record<string, unknown>;

function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** Appends the attempt (a JSON parameter, or NULL for none) to the row's log and last-attempt columns. */
const RECORD_ATTEMPT = (param: string): string => `
  attempt_log = CASE WHEN ${param}::jsonb IS NULL THEN attempt_log ELSE attempt_log || jsonb_build_array(${param}::jsonb) END,
  last_attempt_at = COALESCE((${param}::jsonb ->> 'at')::timestamptz, last_attempt_at),
  last_response_status = CASE WHEN ${param}::jsonb IS NULL THEN last_response_status ELSE (${param}::jsonb ->> 'responseStatus')::integer END`;

function attemptsOf(value: unknown): NotificationAttempt[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as NotificationAttempt[]) : [];
}

function recipientsOf(value: unknown): string[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/**
 * Stable id per (job, kind, channel, target): the same notification keeps the same id
 * (the e-mail's Message-ID, the webhook's `webhook-id`) however often it is queued.
 */
export function notificationIdFor(
  jobId: string, kind: NotificationKind, channel: NotificationChannel = 'email', target = '', sequence = 0,
): string {
  // E-mails keep the ids they had before webhooks existed, and every row of sequence 0 the id it had before sequences.
  const key = channel === 'email' ? `job-notification\n${jobId}\n${kind}`
    : `job-notification\n${jobId}\n${kind}\n${channel}\n${target}${sequence === 0 ? '' : `\n${sequence}`}`;
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function readCheckpoint(sql: SqlExecutor, saga: string, forUpdate: boolean): Promise<GlobalPosition> {
  const rows = await sql.query<Row>(
    `SELECT commit_position::text AS c, prepare_position::text AS p FROM notification_checkpoints WHERE saga = $1
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [saga],
  );
  if (rows.length === 0) return START_POSITION;
  return { commit: BigInt(String(rows[0].c)), prepare: BigInt(String(rows[0].p)) };
}

export class NotificationOutbox {
  constructor(private readonly sql: SqlClient) {}

  /** Creates the tables; safe to run concurrently from several processes. */
  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('job_notifications_migration'))`);
      // One statement per call: the extended protocol (PGlite, parameters) takes one at a time.
      for (const statement of SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await tx.query(statement);
    });
  }

  async loadCheckpoint(saga = JOB_NOTIFICATION_SAGA): Promise<GlobalPosition> {
    // The row exists from the first load on, so the FOR UPDATE in enqueue always has a
    // row to lock and two runners can never both handle the first batch.
    await this.sql.query(
      `INSERT INTO notification_checkpoints (saga, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (saga) DO NOTHING`,
      [saga, START_POSITION.commit.toString(), START_POSITION.prepare.toString()],
    );
    return readCheckpoint(this.sql, saga, false);
  }

  /**
   * Moves the checkpoint back (or forward) by hand, e.g. to replay a range of events.
   * Already queued notifications are not queued again.
   */
  async resetCheckpoint(position: GlobalPosition = START_POSITION, saga = JOB_NOTIFICATION_SAGA): Promise<void> {
    await this.sql.query(
      `INSERT INTO notification_checkpoints (saga, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (saga) DO UPDATE SET commit_position = $2, prepare_position = $3, updated_at = now()`,
      [saga, position.commit.toString(), position.prepare.toString()],
    );
  }

  /**
   * Queues `notifications` and moves the checkpoint from `expected` to `next` in one
   * transaction. Throws CheckpointMovedError when another runner already
   * handled the batch; returns how many rows were new.
   */
  async enqueue(expected: GlobalPosition, next: GlobalPosition, notifications: readonly QueuedNotification[], saga = JOB_NOTIFICATION_SAGA): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const current = await readCheckpoint(tx, saga, true);
      if (current.commit !== expected.commit || current.prepare !== expected.prepare) throw new CheckpointMovedError(saga);
      let inserted = 0;
      for (const n of notifications) {
        const rows = await tx.query(
          `INSERT INTO job_notifications
             (notification_id, tenant_id, project_id, job_id, kind, channel, target, secret_ref, recipients, subject, body, sequence)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)
           ON CONFLICT (job_id, kind, channel, target, sequence) DO NOTHING
           RETURNING notification_id`,
          [
            notificationIdFor(n.jobId, n.kind, n.channel ?? 'email', n.target ?? '', n.sequence ?? 0), n.tenantId, n.projectId, n.jobId, n.kind,
            n.channel ?? 'email', n.target ?? '', n.secretRef ?? null, JSON.stringify(n.recipients), n.subject, n.body, n.sequence ?? 0,
          ],
        );
        inserted += rows.length;
      }
      await tx.query(
        `INSERT INTO notification_checkpoints (saga, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (saga) DO UPDATE SET commit_position = $2, prepare_position = $3, updated_at = now()`,
        [saga, next.commit.toString(), next.prepare.toString()],
      );
      return inserted;
    });
  }

  /** True when some pending row of `channels` is due (what a claim would take or mark failed). */
  async hasDue(channels: readonly NotificationChannel[] = NOTIFICATION_CHANNELS): Promise<boolean> {
    const rows = await this.sql.query<Row>(
      `SELECT EXISTS (SELECT 1 FROM job_notifications WHERE status = 'pending' AND next_attempt_at <= now() AND channel = ANY($1::text[])) AS due`,
      [channels], 'nt_has_due',
    );
    return rows[0]?.due === true;
  }

  /**
   * Claims up to `limit` due pending rows. The claim is short: it counts the attempt and
   * pushes next_attempt_at `leaseMs` ahead, so no transaction stays open while the SMTP
   * server answers, and a sender that dies mid-send gives its rows back after the lease.
   * Rows whose attempts are used up (the sender died during the last one) become 'failed'.
   */
  async claimDue(
    limit: number, leaseMs: number, maxAttempts: number, channels: readonly NotificationChannel[] = NOTIFICATION_CHANNELS,
  ): Promise<ClaimedNotification[]> {
    const claimToken = randomUUID();
    return this.sql.transaction(async (tx) => {
      const due = await tx.query<Row>(
        `SELECT notification_id, attempts FROM job_notifications
         WHERE status = 'pending' AND next_attempt_at <= now() AND channel = ANY($2::text[])
         ORDER BY next_attempt_at, notification_id
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [limit, channels],
      );
      const exhausted = due.filter((r) => Number(r.attempts) >= maxAttempts).map((r) => String(r.notification_id));
      const claimable = due.filter((r) => Number(r.attempts) < maxAttempts).map((r) => String(r.notification_id));
      if (exhausted.length > 0) {
        await tx.query(
          `UPDATE job_notifications SET status = 'failed', claim_token = NULL,
             last_error = COALESCE(last_error, 'no outcome recorded for the last attempt')
           WHERE notification_id = ANY($1::text[])`,
          [exhausted],
        );
      }
      if (claimable.length === 0) return [];
      const rows = await tx.query<Row>(
        `UPDATE job_notifications
         SET attempts = attempts + 1, claim_token = $2, next_attempt_at = now() + $3::double precision * interval '1 millisecond'
         WHERE notification_id = ANY($1::text[])
         RETURNING notification_id, tenant_id, project_id, job_id, kind, channel, target, secret_ref, recipients, subject, body, attempts`,
        [claimable, claimToken, leaseMs],
      );
      return rows.map((r) => ({
        notificationId: String(r.notification_id), tenantId: String(r.tenant_id), projectId: String(r.project_id),
        jobId: String(r.job_id), kind: r.kind as NotificationKind, channel: r.channel as NotificationChannel,
        target: String(r.target), secretRef: r.secret_ref === null ? null : String(r.secret_ref), recipients: recipientsOf(r.recipients),
        subject: String(r.subject), body: String(r.body), attempts: Number(r.attempts), claimToken,
      }));
    });
  }

  /** Records a delivery; false when the claim was lost (lease expired and another sender took the row). */
  async markSent(claim: ClaimedNotification, note: string | null = null, attempt: NotificationAttempt | null = null): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE job_notifications SET status = 'sent', sent_at = now(), claim_token = NULL, last_error = $3, ${RECORD_ATTEMPT('$4')}
       WHERE notification_id = $1 AND claim_token = $2 AND status = 'pending'
       RETURNING notification_id`,
      [claim.notificationId, claim.claimToken, note, attempt ? JSON.stringify(attempt) : null],
    );
    return rows.length > 0;
  }

  /**
   * Records a failed attempt: due again after `retryInMs`, or 'failed' for good when
   * `giveUp`. False when the claim was lost.
   */
  async markAttemptFailed(
    claim: ClaimedNotification, error: string, retryInMs: number, giveUp: boolean, attempt: NotificationAttempt | null = null,
  ): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE job_notifications
       SET status = CASE WHEN $4::boolean THEN 'failed' ELSE 'pending' END,
           next_attempt_at = now() + $3::double precision * interval '1 millisecond', claim_token = NULL, last_error = $5,
           ${RECORD_ATTEMPT('$6')}
       WHERE notification_id = $1 AND claim_token = $2 AND status = 'pending'
       RETURNING notification_id`,
      [claim.notificationId, claim.claimToken, retryInMs, giveUp, error, attempt ? JSON.stringify(attempt) : null],
    );
    return rows.length > 0;
  }

  /** Delivery of one job's notifications, scoped by tenant and project like every read. */
  async listForJob(tenantId: string, projectId: string, jobId: string): Promise<NotificationDelivery[]> {
    const rows = await this.sql.query<Row>(
      `SELECT notification_id, kind, channel, target, secret_ref IS NOT NULL AS signed, status, recipients, attempts, created_at,
              sent_at, next_attempt_at, last_error, last_attempt_at, last_response_status, attempt_log
       FROM job_notifications WHERE tenant_id = $1 AND project_id = $2 AND job_id = $3
       ORDER BY created_at, kind, channel, target`,
      [tenantId, projectId, jobId],
    );
    return rows.map((r) => ({
      notificationId: String(r.notification_id), kind: r.kind as NotificationKind, channel: r.channel as NotificationChannel,
      target: String(r.target), signed: r.signed === true, status: r.status as NotificationStatus,
      recipients: recipientsOf(r.recipients), attempts: Number(r.attempts), createdAt: toIso(r.created_at)!,
      sentAt: toIso(r.sent_at), nextAttemptAt: r.status === 'pending' ? toIso(r.next_attempt_at) : null,
      lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
      lastAttemptAt: toIso(r.last_attempt_at),
      lastResponseStatus: r.last_response_status === null || r.last_response_status === undefined ? null : Number(r.last_response_status),
      attemptLog: attemptsOf(r.attempt_log),
    }));
  }

  /** Counts by status, for logs and tests. */
  async countByStatus(): Promise<Record<NotificationStatus, number>> {
    const rows = await this.sql.query<Row>(`SELECT status, count(*)::int AS n FROM job_notifications GROUP BY status`);
    const counts: Record<NotificationStatus, number> = { pending: 0, sent: 0, failed: 0 };
    for (const r of rows) counts[r.status as NotificationStatus] = Number(r.n);
    return counts;
  }
}
