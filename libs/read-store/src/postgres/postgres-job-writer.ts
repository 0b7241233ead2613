/**
 * The job writer of the PostgreSQL/PGlite stores: a command's events and the job's view
 * document commit in ONE statement (append first, then the documents of the appends that
 * succeeded), so the view is never behind the stream a command answered from, and a
 * command costs one round trip. Concurrent commands share statements: appends that queue
 * up while others commit go together as one append_events_many plus one document write;
 * an append with a wrong expected revision fails alone and its document is not written.
 *
 * A document shows when its events were recorded (evolve's `recordedAt`: the store's clock,
 * the statement's now()), which is only known inside the statement. So documents are
 * folded with a placeholder for that time, unguessable and new in every process, which the
 * statement replaces with the time it records the events at; that same text comes back and
 * the caller's state is folded with it.
 */
import { randomUUID } from 'node:crypto';
import {
  APPEND_MANY_SQL, type AppendManyRow, type PostgresEventStore, type StreamAppend,
} from '../../../event-store/src/postgres/postgres-event-store.js';
import { CommitGroups, type GroupedItem } from '../../../event-store/src/postgres/commit-groups.js';
import type { SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import type { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port.js';
import { jobStreamId, type JobAppend, type JobAppended, type JobState, type JobWriter } from '../../../job-domain/src/index.js';
import type { JobQueueSignals } from '../job-queue-signals.js';
import { upsertJobDocumentsFrom } from './job-read-store.schema.js';
import { insertJobLogLinesFrom, serializeJobLogLines } from '../../../job-logs/src/postgres/postgres-job-log-store.js';
import type { JobLogLine } from '../../../job-logs/src/job-log.js';

/**
 * $1–$9 the append (APPEND_MANY_SQL), $10 the documents as a JSONB array in the append's
 * item order, $11 the placeholder as JSON text, $12 the aging step, $13 the appends' job log
 * lines (a JSONB array, each with its item `a`: stored only with an append that succeeded,
 * so a retried final report stores its lines once). The append runs first
 * and whole (a set-returning PL/pgSQL function), so its stream locks come before the
 * statement's first write, as append_events_many requires. The recorded time is
 * formatted as JavaScript's toISOString does (milliseconds, truncated as a Date truncates).
 */
const APPEND_AND_WRITE_JOB_VIEWS = `
WITH appended AS MATERIALIZED (${APPEND_MANY_SQL}),
recorded AS (SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at),
documents AS (
  SELECT DISTINCT ON (x.d->>'jobId') replace(x.d::text, $11::text, to_json(r.at)::text)::jsonb AS d
  FROM jsonb_array_elements($10::jsonb) WITH ORDINALITY AS x(d, item)
  JOIN appended a ON a.item = x.item AND a.actual IS NULL
  CROSS JOIN recorded r
  ORDER BY x.d->>'jobId', (x.d->>'revision')::int DESC
),
written AS (${upsertJobDocumentsFrom('documents', '$12')}),
logged AS (${insertJobLogLinesFrom(`jsonb_array_elements($13::jsonb) AS x(l)
  JOIN appended a ON a.item = (x.l->>'a')::int AND a.actual IS NULL`)})
SELECT a.*, r.at AS recorded_at_text FROM appended a CROSS JOIN recorded r`;

export interface PostgresJobWriterOptions {
  /** Told after each commit that leaves a job Queued, so free nodes claim at once. */
  readonly signals?: JobQueueSignals;
  /** Called with the documents of each commit (the embedded store's document cache). */
  readonly onCommitted?: (documents: readonly JobState[]) => void;
  /** Transactions in flight at once; commands arriving meanwhile share the next. Default 8 on pg, 1 on PGlite. */
  readonly concurrency?: number;
  /** Most commands in one transaction. Default 64. */
  readonly maxGroup?: number;
}

type Outcome = JobAppended | WrongExpectedRevisionError;

export class PostgresJobWriter implements JobWriter {
  readonly viewsWrittenWithAppend = true;
  readonly storesLogLines = true;
  private readonly groups: CommitGroups<JobAppend, JobAppended>;
  /** Stands for the recorded time in documents until the statement knows it (a JSON string). */
  private readonly recordedAtPlaceholder = `recorded-at-${randomUUID()}`;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: PostgresEventStore,
    private readonly agingSecondsPerLevel: number,
    private readonly options: PostgresJobWriterOptions = {},
  ) {
    this.groups = new CommitGroups(
      Math.max(1, options.concurrency ?? (sql.kind === 'pg' ? 8 : 1)), Math.max(1, options.maxGroup ?? 64), (group) => this.runGroup(group),
    );
  }

  append(request: JobAppend): Promise<JobAppended> {
    return this.groups.submit(request);
  }

  appendEach(requests: readonly JobAppend[]): Promise<Outcome[]> {
    return this.commit(requests);
  }

  /** Resolves once every command accepted so far has committed or failed (before the client closes). */
  async drain(): Promise<void> {
    while (this.groups.busy) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async runGroup(group: GroupedItem<JobAppend, JobAppended>[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.commit(group.map((item) => item.input));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      // The whole group rolled back (a duplicate event id, a deadlock, ...): nothing of it
      // was written, so each command commits alone and gets its own precise outcome.
      await Promise.all(group.map((item) => this.commit([item.input]).then(([outcome]) => settle(item, outcome), item.reject)));
      return;
    }
    outcomes.forEach((outcome, i) => settle(group[i], outcome));
  }

  /** One statement: the appends, then the documents of those that succeeded. */
  private async commit(requests: readonly JobAppend[]): Promise<Outcome[]> {
    if (requests.length === 0) return [];
    const appends: StreamAppend[] = requests.map((r) => ({ streamId: jobStreamId(r.jobId), events: r.events, expected: r.expected }));
    const prepared = this.events.prepareAppendMany(appends);
    const placeheld = prepared.order.map((i) => requests[i].stateAt(this.recordedAtPlaceholder));
    const rows = await this.sql.query<AppendManyRow & { recorded_at_text: string }>(APPEND_AND_WRITE_JOB_VIEWS, [
      ...prepared.params, JSON.stringify(placeheld), JSON.stringify(this.recordedAtPlaceholder), this.agingSecondsPerLevel,
      logLinesOf(requests, prepared.order),
    ], 'job_append_and_write_views');
    const recordedAt = rows[0]?.recorded_at_text;
    const appended = this.events.appendOutcomesOf(appends, prepared, rows);
    const outcomes: Outcome[] = appended.map((a, i) => (a.appended ? { result: a.result, state: requests[i].stateAt(recordedAt!) } : a.error));
    this.events.announceAppend();
    const documents = written(outcomes);
    if (documents.length > 0) this.options.onCommitted?.(documents);
    // After the commit, coalesced with other announcements (a NOTIFY inside the transaction
    // would hold the cluster-wide notify lock through the commit of every appender).
    if (documents.some((doc) => doc.status === 'Queued')) this.options.signals?.announceJobQueued();
    return outcomes;
  }
}

/** The requests' log lines as one JSONB array, each tagged with its append's item (1-based, in the prepared order). */
function logLinesOf(requests: readonly JobAppend[], order: readonly number[]): string {
  const lines: JobLogLine[] = [];
  const items: number[] = [];
  order.forEach((requestIndex, k) => {
    for (const line of requests[requestIndex].logLines ?? []) {
      lines.push(line);
      items.push(k + 1);
    }
  });
  return lines.length === 0 ? '[]' : serializeJobLogLines(lines, (index) => ({ a: items[index] }));
}

function written(outcomes: readonly Outcome[]): JobState[] {
  return outcomes.flatMap((o) => ('state' in o ? [o.state] : []));
}

function settle(item: GroupedItem<JobAppend, JobAppended>, outcome: Outcome): void {
  if ('state' in outcome) item.resolve(outcome);
  else item.reject(outcome);
}
