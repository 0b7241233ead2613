/**
 * Schedules on PostgreSQL and PGlite: each append commits with the schedule's view row
 * (`schedule_views`) in one transaction, so a read after a command sees it and a crash
 * leaves no view behind its stream. `next_due_at` (the first fire time not handled yet)
 * is what the firer's due query and timer read.
 */
import type { PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import { nextDueFireTime } from '../fire-times.js';
import type { ScheduleAppend, ScheduleWriter } from '../schedule-repository.js';
import type { ScheduleState } from '../schedule.state.js';
import type { DueSchedules, ScheduleViews } from '../schedule-views.port.js';

const SCHEMA = [`
CREATE TABLE IF NOT EXISTS schedule_views (
  schedule_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  project_id text NOT NULL,
  deleted boolean NOT NULL,
  next_due_at timestamptz,
  created_at timestamptz NOT NULL,
  revision integer NOT NULL,
  doc jsonb NOT NULL
)`,
  'CREATE INDEX IF NOT EXISTS schedule_views_scope ON schedule_views (tenant_id, project_id, created_at, schedule_id) WHERE NOT deleted',
  'CREATE INDEX IF NOT EXISTS schedule_views_due ON schedule_views (next_due_at) WHERE next_due_at IS NOT NULL',
];

const UPSERT_VIEW = `
INSERT INTO schedule_views AS v (schedule_id, tenant_id, project_id, deleted, next_due_at, created_at, revision, doc)
VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7, $8::jsonb)
ON CONFLICT (schedule_id) DO UPDATE SET
  deleted = EXCLUDED.deleted, next_due_at = EXCLUDED.next_due_at, revision = EXCLUDED.revision, doc = EXCLUDED.doc
WHERE v.revision < EXCLUDED.revision`;

const CHANGE_CHANNEL = 'schedule_changes';

export class PostgresScheduleStore implements ScheduleWriter, ScheduleViews, DueSchedules {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly sql: SqlClient, private readonly events: PostgresEventStore) {}

  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // Processes starting together must not race on CREATE TABLE.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('schedules_migration'))`);
      for (const statement of SCHEMA) await tx.query(statement);
    });
  }

  async append({ streamId, events, expected, state }: ScheduleAppend): Promise<void> {
    const due = nextDueFireTime(state);
    await this.sql.transaction(async (tx) => {
      await this.events.appendWith(tx, streamId, events, expected);
      await tx.query(UPSERT_VIEW, [
        state.scheduleId, state.tenantId, state.projectId, state.deleted, due?.toISOString() ?? null, state.createdAt,
        state.revision, JSON.stringify(state),
      ]);
    });
    this.events.announceAppend();
    for (const listener of [...this.listeners]) listener();
    // Another process may lead the firer: tell it too (one process owns an embedded store).
    if (this.sql.kind === 'pg') await this.sql.query(`SELECT pg_notify('${CHANGE_CHANNEL}', '')`).catch(() => undefined);
  }

  async get(tenantId: string, projectId: string, scheduleId: string): Promise<ScheduleState | null> {
    const [row] = await this.sql.query<{ doc: ScheduleState }>(
      'SELECT doc FROM schedule_views WHERE schedule_id = $1 AND tenant_id = $2 AND project_id = $3 AND NOT deleted',
      [scheduleId, tenantId, projectId],
    );
    return row?.doc ?? null;
  }

  async list(tenantId: string, projectId: string): Promise<ScheduleState[]> {
    const rows = await this.sql.query<{ doc: ScheduleState }>(
      `SELECT doc FROM schedule_views WHERE tenant_id = $1 AND project_id = $2 AND NOT deleted
       ORDER BY created_at, schedule_id LIMIT 1000`,
      [tenantId, projectId],
    );
    return rows.map((r) => r.doc);
  }

  async dueScheduleIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ schedule_id: string }>(
      'SELECT schedule_id FROM schedule_views WHERE next_due_at <= $1::timestamptz ORDER BY next_due_at LIMIT $2',
      [now.toISOString(), limit],
    );
    return rows.map((r) => r.schedule_id);
  }

  async earliestDueAt(): Promise<Date | null> {
    const [row] = await this.sql.query<{ at: string | Date | null }>('SELECT min(next_due_at) AS at FROM schedule_views');
    return row?.at ? new Date(row.at) : null;
  }

  async onChange(listener: () => void): Promise<() => Promise<void>> {
    const own = () => listener();
    this.listeners.add(own);
    const unlisten = this.sql.kind === 'pg' ? await this.sql.listen(CHANGE_CHANNEL, own) : null;
    return async () => {
      this.listeners.delete(own);
      await unlisten?.();
    };
  }
}
