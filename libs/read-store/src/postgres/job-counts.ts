/**
 * Maintained job counts (ADR 0007): the list summary and the queue statistics read these
 * instead of counting job_views on every request.
 *
 * - `job_count_totals`: jobs per (tenant, project, status, jobType, priority, submittedBy).
 * - `job_count_days`: the same per UTC day of dateCreated, for the list's date filters.
 * - `job_count_months`: the same per UTC month, so a long date range reads whole months
 *   rather than every day's rows (a busy project has hundreds of count rows per day).
 *
 * Statement-level triggers on job_views fold each statement's changed rows into deltas
 * and add them, in the writer's own transaction: every writer (the projection, a writer
 * in the append transaction, a rebuild's DELETE) keeps them exact, with no code of its own.
 * Each transaction adds to one of COUNT_SHARDS rows per key (chosen by its transaction id),
 * so concurrent writers in one project rarely wait on one hot row; readers sum the shards.
 * A delta of 0 (a progress update, the most frequent write) writes nothing.
 */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import type { JobListFilter } from '../read-store.port.js';
import { DEAD_LETTERED } from './job-read-store.schema.js';

export const COUNT_SHARDS = 8;

const DIMENSIONS = ['tenant_id', 'project_id', 'status', 'job_type', 'priority', 'submitted_by'];
/** job_count_days's key: the scope, then the day (date ranges read a slice), then the rest. */
const DAY_KEY = [...DIMENSIONS.slice(0, 2), 'day', ...DIMENSIONS.slice(2)];
const DAY = `(date_created AT TIME ZONE 'UTC')::date`;
/** job_count_months's key: as the days', the month (its first day) in place of the day. */
const MONTH_KEY = [...DIMENSIONS.slice(0, 2), 'month', ...DIMENSIONS.slice(2)];
const MONTH = `date_trunc('month', date_created AT TIME ZONE 'UTC')::date`;
/** The count tables in the order every writer and the fold lock them. */
const COUNT_TABLES = [
  ['job_count_totals', DIMENSIONS], ['job_count_days', DAY_KEY], ['job_count_months', MONTH_KEY],
] as const;

type TriggerEvent = 'insert' | 'update' | 'delete';

/** The changed rows of one statement as (dimensions, day, delta), from its transition tables. */
function changesOf(event: TriggerEvent): string {
  const rows = (table: string, delta: number) =>
    `SELECT ${DIMENSIONS.join(', ')}, ${DAY} AS day, ${MONTH} AS month, ${delta} AS delta FROM ${table}`;
  if (event === 'insert') return rows('new_rows', 1);
  if (event === 'delete') return rows('old_rows', -1);
  return `${rows('new_rows', 1)} UNION ALL ${rows('old_rows', -1)}`;
}

/** Adds the deltas of `changes` into `table` keyed by `key`, in key order (two writers lock rows in one order). */
function addDeltas(table: string, key: readonly string[], changes: string, shard: string): string {
  const keyList = key.join(', ');
  return `INSERT INTO ${table} AS c (${keyList}, shard, jobs)
    SELECT ${keyList}, ${shard}, sum(delta) FROM (${changes}) ch
    GROUP BY ${keyList} HAVING sum(delta) <> 0 ORDER BY ${keyList}
    ON CONFLICT (${keyList}, shard) DO UPDATE SET jobs = c.jobs + EXCLUDED.jobs`;
}

function triggerFunction(event: TriggerEvent, shards: number): string {
  return `CREATE OR REPLACE FUNCTION job_counts_after_${event}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $body$
DECLARE
  txn_shard smallint := (pg_current_xact_id()::text::bigint % ${shards})::smallint;
BEGIN
  ${COUNT_TABLES.map(([table, key]) => `${addDeltas(table, key, changesOf(event), 'txn_shard')};`).join('\n  ')}
  RETURN NULL;
END
$body$`;
}

function trigger(event: TriggerEvent): string {
  const transitions = event === 'insert' ? 'NEW TABLE AS new_rows' : event === 'delete' ? 'OLD TABLE AS old_rows'
    : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
  return `CREATE OR REPLACE TRIGGER job_views_counts_${event} AFTER ${event.toUpperCase()} ON job_views
    REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION job_counts_after_${event}()`;
}

/**
 * Count rows are updated over and over: room on each page keeps the updates HOT (no new
 * index entries, dead versions pruned as pages are read), and autovacuum visits the tables
 * after a fixed number of changes rather than a fraction of a small table.
 */
const COUNT_TABLE_STORAGE = 'fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, '
  + 'autovacuum_analyze_scale_factor = 0.1';

const COUNTED = DIMENSIONS.map((d) => `${d} text NOT NULL`).join(', ');

/**
 * Creates the count tables and their triggers (after job_views exists). The first time,
 * it counts the existing documents, holding writers of job_views off until the triggers
 * are in place, so not one change slips between the count and the first trigger.
 * Runs inside the read store's migration transaction. `triggers: false` creates the
 * tables only (a rebuild's copy, counted once it is filled: a later call counts and adds them).
 */
export async function migrateJobCounts(tx: SqlExecutor, { triggers = true }: { triggers?: boolean } = {}): Promise<void> {
  const existing = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'job_views'::regclass AND tgname LIKE 'job_views_counts_%'`,
  );
  const firstTime = existing[0].n < 3;
  // The month counts came later: a store counted without them gets them counted once, the same way.
  const months = await tx.query<{ present: boolean }>(`SELECT to_regclass('job_count_months') IS NOT NULL AS present`);
  await tx.query(`CREATE TABLE IF NOT EXISTS job_count_totals (${COUNTED}, shard smallint NOT NULL, jobs bigint NOT NULL,
    PRIMARY KEY (${DIMENSIONS.join(', ')}, shard))`);
  await tx.query(`CREATE TABLE IF NOT EXISTS job_count_days (${COUNTED}, day date NOT NULL, shard smallint NOT NULL, jobs bigint NOT NULL,
    PRIMARY KEY (${DAY_KEY.join(', ')}, shard))`);
  await tx.query(`CREATE TABLE IF NOT EXISTS job_count_months (${COUNTED}, month date NOT NULL, shard smallint NOT NULL, jobs bigint NOT NULL,
    PRIMARY KEY (${MONTH_KEY.join(', ')}, shard))`);
  for (const [table] of COUNT_TABLES) await tx.query(`ALTER TABLE ${table} SET (${COUNT_TABLE_STORAGE})`);
  const recounted = firstTime ? COUNT_TABLES : months[0].present ? [] : COUNT_TABLES.filter(([table]) => table === 'job_count_months');
  if (recounted.length > 0) {
    await tx.query(`LOCK TABLE job_views IN SHARE ROW EXCLUSIVE MODE`);
    const all = `SELECT ${DIMENSIONS.join(', ')}, ${DAY} AS day, ${MONTH} AS month, 1 AS delta FROM job_views`;
    for (const [table, key] of recounted) {
      await tx.query(`DELETE FROM ${table}`);
      await tx.query(addDeltas(table, key, all, '0'));
    }
  }
  if (triggers) await createJobCountTriggers(tx);
}

/** (Re)creates the triggers; `shards` other than COUNT_SHARDS only for the contention benchmark. */
export async function createJobCountTriggers(tx: SqlExecutor, shards = COUNT_SHARDS): Promise<void> {
  for (const event of ['insert', 'update', 'delete'] as const) {
    await tx.query(triggerFunction(event, shards));
    await tx.query(trigger(event));
  }
}

/**
 * Folds every key's shard rows into its shard 0 and drops rows that add up to nothing, so
 * readers sum about one row per key. It holds the count tables against writers (not
 * readers) for its few milliseconds, all at once: writers take them in the same order
 * (totals, days, months), so neither can wait for the other in a circle.
 */
export async function foldJobCountShards(tx: SqlExecutor): Promise<void> {
  await tx.query(`LOCK TABLE ${COUNT_TABLES.map(([table]) => table).join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
  for (const [table, key] of COUNT_TABLES) {
    const keyList = key.join(', ');
    await tx.query(`WITH moved AS (DELETE FROM ${table} WHERE shard <> 0 RETURNING *)
      INSERT INTO ${table} AS c (${keyList}, shard, jobs)
      SELECT ${keyList}, 0, sum(jobs) FROM moved GROUP BY ${keyList}
      ON CONFLICT (${keyList}, shard) DO UPDATE SET jobs = c.jobs + EXCLUDED.jobs`);
  }
  await dropEmptyJobCounts(tx);
}

/** The read store's tables whose planner statistics matter to the list and the queue. */
const ANALYZED_TABLES = ['job_views', ...COUNT_TABLES.map(([table]) => table)];

/**
 * ANALYZE for the tables changed by more than a tenth (plus 500 rows) since their last
 * statistics, as autovacuum would: the embedded store has no autovacuum, and a server may
 * run without it. Without statistics a 100,000-job project is planned as a few rows and
 * a list page sorts the whole project (about a second) instead of reading 20 index entries.
 */
export async function analyzeStaleTables(sql: SqlExecutor): Promise<void> {
  await runOnStaleTables(sql, 'ANALYZE', 'n_mod_since_analyze > 500 + 0.1 * n_live_tup');
}

/**
 * VACUUM for the same tables once their dead row versions pass a fifth of their live ones
 * (plus 500), as autovacuum would. Count rows are rewritten on every status change and by
 * every fold: without it (the embedded store; a server without autovacuum) a count table of
 * 640 live rows grew to 340 pages, and every summary read them all.
 */
export async function vacuumStaleTables(sql: SqlExecutor): Promise<void> {
  await runOnStaleTables(sql, 'VACUUM', 'n_dead_tup > 500 + 0.2 * n_live_tup');
}

/** Runs `command` on each of ANALYZED_TABLES whose pg_stat_user_tables row meets `staleWhen`. */
async function runOnStaleTables(sql: SqlExecutor, command: 'ANALYZE' | 'VACUUM', staleWhen: string): Promise<void> {
  const stale = await sql.query<{ relname: string }>(
    `SELECT relname::text AS relname FROM pg_stat_user_tables WHERE relid = ANY($1::regclass[]) AND ${staleWhen}`,
    [ANALYZED_TABLES],
  );
  for (const { relname } of stale) {
    if (ANALYZED_TABLES.includes(relname)) await sql.query(`${command} ${relname}`);
  }
}

/** Removes count rows that add up to nothing (after a rebuild's DELETE, say), so reads sum fewer rows. */
export async function dropEmptyJobCounts(tx: SqlExecutor): Promise<void> {
  for (const [table] of COUNT_TABLES) await tx.query(`DELETE FROM ${table} WHERE jobs = 0`);
}

const DAY_MS = 86_400_000;
const dayStart = (t: Date) => new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
const dayOf = (t: Date) => dayStart(t).toISOString().slice(0, 10);
const addDays = (t: Date, days: number) => new Date(t.getTime() + days * DAY_MS);
const monthStart = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
const nextMonth = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
/** Days from `from` up to `to` (exclusive), both at midnight. */
const daysBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / DAY_MS);

/** An exact count over a dateCreated range of job_views, added or subtracted. */
interface EdgeCount {
  readonly sign: 1 | -1;
  readonly from: { readonly at: Date; readonly inclusive: boolean };
  readonly to: { readonly at: Date; readonly inclusive: boolean };
}

interface DayRange {
  readonly firstDay: string | null;
  readonly lastDay: string | null;
}

/**
 * How the summary of a date range is read: whole UTC days from the month and day counts
 * (wholeDayRanges), plus or minus exact counts over the edges' partial days (an index range
 * of job_views), whichever side of the edge is the shorter span of time. Exact at any precision.
 */
function planDateRange(from: Date | undefined, to: Date | undefined): { days: DayRange | null; edges: EdgeCount[] } {
  const edges: EdgeCount[] = [];
  if (from && to && dayOf(from) === dayOf(to)) {
    const start = dayStart(from);
    const next = addDays(start, 1);
    // Within one day: the range itself, or the day minus both sides of it.
    if (to.getTime() - from.getTime() <= DAY_MS / 2) {
      return { days: null, edges: [{ sign: 1, from: { at: from, inclusive: true }, to: { at: to, inclusive: true } }] };
    }
    edges.push({ sign: -1, from: { at: start, inclusive: true }, to: { at: from, inclusive: false } });
    edges.push({ sign: -1, from: { at: to, inclusive: false }, to: { at: next, inclusive: false } });
    return { days: { firstDay: dayOf(from), lastDay: dayOf(from) }, edges };
  }
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  if (from) {
    const start = dayStart(from);
    const next = addDays(start, 1);
    if (from.getTime() - start.getTime() <= next.getTime() - from.getTime()) {
      firstDay = dayOf(from);
      if (from > start) edges.push({ sign: -1, from: { at: start, inclusive: true }, to: { at: from, inclusive: false } });
    } else {
      firstDay = dayOf(next);
      edges.push({ sign: 1, from: { at: from, inclusive: true }, to: { at: next, inclusive: false } });
    }
  }
  if (to) {
    const start = dayStart(to);
    const next = addDays(start, 1);
    if (next.getTime() - to.getTime() <= to.getTime() - start.getTime()) {
      lastDay = dayOf(to);
      edges.push({ sign: -1, from: { at: to, inclusive: false }, to: { at: next, inclusive: false } });
    } else {
      lastDay = dayOf(addDays(start, -1));
      edges.push({ sign: 1, from: { at: start, inclusive: true }, to: { at: to, inclusive: true } });
    }
  }
  return { days: { firstDay, lastDay }, edges };
}

/** A range of one count table, added or subtracted; bounds inclusive (days, or months by their first day), null = open. */
interface BucketRange {
  readonly table: 'job_count_days' | 'job_count_months';
  readonly column: 'day' | 'month';
  readonly sign: 1 | -1;
  readonly from: Date | null;
  readonly to: Date | null;
}

/**
 * The whole UTC days `first`..`last` (null: open) as ranges of the count tables: every month
 * they cover whole from job_count_months; a month they cover in part either as its days in
 * the range or as the whole month less its days outside it, whichever reads fewer day rows
 * (at most half a month per edge).
 */
export function wholeDayRanges(first: Date | null, last: Date | null): BucketRange[] {
  const days = (sign: 1 | -1, from: Date, to: Date): BucketRange => ({ table: 'job_count_days', column: 'day', sign, from, to });
  const months = (sign: 1 | -1, from: Date | null, to: Date | null): BucketRange => ({ table: 'job_count_months', column: 'month', sign, from, to });
  if (first && last && first > last) return [];
  if (first && last && monthStart(first).getTime() === monthStart(last).getTime()) {
    const start = monthStart(first);
    const end = addDays(nextMonth(first), -1);
    const inside = daysBetween(first, last) + 1;
    const outside = daysBetween(start, nextMonth(first)) - inside;
    if (inside <= outside) return [days(1, first, last)];
    const ranges = [months(1, start, start)];
    if (first > start) ranges.push(days(-1, start, addDays(first, -1)));
    if (last < end) ranges.push(days(-1, addDays(last, 1), end));
    return ranges;
  }
  const ranges: BucketRange[] = [];
  let monthsFrom: Date | null = null;
  let monthsTo: Date | null = null;
  if (first) {
    const start = monthStart(first);
    const before = daysBetween(start, first);
    const inside = daysBetween(first, nextMonth(first));
    if (before === 0) monthsFrom = start;
    else if (inside <= before) {
      ranges.push(days(1, first, addDays(nextMonth(first), -1)));
      monthsFrom = nextMonth(first);
    } else {
      ranges.push(days(-1, start, addDays(first, -1)));
      monthsFrom = start;
    }
  }
  if (last) {
    const start = monthStart(last);
    const inside = daysBetween(start, last) + 1;
    const after = daysBetween(last, nextMonth(last)) - 1;
    if (after === 0) monthsTo = start;
    else if (inside <= after) {
      ranges.push(days(1, start, last));
      monthsTo = monthStart(addDays(start, -1));
    } else {
      ranges.push(days(-1, addDays(last, 1), addDays(nextMonth(last), -1)));
      monthsTo = start;
    }
  }
  if (!monthsFrom || !monthsTo || monthsFrom <= monthsTo) ranges.push(months(1, monthsFrom, monthsTo));
  return ranges;
}

/**
 * One statement giving (status, n) over the filter: the maintained counts, with the date
 * range's partial days counted exactly. Callers must rule out dateFrom > dateTo first.
 */
export function countsByStatusQuery(filter: JobListFilter): { text: string; params: unknown[] } {
  const params: unknown[] = [filter.tenantId, filter.projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const dimensions: string[] = ['tenant_id = $1', 'project_id = $2'];
  if (filter.status) dimensions.push(`status = ${param(filter.status)}`);
  if (filter.jobType) dimensions.push(`job_type = ${param(filter.jobType)}`);
  if (filter.priority) dimensions.push(`priority = ${param(filter.priority)}`);
  if (filter.submittedBy) dimensions.push(`submitted_by = ${param(filter.submittedBy)}`);
  if (filter.deadLettered !== undefined) {
    // Dead letters are few and not among the maintained counts: counted exactly.
    dimensions.push(`${DEAD_LETTERED('job_views')} = ${param(filter.deadLettered)}`);
    if (filter.dateFrom) dimensions.push(`date_created >= ${param(filter.dateFrom.toISOString())}::timestamptz`);
    if (filter.dateTo) dimensions.push(`date_created <= ${param(filter.dateTo.toISOString())}::timestamptz`);
    return { text: `SELECT status, count(*)::bigint AS n FROM job_views WHERE ${dimensions.join(' AND ')} GROUP BY status`, params };
  }
  const where = dimensions.join(' AND ');
  if (!filter.dateFrom && !filter.dateTo) {
    return { text: `SELECT status, sum(jobs)::bigint AS n FROM job_count_totals WHERE ${where} GROUP BY status`, params };
  }
  const plan = planDateRange(filter.dateFrom, filter.dateTo);
  const parts: string[] = [];
  if (plan.days) {
    const midnight = (day: string | null) => (day === null ? null : new Date(`${day}T00:00:00.000Z`));
    for (const range of wholeDayRanges(midnight(plan.days.firstDay), midnight(plan.days.lastDay))) {
      const bounds = [
        range.from ? ` AND ${range.column} >= ${param(dayOf(range.from))}::date` : '',
        range.to ? ` AND ${range.column} <= ${param(dayOf(range.to))}::date` : '',
      ].join('');
      parts.push(`SELECT status, ${range.sign === 1 ? '' : '-'}sum(jobs) AS n FROM ${range.table} WHERE ${where}${bounds} GROUP BY status`);
    }
  }
  for (const edge of plan.edges) {
    const lower = `date_created ${edge.from.inclusive ? '>=' : '>'} ${param(edge.from.at.toISOString())}::timestamptz`;
    const upper = `date_created ${edge.to.inclusive ? '<=' : '<'} ${param(edge.to.at.toISOString())}::timestamptz`;
    parts.push(`SELECT status, ${edge.sign === 1 ? '' : '-'}count(*) AS n FROM job_views WHERE ${where} AND ${lower} AND ${upper} GROUP BY status`);
  }
  if (parts.length === 0) parts.push(`SELECT NULL::text AS status, 0::bigint AS n WHERE false`);
  return { text: `SELECT status, sum(n)::bigint AS n FROM (${parts.join(' UNION ALL ')}) parts GROUP BY status`, params };
}
