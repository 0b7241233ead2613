/**
 * Export speed and memory: seeds a project with N jobs (default 33,334: submitted, started,
 * completed, ~100,000 events) through the real write path and the job projection on a fresh
 * PostgreSQL schema, starts the built service on it, downloads the OCEL and the XES export
 * (each twice) and prints events per second and the service's peak resident memory (VmHWM)
 * before and after each.
 *
 *   npm run build && node dist/bench/event-export.bench.js [--jobs=33334]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEventStoreOnClient } from '../libs/event-store/src/postgres/postgres-event-store.js';
import { openSqlClient } from '../libs/event-store/src/postgres/sql-client.js';
import { JobRepository, type JobOutcome } from '../libs/job-domain/src/index.js';
import { PostgresJobReadStore } from '../libs/read-store/src/postgres/postgres-job-read-store.js';
import { JobProjection } from '../libs/read-store/src/projections/job-projection.js';
import { jobSubmission } from '../test/support/job-commands.js';
import { dropSchema } from '../test/support/postgres.js';
import { removeDataDir, startServiceProcess } from '../test/support/service-process.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '33334' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const JOBS = Number(values.jobs);
const TENANT = randomUUID();
const PROJECT = randomUUID();
const META = { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() };
const OUTCOME: JobOutcome = {
  recordsProcessed: 1000, totalRecords: 1000, dataQualityScore: null, dataValidation: null, warnings: [], processingErrors: [], artifacts: [],
  execution: { cpuTimeSeconds: 1, wallTimeSeconds: 2, peakMemoryBytes: null, diskIoOperations: null, diskBytesWritten: null },
};

function peakResidentMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmHWM');
  return Math.round(Number(match[1]) / 1024);
}

const schema = `bench_export_${Math.random().toString(36).slice(2, 8)}`;
try {
  const sql = await openSqlClient({ kind: 'pg', connectionString: values.url, schema, poolSize: 32 });
  const events = await createEventStoreOnClient(sql, { pollIntervalMs: 200 });
  const store = new PostgresJobReadStore(sql);
  await store.migrate();
  const repository = new JobRepository(events);
  let next = 0;
  const seedStarted = Date.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < JOBS) {
      const i = next++;
      const jobId = randomUUID();
      const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + i * 1000 + s * 1000).toISOString();
      let { state } = await repository.execute(jobId, {
        kind: 'SubmitJob', submission: jobSubmission(jobId, { tenantId: TENANT, projectId: PROJECT }, { submittedAt: at(0) }),
      }, META);
      ({ state } = await repository.execute(jobId, { kind: 'StartJob', nodeId: `node-${i % 4}`, at: at(1) }, META, { known: state }));
      await repository.execute(jobId, { kind: 'CompleteJob', nodeId: `node-${i % 4}`, at: at(3), outcome: OUTCOME }, META, { known: state });
    }
  }));
  const projection = new JobProjection(events, store, console);
  await projection.start();
  await projection.untilCaughtUp(500);
  await projection.stop();
  await store.maintain();
  await events.close();
  await sql.close();
  console.log(`seeded ${JOBS} jobs (${JOBS * 3} events) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  const service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0', DATABASE_URL: values.url, DATABASE_SCHEMA: schema, LEASE_SECONDS: '1000000000' });
  try {
    const token = await service.token(TENANT, [PROJECT], 'bench', ['viewer']);
    const pid = service.process.pid!;
    const rows = [];
    // Each twice: a second run that adds no peak memory shows the first one's growth is the heap settling, not data kept.
    for (const format of ['ocel', 'xes', 'ocel', 'xes']) {
      const before = peakResidentMb(pid);
      const started = performance.now();
      const res = await fetch(`${service.url}/api/${TENANT}/${PROJECT}/execution/events/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } });
      let bytes = 0;
      for await (const chunk of res.body!) bytes += (chunk as Uint8Array).length;
      const seconds = (performance.now() - started) / 1000;
      rows.push({
        format, status: res.status, events: JOBS * 3, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round((JOBS * 3) / seconds),
        megabytes: Number((bytes / 1e6).toFixed(1)), peakRssBeforeMb: before, peakRssAfterMb: peakResidentMb(pid),
      });
    }
    console.log(`export of one project, PostgreSQL, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.table(rows);
  } finally {
    await service.stop();
    removeDataDir(service.dataDir);
  }
} finally {
  await dropSchema(values.url, schema).catch(() => undefined);
}
