/**
 * The feed's reads on PostgreSQL and PGlite: one project's events in global order after a
 * position (optionally up to another), through the `events_scope_position_idx` index of
 * the event store's schema, so a project's page never scans other tenants' events. Same
 * cursor and read horizon as the store's readAll (ADR 0001, 0002): a page never skips an
 * event committed late.
 */
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../event-store/src/event-store.port.js';
import { NO_UPCASTERS, type EventUpcasters } from '../../event-store/src/event-upcasters.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient, SqlExecutor } from '../../event-store/src/postgres/sql-client.js';
import { feedEventFields } from './feed-event.js';
import type { FeedFilter } from './feed-filter.js';
import { FeedReads, ndjsonOf, type ExportPage, type FeedPageRequest } from './feed-reads.js';

// $1 tenant, $2 project, $3/$4 exclusive lower bound, $5/$6 inclusive upper bound (NULL: none),
// $7 event types (NULL: all), $8 limit. xid8 has no -1: the start is (0, -1), below every xid.
const AFTER_AND_UP_TO = `(e.transaction_id, e.global_position) > ($3::xid8, $4::bigint)
    AND ($5::xid8 IS NULL OR (e.transaction_id, e.global_position) <= ($5::xid8, $6::bigint))
    AND e.transaction_id < (SELECT events_read_horizon())
    AND ($7::text[] IS NULL OR e.event_type = ANY ($7::text[]))`;

// $9 the job type (NULL: any), tested on the job views beside the events; where the views are
// in another database the statement has no such test (and is never given a job type).
const projectPageSql = (columns: string, withJobViews = true) => `SELECT ${columns} FROM events e
  WHERE e.metadata->>'tenantId' = $1 AND e.metadata->>'projectId' = $2 AND ${AFTER_AND_UP_TO}
    AND ${withJobViews ? `($9::text IS NULL OR EXISTS (SELECT 1 FROM job_views v
      WHERE v.job_id = substr(e.stream_id, 5) AND v.job_type = $9 AND e.stream_id LIKE 'job-%'))` : '$9::text IS NULL'}
  ORDER BY e.transaction_id, e.global_position LIMIT $8`;

// One job: its stream's own index; the scope is checked on the rows all the same.
const streamPageSql = (columns: string) => `SELECT ${columns} FROM events e
  WHERE e.stream_id = $9 AND e.metadata->>'tenantId' = $1 AND e.metadata->>'projectId' = $2 AND ${AFTER_AND_UP_TO}
  ORDER BY e.transaction_id, e.global_position LIMIT $8`;

// For export: each event's line (the fields of feedEventFields, in its order) built by the
// server, so the service only joins lines: formatting 10,000 events a page in JavaScript cost
// more than reading them. The text is what json_build_object gave (`"key" : value`, the JSON
// values as to_json and jsonb print them), spelled out as one concatenation: json_build_object
// looks up every argument's type again for every row, a third of the statement's time. Every
// column is NOT NULL (a NULL would blank the whole line). The recorded time is formatted as
// toISOString does (milliseconds, truncated). Only what the service needs besides the line is
// read: the position (the next page's `from`) and what tells whether an upcaster applies;
// such an event (rare) is decoded from its line and shown through feedEventFields instead.
const JSON_LINE = `'{"streamId" : ' || to_json(e.stream_id)::text
    || ', "jobId" : ' || CASE WHEN e.stream_id LIKE 'job-%' THEN to_json(substr(e.stream_id, 5))::text ELSE 'null' END
    || ', "revision" : ' || e.stream_revision::text
    || ', "position" : "' || e.transaction_id::text || '/' || e.global_position::text
    || '", "eventId" : "' || e.event_id::text || '", "type" : ' || to_json(e.event_type)::text
    || ', "schemaVersion" : ' || e.schema_version::text
    || ', "recordedAt" : "' || to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    || '", "data" : ' || e.data::text || ', "metadata" : ' || e.metadata::text || '}'`;
const JSON_LINE_COLUMNS = `e.global_position::text AS position_text, e.transaction_id::text AS commit_text,
  e.event_type, e.schema_version, ${JSON_LINE} AS line`;

const READ_PROJECT_SQL = { beside: projectPageSql(EVENT_COLUMNS), apart: projectPageSql(EVENT_COLUMNS, false) };
const READ_STREAM_SQL = streamPageSql(EVENT_COLUMNS);
const READ_PROJECT_JSON_SQL = { beside: projectPageSql(JSON_LINE_COLUMNS), apart: projectPageSql(JSON_LINE_COLUMNS, false) };
const READ_STREAM_JSON_SQL = streamPageSql(JSON_LINE_COLUMNS);

// An export page's outline from the scan alone, without the lines: how many events it holds
// (of `limit` + 1 read, $8: one more tells whether it ends the feed so far), whether an upcaster
// applies to one of them ($10: `type@version` of the stored shapes that read in another), and
// the positions where its parts end ($11 parts), the last being the page's last event. One row
// per part: the rows of a 10,000-event page, parsed by the service, cost it more than the scan.
const pageOutlineSql = (withJobViews: boolean) => `WITH page AS MATERIALIZED (
    SELECT p.transaction_id, p.global_position, p.upcast, row_number() OVER (ORDER BY p.transaction_id, p.global_position) AS n
    FROM (${projectPageSql(`e.transaction_id, e.global_position, (e.event_type || '@' || e.schema_version) = ANY ($10::text[]) AS upcast`, withJobViews)}) p),
  outline AS (SELECT count(*) FILTER (WHERE n < $8) AS events, count(*) >= $8 AS more,
    coalesce(bool_or(upcast) FILTER (WHERE n < $8), false) AS upcast FROM page)
  SELECT o.events::int AS events, o.more, o.upcast, p.transaction_id::text AS commit_text, p.global_position::text AS position_text
  FROM outline o LEFT JOIN page p ON p.n <= o.events AND (p.n = o.events OR p.n % NULLIF(ceil(o.events::numeric / $11::int), 0) = 0)
  ORDER BY p.n`;
const READ_PAGE_OUTLINE_SQL = { beside: pageOutlineSql(true), apart: pageOutlineSql(false) };
const COPY_PROJECT_LINES_SQL = { beside: projectPageSql(`${JSON_LINE} AS line`), apart: projectPageSql(`${JSON_LINE} AS line`, false) };

/**
 * CSV with a quote and a delimiter byte that no JSON text holds (JSON escapes every control
 * character): each line goes out as it is, without the text format's backslash escapes, so
 * COPY's bytes are the NDJSON body itself.
 */
const COPY_AS_LINES = "(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";

/**
 * An export page of at least this many events goes through COPY (PostgreSQL only): its bytes
 * pass from the server to the response unparsed, sent while they arrive, in COPY_PARTS parts
 * read at once. Parsing a 10,000-event page into rows and joining them cost the service more
 * than the statement, and one statement builds its lines on one server core.
 */
const MIN_COPY_EVENTS = 1000;
const COPY_PARTS = 2;

const JOB_TYPES_SQL = 'SELECT job_id, job_type FROM job_views WHERE job_id = ANY ($1::text[])';

export class PostgresFeedReads extends FeedReads {
  /**
   * `sql`: the event store's client; `events`: the store itself (its head). `upcasters`: the
   * store's, so pages show events in their current shape as every other read does (ADR 0013).
   * `jobViews`: 'beside' where `job_views` is in the events' database (a job-type filter and
   * job types are read there); 'apart' where it is not (then ViewsElsewhereFeedReads routes those).
   */
  constructor(
    private readonly sql: SqlClient, private readonly events: Pick<EventStore, 'readHead'>, private readonly upcasters: EventUpcasters = NO_UPCASTERS,
    private readonly jobViews: 'beside' | 'apart' = 'beside',
  ) {
    super();
    this.storedShapes = upcasters.storedShapes().map(({ eventType, schemaVersion }) => `${eventType}@${schemaVersion}`);
  }

  /** `type@version` of every stored shape an upcaster reads. */
  private readonly storedShapes: string[];

  /** Up to `limit` events the filter lets through, after `after` (and up to `upTo`), in global order. */
  async readPage(filter: FeedFilter, page: FeedPageRequest): Promise<RecordedEvent[]> {
    const rows = filter.jobId !== null
      ? await this.sql.query<EventRow>(READ_STREAM_SQL, pageParameters(filter, page), 'feed_read_stream')
      : await this.inScopeOrder((tx) => tx.query<EventRow>(READ_PROJECT_SQL[this.jobViews], pageParameters(filter, page), this.jobViews === 'beside' ? 'feed_read_project' : 'feed_read_project_apart'));
    return rows.map((row) => this.upcasters.upcast(toRecordedEvent(row)));
  }

  /** As readPage, each event as one line of JSON (the shape of `feedEventFields`), for export. */
  async readPageAsJson(filter: FeedFilter, page: FeedPageRequest): Promise<{ position: GlobalPosition; json: string }[]> {
    const rows = filter.jobId !== null
      ? await this.sql.query<JsonTextRow>(READ_STREAM_JSON_SQL, pageParameters(filter, page), 'feed_read_stream_json')
      : await this.readProjectLines(filter, page);
    return rows.map((row) => {
      const position = { commit: BigInt(row.commit_text), prepare: BigInt(row.position_text) };
      if (!this.upcasters.appliesTo(row.event_type, row.schema_version)) return { position, json: row.line };
      // An older shape: decoded from its line and upcast like any other read.
      const line = JSON.parse(row.line) as JsonLine;
      const current = this.upcasters.upcast({
        streamId: line.streamId, revision: BigInt(line.revision), position, eventId: line.eventId, type: line.type,
        schemaVersion: line.schemaVersion, recordedAt: line.recordedAt, data: line.data, metadata: line.metadata,
      });
      return { position, json: JSON.stringify(feedEventFields(current)) };
    });
  }

  private readProjectLines(filter: FeedFilter, page: FeedPageRequest): Promise<JsonTextRow[]> {
    return this.inScopeOrder((tx) => tx.query<JsonTextRow>(READ_PROJECT_JSON_SQL[this.jobViews], pageParameters(filter, page),
      this.jobViews === 'beside' ? 'feed_read_project_json' : 'feed_read_project_json_apart'));
  }

  /**
   * A project page: its outline first (how many events, whether it ends the feed so far,
   * whether an upcaster applies, where its parts end), then its lines by COPY up to the last
   * of them. That bound was found below the read horizon, so the COPY reads exactly these
   * events (none can be committed there later, ADR 0002).
   */
  override async readExportPage(filter: FeedFilter, after: GlobalPosition, limit: number): Promise<ExportPage> {
    const copyOut = this.sql.copyOut;
    if (!copyOut || filter.jobId !== null || limit < MIN_COPY_EVENTS) return super.readExportPage(filter, after, limit);
    const outline = await this.inScopeOrder((tx) => tx.query<PageOutlineRow>(READ_PAGE_OUTLINE_SQL[this.jobViews],
      [...pageParameters(filter, { after, upTo: null, limit: limit + 1 }), this.storedShapes, COPY_PARTS],
      this.jobViews === 'beside' ? 'feed_export_outline' : 'feed_export_outline_apart'));
    const { events, more, upcast } = outline[0];
    if (events === 0) return { last: null, endReached: !more, ndjson: '' };
    const ends = outline.map((row) => ({ commit: BigInt(row.commit_text!), prepare: BigInt(row.position_text!) }));
    const last = ends[ends.length - 1];
    if (upcast) {
      // An event in an older shape (rare): the page as rows, that event shown upcast.
      return { last, endReached: !more, ndjson: ndjsonOf(await this.readPageAsJson(filter, { after, upTo: last, limit: events })) };
    }
    const streams = await Promise.all(ends.map((upTo, i) => copyOut(
      `COPY (${withLiterals(COPY_PROJECT_LINES_SQL[this.jobViews], pageParameters(filter, { after: i === 0 ? after : ends[i - 1], upTo, limit: events }))}) TO STDOUT WITH ${COPY_AS_LINES}`,
      ['SET LOCAL enable_sort = off'])));
    return { last, endReached: !more, ndjson: streams.length === 1 ? streams[0] : inOrder(streams) };
  }

  /**
   * Runs a project read where the planner must take the scope index in its order. Left to
   * itself it underestimates a page (the cursor's and the horizon's selectivity are
   * guesses), and reads every remaining event of the project, then sorts them, for each
   * page: 10,000 of 50,000 events cost 250 ms that way and 60 ms in index order.
   */
  private inScopeOrder<Row>(read: (tx: SqlExecutor) => Promise<Row[]>): Promise<Row[]> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_sort = off');
      return read(tx);
    });
  }

  /** The newest position a reader can reach now (START_POSITION on an empty store). */
  readHead(): Promise<GlobalPosition> {
    return this.events.readHead();
  }

  async readJobTypes(jobIds: readonly string[]): Promise<Map<string, string>> {
    if (this.jobViews === 'apart') throw new Error('job types are in the read store, not beside the events: read them there');
    const rows = await this.sql.query<{ job_id: string; job_type: string }>(JOB_TYPES_SQL, [jobIds], 'feed_job_types');
    return new Map(rows.map((r) => [r.job_id, r.job_type]));
  }
}

interface PageOutlineRow {
  events: number;
  more: boolean;
  upcast: boolean;
  /** Null only on an empty page. */
  commit_text: string | null;
  position_text: string | null;
}

interface JsonTextRow extends Pick<EventRow, 'position_text' | 'commit_text' | 'event_type' | 'schema_version'> {
  line: string;
}

/** The fields of a line that make up the event again. */
type JsonLine = Omit<RecordedEvent, 'revision' | 'position'> & { revision: number };

/** The streams' bytes one stream after the other; all are read from the start, the later ones gathered until their turn. */
function inOrder(streams: readonly Readable[]): Readable {
  const gathered = streams.slice(1).map((stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = finished(stream);
    ended.catch(() => undefined); // awaited in its turn; a response abandoned before then leaves it unread
    return { chunks, ended };
  });
  async function* bytes() {
    try {
      yield* streams[0];
      for (const part of gathered) {
        await part.ended;
        yield* part.chunks;
      }
    } finally {
      for (const stream of streams) stream.destroy();
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

/**
 * The statement with its parameters written in as literals: COPY takes none. Only this
 * module's statements come here; their only `$` are parameter references.
 */
function withLiterals(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(params[Number(n) - 1]));
}

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(sqlLiteral).join(', ')}]`;
  throw new Error(`no SQL literal for ${typeof value}`);
}

function pageParameters(filter: FeedFilter, page: FeedPageRequest): unknown[] {
  const after = page.after.commit < 0n ? { commit: 0n, prepare: -1n } : page.after;
  return [
    filter.tenantId, filter.projectId, after.commit.toString(), after.prepare.toString(),
    page.upTo?.commit.toString() ?? null, page.upTo?.prepare.toString() ?? null,
    filter.eventTypes, page.limit, filter.jobId !== null ? `job-${filter.jobId}` : filter.jobType,
  ];
}
