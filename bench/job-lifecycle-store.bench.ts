/**
 * Jobs per second through the store-level lifecycle on a PostgreSQL server: submit,
 * batched claim, complete, with each job's view written in its append's transaction
 * (PostgresJobWriter). Submitters and claiming nodes run at once in this process; no job
 * process runs (the figure is the store's, not the mining engine's).
 *
 *   npm run build && node dist/bench/job-lifecycle-store.bench.js
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 * BENCH_JOBS (default 3000), BENCH_SUBMITTERS (default 32), BENCH_NODES (default 4),
 * BENCH_NODE_SLOTS (default 16). Runs in a throw-away schema; nothing is left behind.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createEventStoreOnClient } from '../libs/event-store/src/postgres/postgres-event-store.js';
import { openSqlClient } from '../libs/event-store/src/postgres/sql-client.js';
import { claimQueuedJobs } from '../libs/execution-node/src/claim-queued-jobs.js';
import { JobRepository, systemCommandMetadata } from '../libs/job-domain/src/index.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../libs/read-store/src/postgres/postgres-job-writer.js';
import { jobOutcome, jobSubmission } from '../test/support/job-commands.js';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const jobCount = Number(process.env.BENCH_JOBS ?? 3000);
const submitters = Number(process.env.BENCH_SUBMITTERS ?? 32);
const nodes = Number(process.env.BENCH_NODES ?? 4);
const slots = Number(process.env.BENCH_NODE_SLOTS ?? 16);
const AGING = 600;

const schema = `bench_lifecycle_${randomUUID().slice(0, 8)}`;
const sql = await openSqlClient({ kind: 'pg', connectionString: url, schema });
try {
  const events = await createEventStoreOnClient(sql);
  const jobs = new PostgresJobReadStore(sql, AGING);
  await jobs.migrate();
  const repository = new JobRepository(events, new PostgresJobWriter(sql, events, AGING));
  const scopes = Array.from({ length: 8 }, () => ({ tenantId: randomUUID(), projectId: randomUUID() }));
  let submitted = 0;
  let completed = 0;
  const started = performance.now();

  const submitter = async () => {
    while (submitted < jobCount) {
      const i = submitted++;
      const jobId = randomUUID();
      await repository.execute(jobId, {
        kind: 'SubmitJob', submission: jobSubmission(jobId, scopes[i % scopes.length], { submittedAt: new Date().toISOString() }),
      }, systemCommandMetadata('bench'), { retries: 0 });
    }
  };
  const node = async (nodeId: string) => {
    while (completed < jobCount) {
      const { claimed } = await claimQueuedJobs(jobs, repository, { nodeId, limit: slots, now: new Date(), metadata: () => systemCommandMetadata(nodeId) });
      if (claimed.length === 0) {
        await new Promise((resolve) => setImmediate(resolve)); // nothing queued yet: let the submitters run
        continue;
      }
      await Promise.all(claimed.map((state) => repository.execute(state.jobId, {
        kind: 'CompleteJob', nodeId, at: new Date().toISOString(), outcome: jobOutcome(),
      }, systemCommandMetadata(nodeId), { retries: 3, known: state })));
      completed += claimed.length;
    }
  };
  await Promise.all([
    ...Array.from({ length: submitters }, submitter),
    ...Array.from({ length: nodes }, (_, i) => node(`bench-node-${i}`)),
  ]);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`job lifecycle (submit, batched claim, complete) on PostgreSQL: ${jobCount} jobs in ${seconds.toFixed(2)} s`
    + ` = ${(jobCount / seconds).toFixed(0)} jobs/s (${submitters} submitters, ${nodes} nodes x ${slots} slots)\n`);
  await events.close();
} finally {
  await sql.close();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
