/**
 * Nothing acknowledged is lost: a running job survives the crash (SIGKILL) of the
 * process that ran it; a running job can be cancelled (forced and graceful); several
 * real worker processes on one PostgreSQL run every job exactly once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BPIC_2012_XES_GZ } from '../support/fixtures.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import {
  TEST_JWT_SECRET, api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess,
} from '../support/service-process.js';

const started: ServiceProcess[] = [];
const workers: ChildProcess[] = [];

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  for (const s of started) await s.stop('SIGKILL');
  for (const dir of new Set(started.map((s) => s.dataDir))) removeDataDir(dir);
});

async function start(env: Record<string, string> = {}, dataDir?: string): Promise<ServiceProcess> {
  const s = await startServiceProcess({ HEARTBEAT_SECONDS: '1', LEASE_SECONDS: '3', ...env }, dataDir);
  started.push(s);
  return s;
}

function processMiningJob(datasetId: string) {
  return {
    jobName: 'BPIC 2012', jobType: 'ProcessMining', priority: 'High',
    parameters: { datasetId, analysisType: 'comprehensive', includeAnomalyDetection: true, generateInsights: true,
      performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'] },
    scheduling: { executeImmediately: true, timeoutMinutes: 30 },
  };
}

async function statusOf(s: ServiceProcess, token: string, base: string, jobId: string) {
  return (await api(s.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
}

describe('crash and restart', () => {
  it('a job running when its process is killed is requeued and completed after restart', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    let service = await start({ EMBEDDED_WORKER_CAPACITY: '1' });
    let token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base, BPIC_2012_XES_GZ, 'application/gzip');
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, processMiningJob(datasetId));
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId;
    // A second job acknowledged while the first runs must not be lost either.
    const queued = await api(service.url, token, 'POST', `${base}/execution/job`, { ...processMiningJob(datasetId), jobName: 'second', priority: 'Low' });
    expect(queued.status).toBe(201);
    await waitFor(async () => (await statusOf(service, token, base, jobId)).status === 'Running', 20_000, 100);

    await service.stop('SIGKILL');
    service = await start({ EMBEDDED_WORKER_CAPACITY: '1' }, service.dataDir);
    token = await service.token(tenant, [project]);

    for (const id of [jobId, queued.body.jobId]) {
      const done = await waitFor(async () => {
        const job = await statusOf(service, token, base, id);
        return ['Completed', 'Failed', 'Cancelled'].includes(job.status) ? job : null;
      }, 60_000, 250);
      expect({ status: done.status, error: done.error }).toEqual({ status: 'Completed', error: null });
    }
    const history = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/history?asOfRevision=1`);
    expect(history.status).toBe(200);
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('JobSubmitted');
    expect(types).toContain('JobRequeued');
    expect(types.filter((t: string) => t === 'JobStarted')).toHaveLength(2);
    expect(types.at(-1)).toBe('JobCompleted');
    expect(history.body.jobAsOfRevision.status).toBe('Running');
    for (const e of history.body.events) {
      expect(e.metadata).toMatchObject({ tenantId: tenant, projectId: project, actor: expect.any(String), correlationId: expect.any(String), causationId: expect.any(String), occurredAt: expect.any(String) });
    }
    const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results`);
    expect(results.body.summary.recordsProcessed).toBe(262200);
  }, 150_000);
});

describe('restart under the same node id', () => {
  it('hands back its own orphaned job at once, without waiting for the lease', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const env = { EMBEDDED_WORKER_CAPACITY: '1', NODE_ID: 'stable-node', LEASE_SECONDS: '3600' };
    let service = await start(env);
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base, BPIC_2012_XES_GZ, 'application/gzip');
    const jobId = (await api(service.url, token, 'POST', `${base}/execution/job`, processMiningJob(datasetId))).body.jobId;
    await waitFor(async () => (await statusOf(service, token, base, jobId)).status === 'Running', 20_000, 100);
    await service.stop('SIGKILL');
    service = await start(env, service.dataDir);
    const done = await waitFor(async () => {
      const job = await statusOf(service, token, base, jobId);
      return job.status === 'Completed' ? job : null;
    }, 60_000, 250);
    expect(done.attempt).toBe(1);
    const history = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/history`);
    const requeued = history.body.events.find((e: { type: string }) => e.type === 'JobRequeued');
    expect(requeued.data.reason).toBe('its node restarted');
  }, 90_000);
});

describe('the embedded store folder', () => {
  it('belongs to one process: a second one on the same DATA_DIR refuses to start', async () => {
    const first = await start();
    await expect(startServiceProcess({}, first.dataDir)).rejects.toThrow(/in use by process/);
    expect((await api(first.url, null, 'GET', '/health')).status).toBe(200);
    await first.stop();
  });
});

describe('cancelling a running job', () => {
  it.each([[true], [false]])('forceTermination=%s stops the process and records JobCancelled', async (force) => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const service = await start({ EMBEDDED_WORKER_CAPACITY: '1' });
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base, BPIC_2012_XES_GZ, 'application/gzip');
    const jobId = (await api(service.url, token, 'POST', `${base}/execution/job`, processMiningJob(datasetId))).body.jobId;
    await waitFor(async () => (await statusOf(service, token, base, jobId)).status === 'Running', 20_000, 50);
    const res = await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`, { reason: 'stop it', forceTermination: force, preservePartialResults: true });
    expect(res.status).toBe(200);
    const final = await waitFor(async () => {
      const job = await statusOf(service, token, base, jobId);
      return job.status !== 'Running' ? job : null;
    }, 30_000);
    expect(final.status).toBe('Cancelled');
    expect(final.cancellation).toMatchObject({ reason: 'stop it', forceTermination: force });
    // Cancelled jobs can be retried.
    const retried = await api(service.url, token, 'POST', `${base}/execution/job/${jobId}/retry`, { retryReason: 'run after all' });
    expect(retried.status).toBe(200);
    expect(retried.body.attempt).toBe(2);
    await service.stop();
  }, 90_000);
});

async function submitScheduled(s: ServiceProcess, token: string, base: string, datasetId: string, count: number): Promise<void> {
  const later = new Date(Date.now() + 3600_000).toISOString();
  for (let i = 0; i < count; i++) {
    const res = await api(s.url, token, 'POST', `${base}/execution/job`, {
      jobName: `kept ${i}`, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' }, scheduling: { scheduledTime: later },
    });
    expect(res.status).toBe(201);
  }
}

async function listAll(s: ServiceProcess, token: string, base: string) {
  return (await api(s.url, token, 'GET', `${base}/execution/jobs?pageSize=100`)).body;
}

/** Events in every job stream of the scope, read from each job's history (the event store). */
async function jobEventCount(s: ServiceProcess, token: string, base: string): Promise<number> {
  let count = 0;
  for (const job of (await listAll(s, token, base)).jobs as { jobId: string }[]) {
    count += (await api(s.url, token, 'GET', `${base}/execution/job/${job.jobId}/history`)).body.events.length;
  }
  return count;
}

const REPLAYED = /job views rebuilt from position 0: (\d+) job events replayed/;

describe('rebuilding the job views from position 0', () => {
  it('on the embedded store, on SIGUSR2, while the API keeps serving', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const service = await start({ EMBEDDED_WORKER_CAPACITY: '0' });
    const token = await service.token(tenant, [project]);
    await submitScheduled(service, token, base, await uploadDataset(service, token, base), 5);
    const before = await listAll(service, token, base);
    const events = await jobEventCount(service, token, base);
    expect(events).toBeGreaterThanOrEqual(5);
    const outputBefore = service.output().length;
    service.process.kill('SIGUSR2');
    // The replay reports how many events it folded from position 0: every event of every job
    // (this data folder holds only this scope's jobs), so the views really were rebuilt.
    const replayed = await waitFor(async () => REPLAYED.exec(service.output().slice(outputBefore)), 30_000);
    expect(Number(replayed[1])).toBe(events);
    expect(await listAll(service, token, base)).toEqual(before);
    await service.stop();
  });
});

const server = await resolveTestPostgres('multi-process PostgreSQL end-to-end suite');
(server ? describe : describe.skip)('rebuilding the job views on PostgreSQL', () => {
  it('with the rebuild command, beside a running API', async () => {
    const schema = randomSchemaName('e2e_rebuild');
    const env = { DATABASE_URL: server!.url, DATABASE_SCHEMA: schema };
    try {
      const service = await start({ ...env, EMBEDDED_WORKER_CAPACITY: '0' });
      const tenant = randomUUID();
      const project = randomUUID();
      const base = `/api/${tenant}/${project}`;
      const token = await service.token(tenant, [project]);
      const datasetId = await uploadDataset(service, token, base);
      await submitScheduled(service, token, base, datasetId, 5);
      const before = await listAll(service, token, base);
      const events = await jobEventCount(service, token, base);
      const output = execFileSync(process.execPath, [path.resolve('dist/apps/cli/src/projections.js'), 'rebuild', 'job_views'], {
        env: { ...process.env, ...env, DATA_DIR: service.dataDir },
      }).toString();
      // The live API's projection may apply some of the replayed batches itself (one runner per batch).
      const replayed = Number(REPLAYED.exec(output)?.[1]);
      expect(replayed).toBeGreaterThan(0);
      expect(replayed).toBeLessThanOrEqual(events);
      expect(await listAll(service, token, base)).toEqual(before);
      // The live API's own projection keeps following after the rebuild.
      await submitScheduled(service, token, base, datasetId, 1);
      expect((await listAll(service, token, base)).summary.totalJobs).toBe(6);
    } finally {
      await dropSchema(server!.url, schema).catch(() => undefined);
    }
  });
});

(server ? describe : describe.skip)('many worker processes on one PostgreSQL', () => {
  it('runs every job exactly once across two API and two worker processes', async () => {
    const schema = randomSchemaName('e2e');
    const env = { DATABASE_URL: server!.url, DATABASE_SCHEMA: schema };
    try {
      const service = await start({ ...env, EMBEDDED_WORKER_CAPACITY: '1', NODE_ID: 'api-node' });
      for (const name of ['worker-a', 'worker-b']) {
        const w = spawn(process.execPath, [path.resolve('dist/apps/worker/src/main.js')], {
          env: { ...process.env, ...env, DATA_DIR: service.dataDir, JWT_SECRET: TEST_JWT_SECRET, NODE_ID: name, WORKER_CAPACITY: '2', HEARTBEAT_SECONDS: '1' },
          stdio: 'ignore',
        });
        workers.push(w);
      }
      const tenant = randomUUID();
      const project = randomUUID();
      const base = `/api/${tenant}/${project}`;
      const token = await service.token(tenant, [project], 'e2e-admin', ['admin']); // admin: some jobs are Critical
      const datasetId = await uploadDataset(service, token, base);
      // A second API process on the same database and files: a write acknowledged by one is
      // visible through the other at once (both read the one read store the checkpoint covers).
      const second = await start({ ...env, EMBEDDED_WORKER_CAPACITY: '0', FILES_DIR: path.join(service.dataDir, 'files') });
      const apis = [service, second];
      const ids = await Promise.all(Array.from({ length: 24 }, async (_, i) => {
        const res = await api(apis[i % 2].url, token, 'POST', `${base}/execution/job`, {
          jobName: `parallel ${i}`, jobType: 'Analysis', priority: (['Low', 'Normal', 'High', 'Critical'] as const)[i % 4],
          parameters: { datasetId, analysisType: 'statistics' },
        });
        expect(res.status).toBe(201);
        expect((await api(apis[(i + 1) % 2].url, token, 'GET', `${base}/execution/job/${res.body.jobId}`)).status).toBe(200);
        return res.body.jobId as string;
      }));
      await waitFor(async () => {
        const list = await api(service.url, token, 'GET', `${base}/execution/jobs?status=Completed&pageSize=100`);
        return list.body.summary.totalJobs === ids.length;
      }, 60_000, 250);
      const nodes = new Set<string>();
      for (const id of ids) {
        const history = await api(service.url, token, 'GET', `${base}/execution/job/${id}/history`);
        const types = history.body.events.map((e: { type: string }) => e.type);
        expect(types.filter((t: string) => t === 'JobStarted')).toHaveLength(1);
        expect(types.filter((t: string) => t === 'JobCompleted')).toHaveLength(1);
        nodes.add(history.body.events.find((e: { type: string }) => e.type === 'JobStarted').data.nodeId);
      }
      // The work really was shared.
      expect(nodes.size).toBeGreaterThan(1);
      const status = await api(service.url, token, 'GET', `/api/${tenant}/execution/system/status`);
      expect(status.body.executionNodes.map((n: { nodeId: string }) => n.nodeId)).toEqual(expect.arrayContaining(['api-node', 'worker-a', 'worker-b']));
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await dropSchema(server!.url, schema).catch(() => undefined);
    }
  }, 150_000);
});
