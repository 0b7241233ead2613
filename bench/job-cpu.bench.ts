/**
 * CPU time per job of the cheapest real job (Analysis `variants` on the 42-event running
 * example) through a real execution node: submits the jobs, lets one node run them, and
 * reads this process's CPU time and that of its job processes (`/proc/self/stat`: utime +
 * stime of the process, cutime + cstime of its children once they are reaped, which the
 * node's stop does). The figure includes the submitting and the projection done here, not
 * the database server's own CPU.
 *
 *   npm run build && node dist/bench/job-cpu.bench.js [--jobs=200] [--capacity=8]
 *
 * On PostgreSQL when TEST_DATABASE_URL (or the default local server) answers, else on the
 * embedded store.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadServiceConfig } from '../libs/config/src/service-config.js';
import { registerDatasetFromFile } from '../libs/datasets/src/register-dataset.js';
import { ExecutionNode } from '../libs/execution-node/src/execution-node.js';
import { JobRepository } from '../libs/job-domain/src/index.js';
import { JobProjection } from '../libs/read-store/src/projections/job-projection.js';
import { openStores } from '../libs/storage/src/open-stores.js';
import { RUNNING_EXAMPLE_CSV } from '../test/support/fixtures.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../test/support/postgres.js';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

function argument(name: string, fallback: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`));
  return raw ? Number(raw.split('=')[1]) : fallback;
}

/** CPU seconds of this process and of its reaped children. */
async function cpuSeconds(): Promise<{ own: number; children: number }> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { own: (fields[11] + fields[12]) / CLOCK_TICKS_PER_SECOND, children: (fields[13] + fields[14]) / CLOCK_TICKS_PER_SECOND };
}

const jobs = argument('jobs', 200);
const capacity = argument('capacity', 8);
const server = await resolveTestPostgres('job CPU benchmark');
const dir = await mkdtemp(path.join(os.tmpdir(), 'job-cpu-bench-'));
const schema = randomSchemaName('bench_job_cpu');
const stores = await openStores(loadServiceConfig({
  DATA_DIR: dir, ...(server ? { DATABASE_URL: server.url, DATABASE_SCHEMA: schema } : {}),
}));
const silent = { log: () => undefined, warn: (m: string) => console.warn(m) };
try {
  const repository = new JobRepository(stores.events);
  const projection = new JobProjection(stores.events, stores.jobs, silent);
  await projection.start();
  const tenantId = randomUUID();
  const projectId = randomUUID();
  const upload = path.join(dir, 'upload.csv');
  await copyFile(RUNNING_EXAMPLE_CSV, upload);
  const { datasetId } = await registerDatasetFromFile(stores.files, stores.datasets, {
    tenantId, projectId, filePath: upload, originalName: 'running-example.csv', name: 'running example', columns: {},
    createdBy: 'bench', sourceJobId: null,
  });
  const node = new ExecutionNode(stores, repository, {
    nodeId: 'bench-node', capacity, heartbeatSeconds: 5, pollIntervalMs: 1000, maxLostAttempts: 3,
  }, silent);
  await node.start();
  const before = await cpuSeconds();
  const began = performance.now();
  const jobIds: string[] = [];
  for (let i = 0; i < jobs; i++) {
    const jobId = randomUUID();
    jobIds.push(jobId);
    await repository.execute(jobId, {
      kind: 'SubmitJob',
      submission: {
        jobId, tenantId, projectId, jobName: `variants ${i}`, jobDescription: null, jobType: 'Analysis', priority: 'Normal', resource: null,
        parameters: { datasetId, analysisType: 'variants' }, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 5 },
        notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 'bench',
        submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
      },
    }, { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID() });
  }
  let completed = 0;
  for (const jobId of jobIds) {
    for (;;) {
      const state = await repository.load(jobId);
      if (state && state.status !== 'Queued' && state.status !== 'Running') {
        if (state.status === 'Completed') completed += 1;
        else console.warn(`job ${jobId} ended ${state.status}: ${state.failure?.message}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const wallSeconds = (performance.now() - began) / 1000;
  await node.stop(0); // reaps the job processes, so their CPU time is in cutime/cstime
  const after = await cpuSeconds();
  await projection.stop();
  const own = after.own - before.own;
  const children = after.children - before.children;
  console.log(`store: ${server ? 'PostgreSQL' : 'embedded (PGlite)'}; ${jobs} Analysis variants jobs, ${completed} completed, ${capacity} slots`);
  console.log(`wall time ${wallSeconds.toFixed(2)} s (${(jobs / wallSeconds).toFixed(1)} jobs/s)`);
  console.log(`CPU per job: ${((own + children) * 1000 / jobs).toFixed(1)} ms (node process ${(own * 1000 / jobs).toFixed(1)} ms, job processes ${(children * 1000 / jobs).toFixed(1)} ms)`);
} finally {
  await stores.close();
  if (server) await dropSchema(server.url, schema).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
