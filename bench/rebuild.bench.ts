/**
 * Blue/green rebuild of the job read model on a PostgreSQL server: events/s of the rebuild
 * alone (fresh copy from position 0, then the switch) over a seeded store.
 *
 *   npm run build && node dist/bench/rebuild.bench.js
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 * BENCH_EVENTS (default 1,000,000: jobs of 5 events each, submit, start, two progress reports,
 * complete, over 20 projects of 4 tenants), BENCH_REBUILD_BATCH (events per rebuild batch,
 * default the service's REBUILD_BATCH_SIZE). The events (as the domain's decide gives them) are
 * seeded by plain INSERTs of whole groups into the event store's tables, past its append
 * function (which checks and locks every stream: minutes for 1M events), and no views are
 * written: the rebuild writes them all. Runs in a throw-away schema; nothing is left behind.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { NewEvent } from '../libs/event-store/src/event-store.port.js';
import { createEventStoreOnClient, type StreamAppend } from '../libs/event-store/src/postgres/postgres-event-store.js';
import { openSqlClient } from '../libs/event-store/src/postgres/sql-client.js';
import {
  JOB_EVENT_SCHEMA_VERSIONS, decide, evolve, jobStreamId, type JobCommand, type JobEvent, type JobState,
} from '../libs/job-domain/src/index.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobViewRebuilds } from '../libs/read-store/src/postgres/postgres-job-view-rebuilds.js';
import { JOB_PROJECTION } from '../libs/read-store/src/projections/job-projection.js';
import { JobViewRebuild, REBUILD_BATCH_SIZE } from '../libs/read-store/src/projections/job-view-rebuild.js';
import { jobOutcome, jobProgress, jobSubmission } from '../test/support/job-commands.js';
import { dropSchema, randomSchemaName } from '../test/support/postgres.js';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const totalEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_REBUILD_BATCH ?? REBUILD_BATCH_SIZE);
const EVENTS_PER_JOB = 5;
/** Events per second a rebuild on PostgreSQL should reach. */
const TARGET_EVENTS_PER_SECOND = 20_000;
/** Jobs per INSERT while seeding. */
const SEED_GROUP = 1000;
const tenants = Array.from({ length: 4 }, () => randomUUID());
const projects = Array.from({ length: 20 }, (_, i) => ({ tenantId: tenants[i % 4], projectId: randomUUID() }));
const t0 = Date.parse('2026-01-05T08:00:00Z');

/** One job's whole life as its stream's events, decided by the domain's own rules. */
function jobAppend(n: number): StreamAppend {
  const jobId = randomUUID();
  const scope = projects[n % projects.length];
  const at = (s: number) => new Date(t0 + n * 1000 + s * 1000).toISOString();
  const commands: JobCommand[] = [
    { kind: 'SubmitJob', submission: jobSubmission(jobId, scope, { submittedAt: at(0), priority: (['Low', 'Normal', 'High'] as const)[n % 3] }) },
    { kind: 'StartJob', nodeId: `node-${n % 7}`, at: at(5) },
    { kind: 'ReportProgress', nodeId: `node-${n % 7}`, progress: jobProgress(30, at(10)) },
    { kind: 'ReportProgress', nodeId: `node-${n % 7}`, progress: jobProgress(70, at(20)) },
    { kind: 'CompleteJob', nodeId: `node-${n % 7}`, at: at(30), outcome: jobOutcome(1000 + n % 500) },
  ];
  let state: JobState | null = null;
  const events: JobEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, state)) {
      events.push(event);
      state = evolve(state, event, events.length - 1, at(0));
    }
  }
  const metadata = { tenantId: scope.tenantId, projectId: scope.projectId, actor: 'bench', correlationId: jobId, causationId: jobId, occurredAt: at(0) };
  const newEvents: NewEvent[] = events.map((e) => ({
    eventId: randomUUID(), type: e.type, schemaVersion: JOB_EVENT_SCHEMA_VERSIONS[e.type], data: e.data, metadata,
  }));
  return { streamId: jobStreamId(jobId), events: newEvents, expected: 'no_stream' };
}

/** The streams' events and stream rows in one statement, in the event store's own tables. */
async function insertStreams(appends: readonly StreamAppend[]): Promise<void> {
  const rows = appends.flatMap((a) => a.events.map((e, revision) => ({ stream: a.streamId, revision, e })));
  await sql.query(
    `WITH s AS (INSERT INTO streams (stream_id, revision) SELECT * FROM unnest($8::text[], $9::bigint[]))
     INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
    [
      rows.map((r) => r.stream), rows.map((r) => r.revision), rows.map((r) => r.e.eventId), rows.map((r) => r.e.type),
      rows.map((r) => r.e.schemaVersion), rows.map((r) => JSON.stringify(r.e.data)), rows.map((r) => JSON.stringify(r.e.metadata)),
      appends.map((a) => a.streamId), appends.map((a) => a.events.length - 1),
    ],
  );
}

const schema = randomSchemaName('bench_rebuild');
const sql = await openSqlClient({ kind: 'pg', connectionString: url, schema, poolSize: 6 });
try {
  const events = await createEventStoreOnClient(sql, {});
  await new PostgresJobReadStore(sql, 600).migrate();
  const jobs = Math.ceil(totalEvents / EVENTS_PER_JOB);
  const seedStarted = Date.now();
  let next = 0;
  // Four appenders at once, each a group of SEED_GROUP jobs per statement.
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < jobs) {
      const from = next;
      next = Math.min(jobs, next + SEED_GROUP);
      await insertStreams(Array.from({ length: next - from }, (_, i) => jobAppend(from + i)));
    }
  }));
  const seeded = Number((await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM events`))[0].n);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  process.stdout.write(`seeded ${seeded.toLocaleString('en')} events (${jobs.toLocaleString('en')} jobs) in ${seedSeconds.toFixed(1)} s `
    + `(${Math.round(seeded / seedSeconds).toLocaleString('en')} events/s)\n`);
  await sql.query('VACUUM ANALYZE events');

  const rebuild = new JobViewRebuild(new PostgresJobViewRebuilds(sql, events, 600), JOB_PROJECTION, batchSize);
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  let copiedAt = 0;
  const watch = setInterval(() => {
    if (!copiedAt && rebuild.state.phase === 'switching') copiedAt = Date.now();
  }, 5);
  const state = await rebuild.run();
  clearInterval(watch);
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const views = Number((await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM job_views`))[0].n);
  process.stdout.write([
    `rebuild (batch ${batchSize}): ${state.eventsFolded.toLocaleString('en')} events into ${views.toLocaleString('en')} job views in ${seconds.toFixed(1)} s`,
    `  ${Math.round(state.eventsFolded / seconds).toLocaleString('en')} events/s against the target of at least ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')}: `
    + `${state.eventsFolded / seconds >= TARGET_EVENTS_PER_SECOND ? 'met' : 'not met'} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')})`
    + (copiedAt ? ` (copy ${((copiedAt - started) / 1000).toFixed(1)} s, switch ${((Date.now() - copiedAt) / 1000).toFixed(2)} s incl. index builds and ANALYZE)` : ''),
    `  this process's CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the rest of the wall time is the server's and waiting)`,
    '',
  ].join('\n'));
  await events.close();
} finally {
  await sql.close();
  await dropSchema(url, schema).catch(() => undefined);
}
