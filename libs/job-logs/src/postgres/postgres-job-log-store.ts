/**
 * Job logs in PostgreSQL / PGlite: one table of lines, indexed by (job, time) for the
 * reads and by a BRIN on time for the retention delete (lines arrive in time order, so
 * the BRIN stays small and costs the inserts almost nothing). Lines travel as one JSONB
 * array per statement, so a batch of many jobs' lines is one round trip, alone
 * (`insert`) or inside the job writer's final append (`insertJobLogLinesFrom`).
 */
import type { SqlClient, SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import {
  LEVEL_RANK, levelOfRank, type JobLogFilter, type JobLogLine, type JobLogStore, type JobLogSummary, type StoredJobLogLine,
} from '../job-log.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS job_log_lines (
     line_id bigserial NOT NULL,
     job_id text NOT NULL,
     at timestamptz NOT NULL,
     sequence integer NOT NULL,
     level smallint NOT NULL,
     component text NOT NULL,
     stage text NOT NULL,
     message text NOT NULL,
     details jsonb NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS job_log_lines_job_time ON job_log_lines (job_id, at, sequence)`,
  `CREATE INDEX IF NOT EXISTS job_log_lines_time ON job_log_lines USING brin (at)`,
];

/** Creates the table and its indexes (idempotent); run inside the read store's migration, as the job writer's statement writes it. */
export async function migrateJobLogLines(tx: SqlExecutor): Promise<void> {
  for (const statement of SCHEMA) await tx.query(statement);
}

/**
 * The INSERT of the lines in `source`, a FROM item yielding one JSONB line `l` per row
 * (as `serializeJobLogLines` writes them).
 */
export function insertJobLogLinesFrom(source: string): string {
  return `INSERT INTO job_log_lines (job_id, at, sequence, level, component, stage, message, details)
  SELECT l->>'j', (l->>'t')::timestamptz, (l->>'q')::int, (l->>'r')::smallint, l->>'c', l->>'s', l->>'m', l->'d' FROM ${source}
  ORDER BY l->>'j', (l->>'t')::timestamptz, (l->>'q')::int`; // line ids (a live follow's cursor) in the order lines are read
}

const INSERT_SQL = insertJobLogLinesFrom('jsonb_array_elements($1::jsonb) AS x(l)');

const MAYBE_UNSTORABLE_JSON = /\\u(0000|d[89a-f])/i;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Lines as the insert reads them, with `extra` fields per line (the job writer adds its item); NUL and lone surrogates dropped, as PostgreSQL refuses them. */
export function serializeJobLogLines(lines: readonly JobLogLine[], extra: (index: number) => Record<string, unknown> = () => ({})): string {
  const rows = lines.map((line, index) => ({
    j: line.jobId, t: line.timestamp, q: line.sequence ?? 0, r: LEVEL_RANK[line.level], c: line.component, s: line.stage, m: line.message, d: line.details,
    ...extra(index),
  }));
  const json = JSON.stringify(rows);
  // JSON escapes both as \u sequences: only then is the slower cleaning pass needed.
  return MAYBE_UNSTORABLE_JSON.test(json)
    ? JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.replace(UNSTORABLE, '') : value))
    : json;
}

interface LineRow {
  line_id: string;
  at: string;
  level: number;
  component: string;
  stage: string;
  message: string;
  details: Record<string, unknown>;
}

const LINE_COLUMNS = `line_id::text AS line_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, level, component, stage, message, details`;

function storedLine(row: LineRow): StoredJobLogLine {
  return {
    lineId: row.line_id, timestamp: row.at, level: levelOfRank(row.level), component: row.component as StoredJobLogLine['component'],
    stage: row.stage, message: row.message, details: row.details,
  };
}

/** The table is created by the read store's migration (`migrateJobLogLines`). */
export class PostgresJobLogStore implements JobLogStore {
  constructor(private readonly sql: SqlClient) {}

  async insert(lines: readonly JobLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.sql.query(INSERT_SQL, [serializeJobLogLines(lines)], 'job_log_insert');
  }

  async read(jobId: string, filter: JobLogFilter): Promise<StoredJobLogLine[]> {
    const rows = await this.sql.query<LineRow>(
      `SELECT ${LINE_COLUMNS} FROM job_log_lines
       WHERE job_id = $1 AND level >= $2 AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at <= $4)
       ORDER BY at, sequence, line_id LIMIT $5`,
      [jobId, LEVEL_RANK[filter.minLevel], filter.fromTime?.toISOString() ?? null, filter.toTime?.toISOString() ?? null, filter.limit],
    );
    return rows.map(storedLine);
  }

  async summarize(jobId: string): Promise<JobLogSummary> {
    const [row] = await this.sql.query<Record<string, string | number | null>>(
      `SELECT count(*)::int AS total,
         count(*) FILTER (WHERE level = ${LEVEL_RANK.DEBUG})::int AS debug, count(*) FILTER (WHERE level = ${LEVEL_RANK.INFO})::int AS info,
         count(*) FILTER (WHERE level = ${LEVEL_RANK.WARN})::int AS warn, count(*) FILTER (WHERE level = ${LEVEL_RANK.ERROR})::int AS error,
         to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start_time,
         to_char(max(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS end_time
       FROM job_log_lines WHERE job_id = $1`,
      [jobId],
    );
    return {
      totalEntries: Number(row.total), debugEntries: Number(row.debug), infoEntries: Number(row.info),
      warnEntries: Number(row.warn), errorEntries: Number(row.error),
      timeRange: { startTime: (row.start_time as string | null) ?? null, endTime: (row.end_time as string | null) ?? null },
    };
  }

  async readAfter(jobId: string, afterLineId: string | null, limit: number): Promise<StoredJobLogLine[]> {
    const rows = await this.sql.query<LineRow>(
      `SELECT ${LINE_COLUMNS} FROM job_log_lines WHERE job_id = $1 AND line_id > $2::bigint ORDER BY line_id LIMIT $3`,
      [jobId, afterLineId ?? '0', limit],
    );
    return rows.map(storedLine);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const rows = await this.sql.query<{ deleted: number }>(
      `WITH deleted AS (DELETE FROM job_log_lines WHERE at < $1 RETURNING 1) SELECT count(*)::int AS deleted FROM deleted`,
      [cutoff.toISOString()],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}
