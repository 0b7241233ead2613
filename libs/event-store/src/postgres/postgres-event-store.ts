/**
 * EventStore over PostgreSQL, used for both the server (`pg`) and PGlite: the SQL is the
 * same, only the SqlClient differs. See schema.ts for the table layout and append_events.
 */
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionHandle,
  START_POSITION,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import { NO_UPCASTERS, type EventUpcasters } from '../event-upcasters.js';
import { EVENTS_APPENDED_CHANNEL, WRONG_EXPECTED_REVISION_MESSAGE, migrateEventStore } from './schema.js';
import { CommitGroups, type GroupedItem } from './commit-groups.js';
import { type SqlClient, type SqlExecutor, openSqlClient } from './sql-client.js';

export interface PostgresEventStoreOptions {
  /** Events per subscription batch when SubscribeOptions.batchSize is not given. Default 500. */
  readonly defaultBatchSize?: number;
  /** Longest a caught-up subscriber waits without a notification before reading again. Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** Pause before redelivering a batch whose handler threw (or after a read error). Default 250 ms. */
  readonly retryDelayMs?: number;
  /**
   * Appends sent at once; appends arriving while that many are in flight queue and go
   * together as one transaction (append_events_many), up to `maxAppendGroup`. One appender
   * never waits; many share commits. Default 8 on pg, 1 on PGlite (one connection anyway).
   * 0 turns grouping off: every append is its own transaction.
   */
  readonly appendConcurrency?: number;
  /** Most appends in one group. Default 64. */
  readonly maxAppendGroup?: number;
  /** Turn older stored schema versions into the current shapes on every read (ADR 0013). */
  readonly upcasters?: EventUpcasters;
}

/** One stream's append, as given to append() or appendManyWith(). */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

/**
 * The outcome of one append of a group: appended (with the time the store records its
 * events at: the transaction's start) or refused for its expected revision alone.
 */
export type StreamAppendOutcome =
  | { readonly appended: true; readonly result: AppendResult; readonly recordedAt: string }
  | { readonly appended: false; readonly error: WrongExpectedRevisionError };

/** A row of APPEND_MANY_SQL: one per append, `item` its 1-based place in PreparedAppendMany's order. */
export interface AppendManyRow extends AppendRow {
  item: number;
  actual: string | null;
  recorded_at: Date | string;
}

/**
 * The parameters of APPEND_MANY_SQL for a group of appends, and the order it takes them in
 * (`order[k]` is the index in the given list of the append that is item k + 1).
 */
export interface PreparedAppendMany {
  readonly params: unknown[];
  readonly order: readonly number[];
}

/** What readAllToFold shows as the metadata it did not read. */
const NO_METADATA = {} as RecordedEvent['metadata'];

/** A row of EVENT_COLUMNS. */
export interface EventRow {
  position_text: string;
  commit_text: string;
  stream_id: string;
  revision_text: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date | string;
}

interface AppendRow {
  next_revision: string;
  commit_position: string;
  prepare_position: string;
}

// bigint columns are cast to text: pg returns int8 as text anyway, PGlite as a lossy number.
// Output names differ from the column names on purpose: ORDER BY resolves a bare name to an
// output column first, and sorting the text casts would put 1001 before 999.
export const EVENT_COLUMNS = `e.global_position::text AS position_text, e.transaction_id::text AS commit_text,
  e.stream_id, e.stream_revision::text AS revision_text, e.event_id::text AS event_id, e.event_type,
  e.schema_version, e.data, e.metadata, e.recorded_at`;

const APPEND_SQL = `SELECT next_revision::text AS next_revision, commit_position::text AS commit_position,
  prepare_position::text AS prepare_position
  FROM append_events($1, $2, $3::uuid[], $4::text[], $5::int[], $6::text[]::jsonb[], $7::text[]::jsonb[])`;

// The cursor is (transaction_id, global_position); only transactions older than the oldest
// appending transaction still running are returned, so one that commits late (lower xid,
// already holding lower positions) cannot be jumped over (events_read_horizon in schema.ts;
// ADR 0002). Both conditions are evaluated against the same statement snapshot; the
// sub-select makes the horizon one evaluation per statement, not one per row.
/** The events readable now, in global order: after the cursor in $`cursorAt`/$`cursorAt`+1 when given, with `condition` (`AND …`). */
function readableEventsWhere(options: { cursorAt?: number; condition?: string } = {}): string {
  const after = options.cursorAt === undefined ? '' : `(e.transaction_id, e.global_position) > ($${options.cursorAt}::xid8, $${options.cursorAt + 1}::bigint)
    AND `;
  return `FROM events e
  WHERE ${after}e.transaction_id < (SELECT events_read_horizon())${options.condition === undefined ? '' : ` ${options.condition}`}`;
}
/** `columns` of up to $1 readable events in global order (see readableEventsWhere). */
const readablePageSql = (columns: string, options?: { cursorAt?: number; condition?: string }) =>
  `SELECT ${columns} ${readableEventsWhere(options)}
  ORDER BY e.transaction_id, e.global_position LIMIT $1`;

const READ_ALL_FROM_START_SQL = readablePageSql(EVENT_COLUMNS);
const READ_ALL_AFTER_SQL = readablePageSql(EVENT_COLUMNS, { cursorAt: 2 });
// For a fold over every event (a read model rebuilt from 0): the metadata only of the event
// types in $2 (those an upcaster may need it for; NULL elsewhere), the largest column and
// half the decoding of a page otherwise. Otherwise as readAll's statements ($3/$4 the cursor).
const FOLD_COLUMNS = EVENT_COLUMNS.replace('e.metadata', 'CASE WHEN e.event_type = ANY ($2::text[]) THEN e.metadata END AS metadata');
const READ_ALL_TO_FOLD_FROM_START_SQL = readablePageSql(FOLD_COLUMNS);
const READ_ALL_TO_FOLD_AFTER_SQL = readablePageSql(FOLD_COLUMNS, { cursorAt: 3 });
// A project's events ($2, $3: tenant and project as the metadata names them), same cursor.
const SCOPE_CONDITION = `AND e.metadata->>'tenantId' = $2 AND e.metadata->>'projectId' = $3`;
const READ_SCOPE_FROM_START_SQL = readablePageSql(EVENT_COLUMNS, { condition: SCOPE_CONDITION });
const READ_SCOPE_AFTER_SQL = readablePageSql(EVENT_COLUMNS, { cursorAt: 4, condition: SCOPE_CONDITION });
// The newest event below the read horizon: everything up to it can be read now (ADR 0002).
const READ_HEAD_SQL = `SELECT e.transaction_id::text AS commit_text, e.global_position::text AS position_text FROM events e
  WHERE e.transaction_id < (SELECT events_read_horizon())
  ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`;

// Events after a position (below the read horizon, as readAll returns them), counted up to a cap $1.
const COUNT_AFTER_SQL = `SELECT count(*)::int AS n FROM (SELECT 1 ${readableEventsWhere({ cursorAt: 2 })} LIMIT $1) x`;
const COUNT_FROM_START_SQL = `SELECT count(*)::int AS n FROM (SELECT 1 ${readableEventsWhere()} LIMIT $1) x`;
const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM events e
  WHERE e.stream_id = $1 AND e.stream_revision >= $2::bigint ORDER BY e.stream_revision`;

// now() is the transaction's start, the very value the events' recorded_at default takes.
/** $1–$9 of a PreparedAppendMany; usable as a CTE of a caller's own statement. */
export const APPEND_MANY_SQL = `SELECT item, next_revision::text AS next_revision, commit_position::text AS commit_position,
  prepare_position::text AS prepare_position, actual, now() AS recorded_at
  FROM append_events_many($1::text[], $2::text[], $3::int[], $4::int[], $5::uuid[], $6::text[], $7::int[],
    $8::text[]::jsonb[], $9::text[]::jsonb[])`;

const NOTIFY_SQL = `SELECT pg_notify('${EVENTS_APPENDED_CHANNEL}', '')`;
const NOTIFY_SPACING_MS = 5;

const UNIQUE_VIOLATION = '23505';
const RAISE_EXCEPTION = 'P0001';

export class PostgresEventStore implements EventStore {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  /** Bumped on every wake-up (notification or local append); lets a waiter detect a miss. */
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  private readonly subscriptions = new Set<SubscriptionHandle>();
  private closed = false;
  /** The NOTIFY loop in flight, if any, and whether another append happened meanwhile. */
  private notifying: Promise<void> | undefined;
  private notifyAgain = false;
  private readonly appendConcurrency: number;
  private readonly appendGroups: CommitGroups<StreamAppend, AppendResult>;
  private readonly upcasters: EventUpcasters;

  constructor(
    readonly client: SqlClient,
    private readonly ownsClient: boolean,
    options: PostgresEventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.batchSize = options.defaultBatchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.appendConcurrency = options.appendConcurrency ?? (client.kind === 'pg' ? 8 : 1);
    this.appendGroups = new CommitGroups(this.appendConcurrency, Math.max(1, options.maxAppendGroup ?? 64), (group) => this.runAppendGroup(group));
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    if (this.appendConcurrency <= 0) return this.appendWith(this.client, streamId, events, expected);
    if (events.length === 0) return Promise.reject(new Error('append: at least one event is required'));
    return this.appendGroups.submit({ streamId, events, expected });
  }

  private async runAppendGroup(group: GroupedItem<StreamAppend, AppendResult>[]): Promise<void> {
    if (group.length > 1) {
      let outcomes: StreamAppendOutcome[] | undefined;
      try {
        outcomes = await this.appendManyWith(this.client, group.map((a) => a.input));
      } catch {
        // The whole group rolled back (a duplicate event id, a deadlock, ...): nothing of it
        // was written, so each append runs alone and gets its own precise outcome.
      }
      if (outcomes) {
        this.announceAppend();
        outcomes.forEach((outcome, i) => (outcome.appended ? group[i].resolve(outcome.result) : group[i].reject(outcome.error)));
        return;
      }
    }
    await Promise.all(
      group.map((a) => this.appendWith(this.client, a.input.streamId, a.input.events, a.input.expected).then(a.resolve, a.reject)),
    );
  }

  /**
   * Several appends (to different streams) in one statement through `executor`: inside
   * `client.transaction(...)` they commit with the transaction's other writes (append
   * first, see appendWith). A wrong expected revision refuses only its own append; any
   * other error aborts them all (and, in a transaction, the transaction). Outcomes come in
   * the order of `appends`. Call announceAppend() after the commit.
   */
  async appendManyWith(executor: SqlExecutor, appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    if (appends.length === 0) return [];
    const prepared = this.prepareAppendMany(appends);
    const rows = await executor.query<AppendManyRow>(APPEND_MANY_SQL, prepared.params, 'es_append_events_many');
    return this.appendOutcomesOf(appends, prepared, rows);
  }

  /** The parameters of APPEND_MANY_SQL for `appends` (for a caller that runs it in a statement of its own). */
  prepareAppendMany(appends: readonly StreamAppend[]): PreparedAppendMany {
    if (appends.some((a) => a.events.length === 0)) throw new Error('append: at least one event is required');
    // Stream rows are locked in stream order (stable: one stream's appends keep their
    // order), so two groups in flight cannot deadlock on each other.
    const order = appends.map((_, i) => i).sort((a, b) => {
      const x = appends[a].streamId;
      const y = appends[b].streamId;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    const ordered = order.map((i) => appends[i]);
    const offsets: number[] = [];
    let offset = 0;
    for (const a of ordered) {
      offsets.push(offset);
      offset += a.events.length;
    }
    const events = ordered.flatMap((a) => a.events);
    return {
      order,
      params: [
        ordered.map((a) => a.streamId),
        ordered.map((a) => expectedText(a.expected)),
        offsets,
        ordered.map((a) => a.events.length),
        events.map((e) => e.eventId),
        events.map((e) => e.type),
        events.map((e) => e.schemaVersion),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    };
  }

  /** Each append's outcome from the rows APPEND_MANY_SQL returned for `prepared`, in the order of `appends`. */
  appendOutcomesOf(appends: readonly StreamAppend[], prepared: PreparedAppendMany, rows: readonly AppendManyRow[]): StreamAppendOutcome[] {
    const outcomes: StreamAppendOutcome[] = new Array(appends.length);
    for (const row of rows) {
      const index = prepared.order[row.item - 1];
      const a = appends[index];
      outcomes[index] = row.actual !== null
        ? { appended: false, error: new WrongExpectedRevisionError(a.streamId, a.expected, parseActual(row.actual)) }
        : { appended: true, result: toAppendResult(row), recordedAt: new Date(row.recorded_at).toISOString() };
    }
    return outcomes;
  }

  /**
   * Appends through a given executor, e.g. inside `client.transaction(...)` so the append
   * commits together with other writes (the result is only durable once that commits).
   * Append before the transaction's other writes: the stream lock must be taken before the
   * transaction gets its xid, or $all may order this stream's events out of revision order.
   * Call announceAppend() after the commit to wake subscribers at once.
   */
  async appendWith(
    executor: SqlExecutor,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append: at least one event is required');
    const params = [
      streamId,
      expectedText(expected),
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => e.schemaVersion),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
    ];
    try {
      const [row] = await executor.query<AppendRow>(APPEND_SQL, params, 'es_append_events');
      if (executor === this.client) this.announceAppend(); // committed (autocommit)
      return toAppendResult(row);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = error instanceof Error ? error.message : '';
      const wrong = code === RAISE_EXCEPTION ? WRONG_EXPECTED_REVISION_MESSAGE.exec(message) : null;
      if (wrong) {
        throw new WrongExpectedRevisionError(streamId, expected, parseActual(wrong[1]));
      }
      // Two concurrent retries of the same append: the loser hits the event_id unique
      // index. Re-read (autocommit only: an aborted transaction can't) and answer as a no-op.
      if (code === UNIQUE_VIOLATION && executor === this.client) {
        const existing = await this.findExistingAppend(streamId, events);
        if (existing) return existing;
      }
      throw error;
    }
  }

  private async findExistingAppend(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const [first] = await this.client.query(
      'SELECT 1 FROM events WHERE event_id = $1::uuid AND stream_id = $2',
      [events[0].eventId, streamId],
    );
    if (!first) return undefined;
    const [row] = await this.client.query<AppendRow>(
      `SELECT stream_revision::text AS next_revision, transaction_id::text AS commit_position,
         global_position::text AS prepare_position
       FROM events e WHERE e.stream_id = $1 AND e.event_id = ANY ($2::uuid[])
       ORDER BY e.stream_revision DESC LIMIT 1`,
      [streamId, events.map((e) => e.eventId)],
    );
    return row && toAppendResult(row);
  }

  async readStream(streamId: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0n;
    const rows = await this.client.query<EventRow>(READ_STREAM_SQL, [streamId, from.toString()], 'es_read_stream');
    return rows.map((row) => this.upcasters.upcast(toRecordedEvent(row)));
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllWith(this.client, options);
  }

  /**
   * readAll through `executor`: one open transaction (a caller folding events into tables it
   * writes in the same transaction; on PGlite, whose one connection a transaction holds, the only way).
   */
  async readAllWith(executor: SqlExecutor, options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START_POSITION;
    const limit = options.maxCount ?? 1000;
    if (limit <= 0) return [];
    const scope = options.scope;
    const cursor = [after.commit.toString(), after.prepare.toString()];
    // xid8 has no -1: the start position is a separate statement without a cursor.
    const fromStart = after.commit < 0n;
    const rows = scope
      ? fromStart
        ? await executor.query<EventRow>(READ_SCOPE_FROM_START_SQL, [limit, scope.tenantId, scope.projectId])
        : await executor.query<EventRow>(READ_SCOPE_AFTER_SQL, [limit, scope.tenantId, scope.projectId, ...cursor])
      : fromStart
        ? await executor.query<EventRow>(READ_ALL_FROM_START_SQL, [limit], 'es_read_all_start')
        : await executor.query<EventRow>(READ_ALL_AFTER_SQL, [limit, ...cursor], 'es_read_all_after');
    return rows.map((row) => this.upcasters.upcast(toRecordedEvent(row)));
  }

  /**
   * readAllWith for a fold that reads no metadata (a rebuild of the read model): each event's
   * metadata is left out (an empty object) unless an upcaster of its type could need it.
   */
  async readAllToFold(after: GlobalPosition, maxCount: number, executor: SqlExecutor = this.client): Promise<RecordedEvent[]> {
    if (maxCount <= 0) return [];
    const types = this.upcasters.eventTypes();
    const rows = after.commit < 0n
      ? await executor.query<EventRow>(READ_ALL_TO_FOLD_FROM_START_SQL, [maxCount, types], 'es_read_all_to_fold_start')
      : await executor.query<EventRow>(READ_ALL_TO_FOLD_AFTER_SQL, [maxCount, types, after.commit.toString(), after.prepare.toString()], 'es_read_all_to_fold_after');
    return rows.map((row) => {
      row.metadata ??= NO_METADATA;
      return this.upcasters.upcast(toRecordedEvent(row));
    });
  }

  async readHead(): Promise<GlobalPosition> {
    const [row] = await this.client.query<{ commit_text: string; position_text: string }>(READ_HEAD_SQL, [], 'es_read_head');
    return row ? { commit: BigInt(row.commit_text), prepare: BigInt(row.position_text) } : START_POSITION;
  }

  /** How many committed events readAll would return after `after`, counting at most `cap` (an index range, no rows read out). */
  async countAfter(after: GlobalPosition, cap: number): Promise<number> {
    const rows = after.commit < 0n
      ? await this.client.query<{ n: number }>(COUNT_FROM_START_SQL, [cap])
      : await this.client.query<{ n: number }>(COUNT_AFTER_SQL, [cap, after.commit.toString(), after.prepare.toString()]);
    return Number(rows[0]?.n ?? 0);
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): SubscriptionHandle {
    if (this.closed) throw new Error('event store is closed');
    const batchSize = options.batchSize ?? this.batchSize;
    let position: GlobalPosition = options.after ?? START_POSITION;
    let stopped = false;
    let cancelWait: (() => void) | undefined;
    void this.ensureListening();

    const sleep = (ms: number, generation?: number) =>
      new Promise<void>((resolve) => {
        if (stopped || (generation !== undefined && generation !== this.generation)) return resolve();
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          cancelWait = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        cancelWait = done;
        // Only a caught-up wait is cut short by new events; a retry back-off is not.
        if (generation !== undefined) this.waiters.add(done);
      });

    const report = (error: unknown) => {
      try {
        options.onError?.(error);
      } catch {
        // a failing error reporter must not kill the subscription
      }
    };

    const loop = (async () => {
      while (!stopped) {
        const generation = this.generation;
        let batch: RecordedEvent[];
        try {
          batch = await this.readAll({ after: position, maxCount: batchSize });
        } catch (error) {
          if (stopped) break;
          report(error);
          await sleep(this.retryDelayMs);
          continue;
        }
        if (stopped) break;
        if (batch.length === 0) {
          await sleep(this.pollIntervalMs, generation);
          continue;
        }
        try {
          await handler(batch);
          position = batch[batch.length - 1].position;
        } catch (error) {
          report(error);
          await sleep(this.retryDelayMs); // then the same batch is read and delivered again
        }
      }
    })();

    const handle: SubscriptionHandle = {
      stop: async () => {
        stopped = true;
        cancelWait?.();
        await loop;
        this.subscriptions.delete(handle);
      },
    };
    this.subscriptions.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    // Appends already accepted finish (or fail) before the client goes away.
    while (this.appendGroups.busy) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.notifying;
    const unlisten = await this.unlisten?.catch(() => undefined);
    await unlisten?.().catch(() => undefined);
    if (this.ownsClient) await this.client.close();
  }

  /**
   * Wakes subscribers after a commit: this store's at once, other processes' through a
   * NOTIFY. Appends that land while a NOTIFY is in flight share the next one, sent at most
   * every NOTIFY_SPACING_MS, so a busy writer adds a bounded trickle of statements rather
   * than one per append. Call it after committing a transaction that used appendWith.
   */
  announceAppend(): void {
    this.wake();
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = (async () => {
      do {
        this.notifyAgain = false;
        try {
          await this.client.query(NOTIFY_SQL, [], 'es_notify_appended');
        } catch {
          // subscribers fall back to polling
        }
        if (this.notifyAgain) await new Promise((resolve) => setTimeout(resolve, NOTIFY_SPACING_MS));
      } while (this.notifyAgain && !this.closed);
      this.notifying = undefined;
    })();
  }

  private wake(): void {
    this.generation += 1;
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Subscribes to append notifications once per store (a dedicated connection on pg). */
  private ensureListening(): Promise<unknown> {
    this.unlisten ??= this.client.listen(EVENTS_APPENDED_CHANNEL, () => this.wake()).catch(() => undefined);
    return this.unlisten;
  }
}

function expectedText(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}

function parseActual(text: string): bigint | 'no_stream' {
  return text === 'no_stream' ? 'no_stream' : BigInt(text);
}

function toAppendResult(row: AppendRow): AppendResult {
  return {
    nextRevision: BigInt(row.next_revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
  };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision_text),
    position: { commit: BigInt(row.commit_text), prepare: BigInt(row.position_text) },
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

export interface CreatePostgresEventStoreOptions extends PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Use this open client (e.g. shared with the read store) instead of opening a pool; not closed by the store. */
  readonly client?: SqlClient;
  /** Schema holding the tables (created if absent); default: the server's search_path. */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly idleInTransactionTimeoutMs?: number;
}

export interface CreatePgliteEventStoreOptions extends PostgresEventStoreOptions {
  /** Data folder; `undefined` keeps everything in memory. */
  readonly dataDir: string | undefined;
  /** Use this open PGlite client (e.g. shared with the read store); not closed by the store. */
  readonly client?: SqlClient;
}

/** Event store on a PostgreSQL server; owns (and closes) its pool unless `client` is given. */
export async function createPostgresEventStore(options: CreatePostgresEventStoreOptions): Promise<PostgresEventStore> {
  if (options.client) return createEventStoreOnClient(options.client, options);
  const client = await openSqlClient({
    kind: 'pg',
    connectionString: options.connectionString,
    schema: options.schema,
    poolSize: options.poolSize,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs,
  });
  return startOwned(client, options);
}

/**
 * Embedded event store on PGlite. Opening a folder already open in this process shares that
 * instance (reference-counted), so the read store may open the same folder too.
 */
export async function createPgliteEventStore(options: CreatePgliteEventStoreOptions): Promise<PostgresEventStore> {
  if (options.client) return createEventStoreOnClient(options.client, options);
  const client = await openSqlClient({ kind: 'pglite', dataDir: options.dataDir });
  return startOwned(client, options);
}

/**
 * Event store on an existing client (pool or PGlite instance shared with the read store).
 * The caller keeps ownership: closing the store does not close the client.
 */
export async function createEventStoreOnClient(
  client: SqlClient,
  options: PostgresEventStoreOptions = {},
): Promise<PostgresEventStore> {
  await migrateEventStore(client);
  return new PostgresEventStore(client, false, options);
}

async function startOwned(client: SqlClient, options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  try {
    await migrateEventStore(client);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return new PostgresEventStore(client, true, options);
}
