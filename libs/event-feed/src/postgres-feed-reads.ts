/**
 * The feed's reads on PostgreSQL and PGlite: one project's events in global order after a
 * position (optionally up to another), through the `events_scope_position_idx` index of
 * the event store's schema, so a project's page never scans other tenants' events. Same
 * cursor and read horizon as the store's readAll (ADR 0001, 0002): a page never skips an
 * event committed late.
 */
import {
  START_POSITION, type GlobalPosition, type RecordedEvent,
} from '../../event-store/src/event-store.port.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import type { FeedFilter } from './feed-filter.js';

// $1 tenant, $2 project, $3/$4 exclusive lower bound, $5/$6 inclusive upper bound (NULL: none),
// $7 event types (NULL: all), $8 limit. xid8 has no -1: the start is (0, -1), below every xid.
const AFTER_AND_UP_TO = `(e.transaction_id, e.global_position) > ($3::xid8, $4::bigint)
    AND ($5::xid8 IS NULL OR (e.transaction_id, e.global_position) <= ($5::xid8, $6::bigint))
    AND e.transaction_id < (SELECT events_read_horizon())
    AND ($7::text[] IS NULL OR e.event_type = ANY ($7::text[]))`;

const READ_PROJECT_SQL = `SELECT ${EVENT_COLUMNS} FROM events e
  WHERE e.metadata->>'tenantId' = $1 AND e.metadata->>'projectId' = $2 AND ${AFTER_AND_UP_TO}
    AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM job_views v
      WHERE v.job_id = substr(e.stream_id, 5) AND v.job_type = $9 AND e.stream_id LIKE 'job-%'))
  ORDER BY e.transaction_id, e.global_position LIMIT $8`;

// One job: its stream's own index; the scope is checked on the rows all the same.
const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM events e
  WHERE e.stream_id = $9 AND e.metadata->>'tenantId' = $1 AND e.metadata->>'projectId' = $2 AND ${AFTER_AND_UP_TO}
  ORDER BY e.transaction_id, e.global_position LIMIT $8`;

const READ_HEAD_SQL = `SELECT e.transaction_id::text AS commit_text, e.global_position::text AS position_text FROM events e
  WHERE e.transaction_id < (SELECT events_read_horizon())
  ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`;

const JOB_TYPES_SQL = 'SELECT job_id, job_type FROM job_views WHERE job_id = ANY ($1::text[])';

export interface FeedPageRequest {
  readonly after: GlobalPosition;
  /** Inclusive; null: up to the newest event that can be read. */
  readonly upTo: GlobalPosition | null;
  readonly limit: number;
}

export class PostgresFeedReads {
  constructor(private readonly sql: SqlClient) {}

  /** Up to `limit` events the filter lets through, after `after` (and up to `upTo`), in global order. */
  async readPage(filter: FeedFilter, page: FeedPageRequest): Promise<RecordedEvent[]> {
    const after = page.after.commit < 0n ? { commit: 0n, prepare: -1n } : page.after;
    const params = [
      filter.tenantId, filter.projectId, after.commit.toString(), after.prepare.toString(),
      page.upTo?.commit.toString() ?? null, page.upTo?.prepare.toString() ?? null,
      filter.eventTypes, page.limit,
    ];
    const rows = filter.jobId !== null
      ? await this.sql.query<EventRow>(READ_STREAM_SQL, [...params, `job-${filter.jobId}`], 'feed_read_stream')
      : await this.sql.query<EventRow>(READ_PROJECT_SQL, [...params, filter.jobType], 'feed_read_project');
    return rows.map(toRecordedEvent);
  }

  /** The newest position a reader can reach now (START_POSITION on an empty store). */
  async readHead(): Promise<GlobalPosition> {
    const [row] = await this.sql.query<{ commit_text: string; position_text: string }>(READ_HEAD_SQL, [], 'feed_read_head');
    return row ? { commit: BigInt(row.commit_text), prepare: BigInt(row.position_text) } : START_POSITION;
  }

  async readJobTypes(jobIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ job_id: string; job_type: string }>(JOB_TYPES_SQL, [jobIds], 'feed_job_types');
    return new Map(rows.map((r) => [r.job_id, r.job_type]));
  }
}
