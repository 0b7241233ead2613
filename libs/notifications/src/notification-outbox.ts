/**
 * The outbox of job notification e-mails, on PostgreSQL or PGlite (same SQL).
 * The saga writes rows and its checkpoint in one transaction; senders in any process
 * claim due rows, send them and record the outcome. UNIQUE (job_id, kind) makes a
 * redelivered event a no-op instead of a second e-mail.
 */
import { createHash, randomUUID } from 'node:crypto';
import { START_POSITION, type GlobalPosition } from '../../event-store/src/event-store.port.js';
import type { SqlClient, SqlExecutor } from '../../event-store/src/postgres/sql-client.js';
import { CheckpointMovedError } from '../../event-store/src/checkpointed-subscription.js';

export type NotificationKind = 'completed' | 'failed';
export type NotificationStatus = 'pending' | 'sent' | 'failed';

/** A message the saga decided to send, before it is queued. */
export interface QueuedNotification {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string;
  readonly kind: NotificationKind;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly body: string;
}

/** A row claimed by a sender: it owns the row until `claimToken` is superseded. */
export interface ClaimedNotification extends QueuedNotification {
  readonly notificationId: string;
  /** Attempts started so far, this one included. */
  readonly attempts: number;
  readonly claimToken: string;
}

/** What the job status can show about delivery. */
export interface NotificationDelivery {
  readonly notificationId: string;
  readonly kind: NotificationKind;
  readonly status: NotificationStatus;
  readonly recipients: readonly string[];
  readonly attempts: number;
  readonly createdAt: string;
  readonly sentAt: string | null;
  /** When the next attempt is due (pending rows only). */
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
}

export const JOB_NOTIFICATION_SAGA = 'job_notifications';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS job_notifications (
  notification_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  project_id text NOT NULL,
  job_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('completed', 'failed')),
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
  UNIQUE (job_id, kind)
);
CREATE INDEX IF NOT EXISTS job_notifications_due ON job_notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS job_notifications_scope ON job_notifications (tenant_id, project_id, job_id);

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

function recipientsOf(value: unknown): string[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** Stable id per (job, kind): the same notification keeps the same id and Message-ID however often it is queued. */
export function notificationIdFor(jobId: string, kind: NotificationKind): string {
  const h = createHash('sha256').update(`job-notification\n${jobId}\n${kind}`).digest('hex');
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
          `INSERT INTO job_notifications (notification_id, tenant_id, project_id, job_id, kind, recipients, subject, body)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
           ON CONFLICT (job_id, kind) DO NOTHING
           RETURNING notification_id`,
          [notificationIdFor(n.jobId, n.kind), n.tenantId, n.projectId, n.jobId, n.kind, JSON.stringify(n.recipients), n.subject, n.body],
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

  /** True when some pending row is due (what a claim would take or mark failed). */
  async hasDue(): Promise<boolean> {
    const rows = await this.sql.query<Row>(
      `SELECT EXISTS (SELECT 1 FROM job_notifications WHERE status = 'pending' AND next_attempt_at <= now()) AS due`,
      [], 'nt_has_due',
    );
    return rows[0]?.due === true;
  }

  /**
   * Claims up to `limit` due pending rows. The claim is short: it counts the attempt and
   * pushes next_attempt_at `leaseMs` ahead, so no transaction stays open while the SMTP
   * server answers, and a sender that dies mid-send gives its rows back after the lease.
   * Rows whose attempts are used up (the sender died during the last one) become 'failed'.
   */
  async claimDue(limit: number, leaseMs: number, maxAttempts: number): Promise<ClaimedNotification[]> {
    const claimToken = randomUUID();
    return this.sql.transaction(async (tx) => {
      const due = await tx.query<Row>(
        `SELECT notification_id, attempts FROM job_notifications
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at, notification_id
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [limit],
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
         RETURNING notification_id, tenant_id, project_id, job_id, kind, recipients, subject, body, attempts`,
        [claimable, claimToken, leaseMs],
      );
      return rows.map((r) => ({
        notificationId: String(r.notification_id), tenantId: String(r.tenant_id), projectId: String(r.project_id),
        jobId: String(r.job_id), kind: r.kind as NotificationKind, recipients: recipientsOf(r.recipients),
        subject: String(r.subject), body: String(r.body), attempts: Number(r.attempts), claimToken,
      }));
    });
  }

  /** Records a delivery; false when the claim was lost (lease expired and another sender took the row). */
  async markSent(claim: ClaimedNotification, note: string | null = null): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE job_notifications SET status = 'sent', sent_at = now(), claim_token = NULL, last_error = $3
       WHERE notification_id = $1 AND claim_token = $2 AND status = 'pending'
       RETURNING notification_id`,
      [claim.notificationId, claim.claimToken, note],
    );
    return rows.length > 0;
  }

  /**
   * Records a failed attempt: due again after `retryInMs`, or 'failed' for good when
   * `giveUp`. False when the claim was lost.
   */
  async markAttemptFailed(claim: ClaimedNotification, error: string, retryInMs: number, giveUp: boolean): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE job_notifications
       SET status = CASE WHEN $4::boolean THEN 'failed' ELSE 'pending' END,
           next_attempt_at = now() + $3::double precision * interval '1 millisecond', claim_token = NULL, last_error = $5
       WHERE notification_id = $1 AND claim_token = $2 AND status = 'pending'
       RETURNING notification_id`,
      [claim.notificationId, claim.claimToken, retryInMs, giveUp, error],
    );
    return rows.length > 0;
  }

  /** Delivery of one job's notifications, scoped by tenant and project like every read. */
  async listForJob(tenantId: string, projectId: string, jobId: string): Promise<NotificationDelivery[]> {
    const rows = await this.sql.query<Row>(
      `SELECT notification_id, kind, status, recipients, attempts, created_at, sent_at, next_attempt_at, last_error
       FROM job_notifications WHERE tenant_id = $1 AND project_id = $2 AND job_id = $3
       ORDER BY created_at, kind`,
      [tenantId, projectId, jobId],
    );
    return rows.map((r) => ({
      notificationId: String(r.notification_id), kind: r.kind as NotificationKind, status: r.status as NotificationStatus,
      recipients: recipientsOf(r.recipients), attempts: Number(r.attempts), createdAt: toIso(r.created_at)!,
      sentAt: toIso(r.sent_at), nextAttemptAt: r.status === 'pending' ? toIso(r.next_attempt_at) : null,
      lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
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
