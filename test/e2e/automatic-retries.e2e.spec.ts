/**
 * Automatic retries over HTTP with a real worker process on PostgreSQL: a job whose process
 * is killed mid-run (a RunnerCrashed failure, retryable) is retried automatically, its status
 * shows the due time and then the retry's id, and the retry's own crash, its last allowed
 * attempt, dead-letters it: listed by `?status=Failed&deadLettered=true`, counted in system status.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { holdRunnerOnceItHas, projectArtifactsFolder } from '../support/job-runner-processes.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('automatic retries end-to-end suite');

(server ? describe : describe.skip)('automatic retries on PostgreSQL with a worker process', () => {
  const schema = randomSchemaName('e2e_retries');
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let service: ServiceProcess;
  let worker: WorkerProcess;
  let token: string;
  let datasetId: string;
  let logDir: string;
  // Due 1–2 s after the failure: long enough to see the due time in the status.
  const env = () => ({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, RETRY_BASE_SECONDS: '2', RETRY_MAX_SECONDS: '2' });
  const call = (method: string, url: string, body?: unknown) => api(service.url, token, method, `${base}${url}`, body);
  const status = async (jobId: string) => (await call('GET', `/execution/job/${jobId}`)).body;

  beforeAll(async () => {
    service = await startServiceProcess({ ...env(), EMBEDDED_WORKER_CAPACITY: '0' });
    token = await service.token(tenant, [project]);
    logDir = mkdtempSync(path.join(os.tmpdir(), 'retry-log-'));
    const file = path.join(logDir, 'log.csv');
    await writeGeneratedEventLog(file, 40_000, 20); // 800,000 events: seconds of CPU per job, time to kill its process mid-run
    datasetId = await uploadDataset(service, token, base, file);
    worker = await startWorkerProcess('retry-worker', { ...env(), DATA_DIR: service.dataDir });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  /** Waits for the job to run on the worker, then kills the job process computing it. */
  async function crashWhileRunning(jobId: string): Promise<void> {
    await waitFor(async () => {
      const job = await status(jobId);
      if (['Completed', 'Failed', 'Cancelled'].includes(job.status)) throw new Error(`job ended ${job.status} before its process was killed`);
      return job.status === 'Running';
    }, 30_000, 20, `job ${jobId} to run`);
    // Once its runner has it (held there, so a fast engine cannot finish it first).
    process.kill(await holdRunnerOnceItHas(worker.process.pid!, projectArtifactsFolder(service.dataDir, tenant, project), jobId), 'SIGKILL');
  }

  it('refuses a maxAttempts outside 1..10 and a deadLettered filter other than true or false, naming the field', async () => {
    const bad = await call('POST', '/execution/job', {
      jobName: 'bad', jobType: 'Analysis', parameters: { datasetId }, scheduling: { maxAttempts: 11 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('scheduling.maxAttempts');
    const list = await call('GET', '/execution/jobs?deadLettered=maybe');
    expect(list.status).toBe(400);
    expect(JSON.stringify(list.body)).toContain('deadLettered');
  });

  it('retries a crashed job automatically, shows the due time then the retry, and dead-letters the last attempt', async () => {
    const submitted = await call('POST', '/execution/job', {
      jobName: 'crashes twice', jobType: 'ProcessMining', priority: 'High', scheduling: { maxAttempts: 2 },
      parameters: { datasetId, analysisType: 'comprehensive', includeAnomalyDetection: true, generateInsights: true },
    });
    expect(submitted.status).toBe(201);
    const jobId: string = submitted.body.jobId;
    expect((await status(jobId)).scheduling.maxAttempts).toBe(2);

    await crashWhileRunning(jobId);
    const scheduled = await waitFor(async () => {
      const job = await status(jobId);
      return job.status === 'Failed' && (job.nextRetryAt || job.retriedAs) ? job : null;
    }, 30_000, 50, 'the retry to be scheduled');
    expect(scheduled.nextRetryAt).not.toBeNull(); // seen while due, before the retry is submitted
    expect(scheduled.retriedAs).toBeNull();
    expect({ ...scheduled.failure, message: undefined }).toMatchObject({ errorType: 'ExecutionError', category: 'RunnerCrashed', retryable: true });
    expect(scheduled.failure.message).toContain('ended unexpectedly');
    expect(scheduled.deadLettered).toBe(false);

    const retried = await waitFor(async () => {
      const job = await status(jobId);
      return job.retriedAs ? job : null;
    }, 30_000, 50, 'the automatic retry');
    expect(retried.nextRetryAt).toBeNull();
    const retryId: string = retried.retriedAs;
    const retry = await status(retryId);
    expect(retry).toMatchObject({ retryOf: jobId, attempt: 2, scheduling: { maxAttempts: 2 } });
    expect(Date.parse(retry.dateCreated)).toBeGreaterThanOrEqual(Date.parse(scheduled.nextRetryAt));

    await crashWhileRunning(retryId);
    const dead = await waitFor(async () => {
      const job = await status(retryId);
      return job.deadLettered ? job : null;
    }, 30_000, 50, 'the last attempt to be dead-lettered');
    expect(dead).toMatchObject({ status: 'Failed', nextRetryAt: null, retriedAs: null });
    expect(dead.deadLetterReason).toContain('attempt 2 of 2');

    const listed = await call('GET', '/execution/jobs?status=Failed&deadLettered=true');
    expect(listed.status).toBe(200);
    expect(listed.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([retryId]);
    expect(listed.body.summary.totalJobs).toBe(1);
    const system = await api(service.url, token, 'GET', `/api/${tenant}/execution/system/status`);
    expect(system.status).toBe(200);
    expect(system.body.queueStatistics.deadLetteredJobs).toBe(1);

    const history = (await call('GET', `/execution/job/${jobId}/history`)).body.events.map((e: { type: string }) => e.type);
    expect(history.filter((t: string) => ['JobFailed', 'JobRetryScheduled', 'JobRetried'].includes(t))).toEqual(['JobFailed', 'JobRetryScheduled', 'JobRetried']);
  }, 150_000);
});
