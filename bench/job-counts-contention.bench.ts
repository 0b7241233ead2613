/**
 * What the maintained counts cost concurrent writers of one project (ADR 0007): W writers,
 * each committing its own transaction that writes one new job document through
 * writeJobDocuments, all with the same counted key (one project, status, type, priority,
 * submitter: the hottest case). Rows: no count triggers (the baseline), one count row per
 * key (every writer waits for the previous commit), and the sharded rows the store uses.
 *
 *   npm run build && node dist/bench/job-counts-contention.bench.js [--writers=16] [--seconds=5]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openSqlClient } from '../libs/event-store/src/postgres/sql-client.js';
import { evolve, type JobState, type JobSubmittedData } from '../libs/job-domain/src/index.js';
import { COUNT_SHARDS, createJobCountTriggers } from '../libs/read-store/src/postgres/job-counts.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';
import { writeJobDocuments } from '../libs/read-store/src/postgres/write-job-documents.js';
import { dropSchema } from '../test/support/postgres.js';

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const WRITERS = Number(values.writers);
const SECONDS = Number(values.seconds);

function newJob(): JobState {
  const jobId = randomUUID();
  const submission: JobSubmittedData = {
    jobId, tenantId: 'bench-tenant', projectId: 'bench-project', jobName: 'contention', jobDescription: '',
    jobType: 'Analysis', priority: 'Normal', resource: { resourceType: 'dataset', resourceId: jobId, resourceName: 'x.csv' },
    parameters: {}, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: 'bench', submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
  };
  return evolve(null, { type: 'JobSubmitted', data: submission }, 0, submission.submittedAt);
}

interface Row { counts: string; commitsPerSecond: number; p50: number; p99: number }

async function run(label: string, prepare: (sql: Awaited<ReturnType<typeof openSqlClient>>) => Promise<void>): Promise<Row> {
  const schema = `bench_counts_${Math.random().toString(36).slice(2, 8)}`;
  const sql = await openSqlClient({ kind: 'pg', connectionString: values.url, schema, poolSize: WRITERS });
  try {
    await new PostgresJobReadStore(sql).migrate();
    await prepare(sql);
    const latencies: number[] = [];
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: WRITERS }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        await sql.transaction((tx) => writeJobDocuments(tx, [newJob()], 600));
        latencies.push(performance.now() - started);
      }
    }));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) / 100;
    return { counts: label, commitsPerSecond: Math.round(latencies.length / SECONDS), p50: at(0.5), p99: at(0.99) };
  } finally {
    await sql.close();
    await dropSchema(values.url, schema);
  }
}

const rows: Row[] = [];
rows.push(await run('no count triggers', (sql) => sql.transaction(async (tx) => {
  for (const event of ['insert', 'update', 'delete']) await tx.query(`DROP TRIGGER job_views_counts_${event} ON job_views`);
})));
rows.push(await run('one row per key', (sql) => sql.transaction((tx) => createJobCountTriggers(tx, 1))));
rows.push(await run(`${COUNT_SHARDS} shards per key`, async () => undefined));
console.log(`\nJob document writes in one project, ${WRITERS} writers, ${SECONDS} s each (latency ms per transaction)`);
console.table(rows);
