/**
 * GET job list latency over a large project: seeds N jobs (default 100,000) in one project
 * through the real write path (JobRepository appends, the job projection folds them into
 * job_views and the maintained counts), then starts the built service on that store and
 * has autocannon request the list with the filters a dashboard uses, printing p50/p99
 * per filter. PostgreSQL server by default; --pglite seeds the embedded store's folder
 * instead (slower to seed: one connection).
 *
 *   npm run build && node dist/bench/list-latency.bench.js [--pglite] [--jobs=100000] [--seconds=5] [--connections=10]
 *     [--keep-schema] [--schema=<name>]
 *
 * Seeding 100,000 jobs takes minutes: --keep-schema leaves the seeded PostgreSQL schema in
 * place (its name is printed) and --schema=<name> measures such a schema again without
 * seeding (the service migrates it on start, so changed indexes and counts apply to it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createEventStoreOnClient } from '../libs/event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, type SqlClient } from '../libs/event-store/src/postgres/sql-client.js';
import {
  JobRepository, type JobOutcome, type JobPriority, type JobState, type JobSubmittedData, type JobType,
} from '../libs/job-domain/src/index.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';
import { JobProjection } from '../libs/read-store/src/projections/job-projection.js';
import { removeDataDir, startServiceProcess } from '../test/support/service-process.js';
import { startCpuCount, type CpuPerRequest } from './support/process-cpu.js';

const { values } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'keep-schema': { type: 'boolean', default: false },
    schema: { type: 'string', default: '' },
  },
});
const JOBS = Number(values.jobs);
const DAY_MS = 86_400_000;
/** Submissions spread over 90 days from here (a fixed calendar, so runs compare). */
const FIRST_DAY = Date.UTC(2025, 0, 1);
const TYPES: JobType[] = ['ProcessMining', 'DataEnrichment', 'Analysis', 'Notebook'];
const PRIORITIES: JobPriority[] = ['Low', 'Normal', 'Normal', 'High', 'Critical'];
const SUBMITTERS = Array.from({ length: 20 }, (_, i) => `user-${i}`);
const META = { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() };

function outcome(seconds: number): JobOutcome {
  return {
    recordsProcessed: 1000, totalRecords: 1000, dataQualityScore: 0.99,
    dataValidation: { totalRecords: 1000, validRecords: 1000, duplicatesRemoved: 0, invalidRecords: 0 },
    warnings: [], processingErrors: [], artifacts: [],
    execution: { cpuTimeSeconds: seconds / 2, wallTimeSeconds: seconds, peakMemoryBytes: 100_000_000, diskIoOperations: 10, diskBytesWritten: 4096 },
  };
}

/** One job's life, by its index: most complete, some fail, are cancelled, run or wait. */
async function runJob(repository: JobRepository, tenantId: string, projectId: string, i: number): Promise<void> {
  const jobId = randomUUID();
  const submittedAtMs = FIRST_DAY + Math.floor((i / JOBS) * 90 * DAY_MS);
  const iso = (offsetSeconds: number) => new Date(submittedAtMs + offsetSeconds * 1000).toISOString();
  // Type, priority and submitter vary independently of each other and of the job's fate.
  const mix = Math.imul(i + 1, 2654435761) >>> 0;
  const submission: JobSubmittedData = {
    jobId, tenantId, projectId, jobName: `bench ${i}`, jobDescription: 'list latency bench',
    jobType: TYPES[mix % TYPES.length], priority: PRIORITIES[(mix >>> 4) % PRIORITIES.length],
    resource: { resourceType: 'dataset', resourceId: randomUUID(), resourceName: 'orders.csv' },
    parameters: { datasetId: randomUUID(), analysisType: 'statistics' },
    // Far-off timeouts, and a lease longer than the run (see measure): the supervisor leaves the seeded jobs as they are.
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 10_000_000 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: SUBMITTERS[(mix >>> 8) % SUBMITTERS.length], submittedAt: iso(0), retryOf: null, attempt: 1,
  };
  let state: JobState = (await repository.execute(jobId, { kind: 'SubmitJob', submission }, META)).state;
  const fate = i % 20;
  if (fate === 0) return; // stays queued
  if (fate === 1) {
    await repository.execute(jobId, { kind: 'CancelJob', at: iso(5), request: { requestedBy: 'bench', reason: null, forceTermination: false, preservePartialResults: false } }, META, { known: state });
    return;
  }
  state = (await repository.execute(jobId, { kind: 'StartJob', nodeId: 'bench-node', at: iso(10) }, META, { known: state })).state;
  if (fate === 2) return; // stays running
  if (fate === 3) {
    await repository.execute(jobId, { kind: 'FailJob', nodeId: 'bench-node', at: iso(40), errorType: 'ExecutionError', message: 'bench' }, META, { known: state });
    return;
  }
  await repository.execute(jobId, { kind: 'CompleteJob', nodeId: 'bench-node', at: iso(70), outcome: outcome(60) }, META, { known: state });
}

/** Seeds through appends and the projection; returns seconds taken for each. */
async function seed(sql: SqlClient, tenantId: string, projectId: string): Promise<{ appendSeconds: number; projectSeconds: number }> {
  const events = await createEventStoreOnClient(sql, { pollIntervalMs: 200 });
  const store = new PostgresJobReadStore(sql);
  await store.migrate();
  const repository = new JobRepository(events);
  const started = Date.now();
  let next = 0;
  // 64 writers in flight: their appends queue up and are grouped into shared transactions.
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < JOBS) await runJob(repository, tenantId, projectId, next++);
  }));
  const appended = Date.now();
  const projection = new JobProjection(events, store, console);
  await projection.start();
  await projection.untilCaughtUp(500);
  await projection.stop();
  await store.maintain(); // as after any bulk load: folded counts and fresh planner statistics
  await events.close();
  return { appendSeconds: (appended - started) / 1000, projectSeconds: (Date.now() - appended) / 1000 };
}

const FILTERS: [string, string][] = [
  ['no filter, page 1', ''],
  ['status=Completed', 'status=Completed'],
  ['status=Running', 'status=Running'],
  ['jobType + priority', 'jobType=Analysis&priority=High'],
  ['submittedBy', 'submittedBy=user-3'],
  ['one month (dates)', 'dateFrom=2025-02-01&dateTo=2025-02-28'],
  ['status + from a time', 'status=Failed&dateFrom=2025-03-01T12:34:56Z'],
  ['no filter, page 50', 'page=50&pageSize=20'],
];

interface Row extends CpuPerRequest { filter: string; totalJobs: number; rps: number; p50: number; p99: number; max: number; errors: number }

async function measure(label: string, env: Record<string, string>, dataDir?: string): Promise<Row[]> {
  const applicationName = `list_latency_bench_${process.pid}`;
  const service = await startServiceProcess(
    { ...env, EMBEDDED_WORKER_CAPACITY: '0', LEASE_SECONDS: '1000000000', PGAPPNAME: applicationName }, dataDir,
  );
  try {
    const token = await service.token(TENANT, [PROJECT], 'bench', ['viewer']);
    const rows: Row[] = [];
    for (const [name, query] of FILTERS) {
      const path = `/api/${TENANT}/${PROJECT}/execution/jobs${query ? `?${query}` : ''}`;
      const first = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await first.json() as { summary: { totalJobs: number } };
      const cpu = await startCpuCount(service.process.pid!, env.DATABASE_URL ? { url: env.DATABASE_URL, applicationName } : null);
      const result = await autocannon({
        url: `${service.url}${path}`, connections: Number(values.connections), duration: Number(values.seconds),
        headers: { authorization: `Bearer ${token}` },
      });
      rows.push({
        filter: name, totalJobs: body.summary.totalJobs, rps: Math.round(result.requests.average), p50: result.latency.p50,
        p99: result.latency.p99, max: result.latency.max, errors: result.errors + result.non2xx,
        ...await cpu(result.requests.total),
      });
    }
    console.log(`\n${label}: GET job list over ${JOBS} jobs in one project, ${values.connections} connections, ${values.seconds} s per filter `
      + '(latency in ms; cpu*: CPU ms per request of the service, its PostgreSQL backends, the load generator)');
    console.table(rows);
    return rows;
  } finally {
    await service.stop();
  }
}

/** The seeded scope of a kept schema: its one project. */
async function seededScope(url: string, schema: string): Promise<{ tenantId: string; projectId: string } | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ tenant_id: string; project_id: string }>(
      `SELECT tenant_id, project_id FROM ${schema}.job_views LIMIT 1`,
    );
    return rows.rows.length ? { tenantId: rows.rows[0].tenant_id, projectId: rows.rows[0].project_id } : null;
  } finally {
    await client.end();
  }
}

let TENANT: string = randomUUID();
let PROJECT: string = randomUUID();

if (values.pglite) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pm-list-bench-'));
  try {
    const sql = await openSqlClient({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    const took = await seed(sql, TENANT, PROJECT);
    await sql.close();
    console.log(`seeded ${JOBS} jobs into PGlite: appends ${took.appendSeconds} s, projection ${took.projectSeconds} s`);
    await measure('PGlite (embedded)', {}, dataDir);
  } finally {
    removeDataDir(dataDir);
  }
} else {
  const reused = values.schema ? await seededScope(values.url, values.schema) : null;
  if (values.schema && !reused) throw new Error(`schema ${values.schema} holds no seeded jobs`);
  const schema = values.schema || `bench_list_${Math.random().toString(36).slice(2, 8)}`;
  const keep = values['keep-schema'] || Boolean(values.schema);
  try {
    if (reused) {
      ({ tenantId: TENANT, projectId: PROJECT } = reused);
      console.log(`measuring the jobs seeded earlier in schema ${schema}`);
    } else {
      const sql = await openSqlClient({ kind: 'pg', connectionString: values.url, schema, poolSize: 32 });
      const took = await seed(sql, TENANT, PROJECT);
      await sql.close();
      console.log(`seeded ${JOBS} jobs into PostgreSQL schema ${schema}: appends ${took.appendSeconds} s, projection ${took.projectSeconds} s`);
    }
    await measure('PostgreSQL server', { DATABASE_URL: values.url, DATABASE_SCHEMA: schema });
  } finally {
    if (keep) {
      console.log(`schema ${schema} kept: measure it again with --schema=${schema}, drop it with DROP SCHEMA ${schema} CASCADE`);
    } else {
      const client = new pg.Client({ connectionString: values.url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}
