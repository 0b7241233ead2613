/**
 * The event store's schema, shared verbatim by PostgreSQL and PGlite. Every statement is
 * idempotent, so each process runs the migration at start-up; an advisory lock serialises
 * processes that start at the same time (concurrent CREATE ... IF NOT EXISTS can still
 * collide on the catalog's unique indexes).
 */
import type { SqlClient } from './sql-client.js';

export const EVENTS_APPENDED_CHANNEL = 'events_appended';

/** Raised by append_events; the adapter maps it to WrongExpectedRevisionError. */
export const WRONG_EXPECTED_REVISION_MESSAGE = /^wrong_expected_revision actual=(\S+)/;

const MIGRATION_LOCK_KEY = 'event-store:migration';
/** First key of the per-stream advisory locks (two-int form, apart from the migration lock). */
const STREAM_LOCK_CLASS = 0x45535452; // 'ESTR'

export const EVENT_STORE_SCHEMA_SQL = /* sql */ `
CREATE TABLE IF NOT EXISTS events (
  global_position bigserial PRIMARY KEY,
  -- xid8 of the appending transaction: readers order by (transaction_id, global_position)
  -- and stop below the oldest running transaction, so a late commit is never skipped.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_revision bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  schema_version  int         NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
);

CREATE INDEX IF NOT EXISTS events_transaction_position_idx ON events (transaction_id, global_position);

-- One project's events in global order (the event feed's catch-up and export reads).
CREATE INDEX IF NOT EXISTS events_scope_position_idx
  ON events ((metadata->>'tenantId'), (metadata->>'projectId'), transaction_id, global_position);

-- One row per stream holding its last revision: the row lock taken by UPDATE serialises
-- writers of one stream, and READ COMMITTED's re-check makes the loser see 0 rows.
CREATE TABLE IF NOT EXISTS streams (
  stream_id text   PRIMARY KEY,
  revision  bigint NOT NULL
);

-- Readers may pass a transaction only once it can no longer add events below them, and
-- they learn which transactions can from the stream locks (events_read_horizon). That holds
-- only if an appending transaction takes its first stream lock before it has an xid: refuse
-- an append in a transaction that already wrote something else first.
CREATE OR REPLACE FUNCTION begin_appending() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('event_store.appending', true) IS DISTINCT FROM 'on' THEN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'append_events: append before any other write of the transaction (it already has an xid)'
        USING ERRCODE = '25000';
    END IF;
    PERFORM set_config('event_store.appending', 'on', true);
  END IF;
END
$fn$;

-- The transaction id below which no transaction of this database can still add events:
-- readers return only events below it (ADR 0002). pg_snapshot_xmin(pg_current_snapshot())
-- would be correct too, but any open transaction of the cluster holds it back (an idle
-- session or a pg_dump in another database, a long report here), stalling every
-- subscriber. So of the snapshot's in-progress transactions only those that may append
-- count. Passed over is one that, in one consistent read of the lock table, holds its own
-- xid lock but no stream lock, AND is still uncommitted in the commit log afterwards: it
-- was then running with all its locks (a transaction releases its locks only after its
-- commit is recorded), so it wrote before taking any stream lock, and begin_appending()
-- will refuse it an append. (Without the second check a committing appender, already
-- rid of its stream lock but not yet of its xid lock, would be passed with its events
-- still invisible to this snapshot.) A transaction given an xid after the snapshot has
-- one >= its xmax, which bounds the answer. STABLE: it sees the calling statement's
-- snapshot; call it once per statement (a sub-select), not once per row.
CREATE OR REPLACE FUNCTION events_read_horizon() RETURNS xid8
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_snapshot pg_snapshot := pg_current_snapshot();
  v_passable  xid[];
  v_horizon  xid8;
BEGIN
  IF pg_snapshot_xmin(v_snapshot) = pg_snapshot_xmax(v_snapshot) THEN
    RETURN pg_snapshot_xmax(v_snapshot); -- nothing in progress
  END IF;
  WITH locks AS MATERIALIZED (
    SELECT l.locktype, l.database, l.classid, l.objsubid, l.transactionid, l.virtualtransaction, l.mode
    FROM pg_locks l
    WHERE l.granted AND l.locktype IN ('transactionid', 'advisory')
  ), appenders AS (
    SELECT a.virtualtransaction FROM locks a
    WHERE a.locktype = 'advisory' AND a.classid = ${STREAM_LOCK_CLASS}::oid AND a.objsubid = 2
      AND a.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
  )
  SELECT coalesce(array_agg(t.transactionid), '{}') INTO v_passable FROM locks t
  WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock'
    AND NOT EXISTS (SELECT 1 FROM appenders a WHERE a.virtualtransaction = t.virtualtransaction);
  -- A separate statement, so the commit log is read after the lock table.
  SELECT min(x.xid) INTO v_horizon
  FROM pg_snapshot_xip(v_snapshot) AS x(xid)
  WHERE NOT (x.xid::xid = ANY (v_passable) AND pg_xact_status(x.xid) = 'in progress');
  RETURN coalesce(v_horizon, pg_snapshot_xmax(v_snapshot));
END
$fn$;

-- Appends a batch to one stream. p_expected: 'any', 'no_stream' or the stream's current
-- revision as text. Returns the stream's new revision and the (transaction_id,
-- global_position) of the batch's last event, or, when the expected revision does not
-- match, next_revision NULL and the actual revision ('no_stream' or a number) in actual.
-- Never raises for a revision mismatch, so append_events_many can run many in one
-- transaction without a subtransaction each.
CREATE OR REPLACE FUNCTION append_events_try(
  p_stream    text,
  p_expected  text,
  p_ids       uuid[],
  p_types     text[],
  p_versions  int[],
  p_datas     jsonb[],
  p_metadatas jsonb[]
) RETURNS TABLE (next_revision bigint, commit_position xid8, prepare_position bigint, actual text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count    bigint := coalesce(cardinality(p_ids), 0);
  v_revision bigint;
  v_position bigint;
  v_actual   bigint;
BEGIN
  IF v_count = 0 THEN
    RAISE EXCEPTION 'append_events: no events' USING ERRCODE = '22023';
  END IF;

  -- Writers of one stream queue on this lock BEFORE their first write, i.e. before their
  -- transaction gets its xid. So a stream's later revisions always carry a higher xid and
  -- $all, ordered by (xid, position), keeps every stream in revision order. (A row lock
  -- alone does not: the xid is assigned before waiting for it.) The lock also marks the
  -- transaction as an appender for events_read_horizon().
  PERFORM begin_appending();
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream));

  IF p_expected = 'any' THEN
    INSERT INTO streams AS s (stream_id, revision) VALUES (p_stream, v_count - 1)
    ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
    RETURNING s.revision INTO v_revision;
  ELSIF p_expected = 'no_stream' THEN
    INSERT INTO streams (stream_id, revision) VALUES (p_stream, v_count - 1)
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING revision INTO v_revision;
  ELSE
    UPDATE streams s SET revision = s.revision + v_count
    WHERE s.stream_id = p_stream AND s.revision = p_expected::bigint
    RETURNING s.revision INTO v_revision;
  END IF;

  IF v_revision IS NULL THEN
    -- Idempotency is checked only here, off the hot path: a retry of an append that already
    -- committed always fails the revision check (that append moved the stream on), except
    -- with 'any', where inserting the same event ids hits events_event_id_key instead and
    -- the adapter re-reads. If the batch's first event is in this stream, answer with that
    -- earlier append's last event: the retry is a no-op, not a duplicate nor an error.
    RETURN QUERY
      SELECT e.stream_revision, e.transaction_id, e.global_position, NULL::text
      FROM events e
      WHERE e.stream_id = p_stream AND e.event_id = ANY (p_ids)
        AND EXISTS (SELECT 1 FROM events f WHERE f.event_id = p_ids[1] AND f.stream_id = p_stream)
      ORDER BY e.stream_revision DESC
      LIMIT 1;
    IF FOUND THEN
      RETURN;
    END IF;
    SELECT s.revision INTO v_actual FROM streams s WHERE s.stream_id = p_stream;
    next_revision := NULL;
    actual := coalesce(v_actual::text, 'no_stream');
    RETURN NEXT;
    RETURN;
  END IF;

  WITH inserted AS (
    INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
    SELECT p_stream, v_revision - v_count + u.ord, u.id, u.typ, u.ver, u.dat, u.met
    FROM unnest(p_ids, p_types, p_versions, p_datas, p_metadatas)
      WITH ORDINALITY AS u(id, typ, ver, dat, met, ord)
    ORDER BY u.ord
    RETURNING global_position
  )
  SELECT max(global_position) INTO v_position FROM inserted;

  -- No pg_notify here: a notifying transaction holds a cluster-wide lock from pre-commit
  -- until after its WAL flush, which serialises concurrent appenders (measured: roughly half
  -- the throughput at 16 writers). The adapter sends a coalesced NOTIFY after commit instead.

  next_revision := v_revision;
  commit_position := pg_current_xact_id();
  prepare_position := v_position;
  actual := NULL;
  RETURN NEXT;
END
$fn$;

-- Appends a batch to one stream in a single round trip; raises 'wrong_expected_revision
-- actual=<n|no_stream> ...' (SQLSTATE P0001) on a revision mismatch.
CREATE OR REPLACE FUNCTION append_events(
  p_stream    text,
  p_expected  text,
  p_ids       uuid[],
  p_types     text[],
  p_versions  int[],
  p_datas     jsonb[],
  p_metadatas jsonb[]
) RETURNS TABLE (next_revision bigint, commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM append_events_try(p_stream, p_expected, p_ids, p_types, p_versions, p_datas, p_metadatas);
  IF r.actual IS NOT NULL THEN
    RAISE EXCEPTION 'wrong_expected_revision actual=% expected=% stream=%', r.actual, p_expected, p_stream
      USING ERRCODE = 'P0001';
  END IF;
  next_revision := r.next_revision;
  commit_position := r.commit_position;
  prepare_position := r.prepare_position;
  RETURN NEXT;
END
$fn$;

-- Several independent appends (possibly to different streams) in one transaction and one
-- round trip: the adapter groups appends that queue up while others are in flight, which
-- saves a commit (WAL flush) and a round trip per append. Append i covers the events
-- p_offsets[i] + 1 .. p_offsets[i] + p_counts[i] of the flat event arrays. A revision
-- mismatch only fails its own append (row with actual set); any raised error (e.g. a
-- duplicate event id, a deadlock) aborts the group and the adapter retries each alone.
CREATE OR REPLACE FUNCTION append_events_many(
  p_streams   text[],
  p_expected  text[],
  p_offsets   int[],
  p_counts    int[],
  p_ids       uuid[],
  p_types     text[],
  p_versions  int[],
  p_datas     jsonb[],
  p_metadatas jsonb[]
) RETURNS TABLE (item int, next_revision bigint, commit_position xid8, prepare_position bigint, actual text)
LANGUAGE plpgsql AS $fn$
DECLARE
  i    int;
  lo   int;
  hi   int;
  r    record;
BEGIN
  -- All stream locks up front, before the first write assigns the xid (see append_events_try),
  -- in one global order so two groups cannot deadlock.
  PERFORM begin_appending();
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, k.h)
  FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest(p_streams) AS s ORDER BY 1) AS k;

  FOR i IN 1 .. coalesce(cardinality(p_streams), 0) LOOP
    lo := p_offsets[i] + 1;
    hi := p_offsets[i] + p_counts[i];
    SELECT * INTO r FROM append_events_try(p_streams[i], p_expected[i], p_ids[lo:hi], p_types[lo:hi],
      p_versions[lo:hi], p_datas[lo:hi], p_metadatas[lo:hi]);
    item := i;
    next_revision := r.next_revision;
    commit_position := r.commit_position;
    prepare_position := r.prepare_position;
    actual := r.actual;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`;

/** Creates or updates the schema; safe to run from several processes at once. */
export async function migrateEventStore(client: SqlClient): Promise<void> {
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
    // One statement at a time: the extended protocol (parameters) allows only one per call.
    for (const statement of splitStatements(EVENT_STORE_SCHEMA_SQL)) await tx.query(statement);
  });
}

/** Splits on top-level semicolons, keeping $fn$ ... $fn$ bodies and comments intact. */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of sql.split('\n')) {
    if (line.includes('$fn$')) inBody = (line.match(/\$fn\$/g)?.length ?? 0) % 2 === 1 ? !inBody : inBody;
    current += line + '\n';
    if (!inBody && line.trimEnd().endsWith(';') && !line.trimStart().startsWith('--')) {
      statements.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
