/**
 * The queue's read queries on a big queue, on the PostgreSQL server: 100,000 queued jobs of
 * 26 tenants (one project of tenant "a" holds 20,000 of them, 1 in 50 on hold) beside
 * 300,000 ended ones, and one other project paused. Times each query over repeated runs:
 * a claim (nextQueuedJobs), one job's queuePosition, and pages of one project's queue view.
 * Rows are written straight into a throw-away schema (the documents carry what the queries
 * read), then the schema is dropped.
 *
 *   npm run build && node dist/bench/queue-view.bench.js [--url=postgres://…] [--runs=20]
 */
import { parseArgs } from 'node:util';
import { openThrowawaySchema } from '../test/support/postgres.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    runs: { type: 'string', default: '20' },
  },
});
const RUNS = Number(values.runs);
const TENANTS = 26;
const QUEUED = 100_000;
const ENDED = 300_000;
const BIG_PROJECT_JOBS = 20_000;
const T0 = Date.parse('2024-05-06T08:00:00.000Z');


/** One SQL statement: the job document built in SQL, its typed columns beside it (as UPSERT_JOB_DOCUMENTS derives them). */
const SEED = `
INSERT INTO job_views (job_id, tenant_id, project_id, status, job_type, priority, submitted_by, date_created, queued_at,
  queue_score, scheduled_at, started_at, ended_at, timeout_at, node_id, revision, held, doc)
SELECT j.job_id, j.tenant_id, j.project_id, j.status, 'Analysis', j.priority, 'bench', j.at, j.at,
  extract(epoch FROM j.at) - (CASE j.priority WHEN 'High' THEN 2 WHEN 'Normal' THEN 1 ELSE 0 END) * 600,
  NULL, j.started, j.ended, NULL, NULL, 0, j.held,
  jsonb_build_object('jobId', j.job_id, 'tenantId', j.tenant_id, 'projectId', j.project_id, 'status', j.status,
    'jobType', 'Analysis', 'jobName', 'bench ' || j.n, 'priority', j.priority, 'submittedBy', 'bench',
    'submittedAt', j.at, 'queuedAt', j.at, 'revision', 0, 'parameters', jsonb_build_object('datasetId', 'none'),
    'scheduling', jsonb_build_object('executeImmediately', true, 'scheduledTime', NULL, 'timeoutMinutes', 30),
    'hold', CASE WHEN j.held THEN jsonb_build_object('heldBy', 'bench', 'heldAt', j.at, 'reason', NULL) END)
FROM (
  SELECT n, 'job-' || n AS job_id,
    CASE WHEN n < $3::int THEN 'tenant-a' ELSE 'tenant-' || chr(97 + n % $1::int) END AS tenant_id,
    CASE WHEN n < $3::int THEN 'big-project' WHEN n % 7 = 0 THEN 'paused-project' ELSE 'project-' || (n % 5) END AS project_id,
    CASE WHEN n < $2::int THEN 'Queued' ELSE 'Completed' END AS status,
    (ARRAY['Low', 'Normal', 'High'])[1 + n % 3] AS priority,
    to_timestamp($4::float8 + n) AS at,
    CASE WHEN n >= $2::int THEN to_timestamp($4::float8 + n + 1) END AS started,
    CASE WHEN n >= $2::int THEN to_timestamp($4::float8 + n + 2) END AS ended,
    n < $3::int AND n % 50 = 0 AS held
  FROM generate_series(0, $2::int + $5::int - 1) AS n
) j`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function time(label: string, work: () => Promise<unknown>): Promise<string> {
  await work(); // warm: plans cached, pages in memory
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await work();
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return `| ${label} | ${percentile(ms, 0.5).toFixed(1)} ms | ${percentile(ms, 0.9).toFixed(1)} ms |`;
}

const { sql, cleanup } = await openThrowawaySchema(values.url!, 'bench_queue');
try {
  const store = new PostgresJobReadStore(sql);
  await store.migrate();
  const seeded = Date.now();
  await sql.query(SEED, [TENANTS, QUEUED, BIG_PROJECT_JOBS, T0 / 1000, ENDED]);
  await sql.query(`INSERT INTO project_queues (tenant_id, project_id, paused, revision, doc)
    SELECT t, 'paused-project', true, 0, jsonb_build_object('tenantId', t, 'projectId', 'paused-project', 'status', 'Paused')
    FROM (SELECT DISTINCT tenant_id AS t FROM job_views) x`);
  // As autovacuum keeps a live table: visibility map set (index-only scans), statistics fresh.
  await sql.query('VACUUM ANALYZE job_views');
  await sql.query('VACUUM ANALYZE project_queues');
  console.log(`seeded ${QUEUED} queued (${TENANTS} tenants) + ${ENDED} ended jobs in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ${RUNS} runs each`);

  const now = new Date(T0 + (QUEUED + ENDED) * 1000);
  const scope = { tenantId: 'tenant-a', projectId: 'big-project', waitsSince: new Date(T0) };
  const firstClaims = await store.nextQueuedJobs(now, 1);
  const deep = (await store.queueView(scope, now, { offset: 4999, limit: 1 })).jobs[0];
  console.log(`first claim ${firstClaims[0]?.jobId}; the big project's 5,000th job is at queue position ${deep.queuePosition}`);
  const rows = [
    await time('nextQueuedJobs (a claim of 4)', () => store.nextQueuedJobs(now, 4)),
    await time(`queuePosition of the project's 5,000th job (position ${deep.queuePosition})`, () => store.queuePosition(deep.job.jobId, now)),
    await time('queueView page 1 (20 jobs)', () => store.queueView(scope, now, { offset: 0, limit: 20 })),
    await time('queueView page 1 (100 jobs)', () => store.queueView(scope, now, { offset: 0, limit: 100 })),
    await time('queueView page 50 (20 jobs, from the 981st)', () => store.queueView(scope, now, { offset: 980, limit: 20 })),
    await time('queueView of a paused project (20 jobs, no positions)', () =>
      store.queueView({ ...scope, projectId: 'paused-project' }, now, { offset: 0, limit: 20 })),
  ];
  console.log('| query | p50 | p90 |\n|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  await cleanup();
}
