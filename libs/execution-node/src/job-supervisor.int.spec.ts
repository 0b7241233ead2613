/**
 * Durable timers against a real store: timeouts and lease expiry are decided from
 * stored due times, whatever process (or restart) does the sweep.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from '../../config/src/service-config.js';
import { JobRepository, type JobSubmittedData } from '../../job-domain/src/index.js';
import { JobProjection } from '../../read-store/src/projections/job-projection.js';
import { openStores, type Stores } from '../../storage/src/open-stores.js';
import { JobSupervisor } from './job-supervisor.js';

const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
const quiet = { log: () => undefined, warn: () => undefined };
let dir: string;
let stores: Stores;
let repository: JobRepository;
let projection: JobProjection;

function submission(jobId: string, timeoutMinutes: number): JobSubmittedData {
  return {
    jobId, tenantId: randomUUID(), projectId: randomUUID(), jobName: 'timer test', jobDescription: null, jobType: 'Analysis',
    priority: 'Normal', resource: null, parameters: {}, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 't',
    submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
  };
}

async function runningJob(nodeId: string, timeoutMinutes: number): Promise<string> {
  const jobId = randomUUID();
  await repository.execute(jobId, { kind: 'SubmitJob', submission: submission(jobId, timeoutMinutes) }, meta);
  const started = await repository.execute(jobId, { kind: 'StartJob', nodeId, at: new Date().toISOString() }, meta);
  await projection.waitFor(started.position!, 10_000);
  return jobId;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'supervisor-'));
  stores = await openStores(loadServiceConfig({ DATA_DIR: dir }));
  repository = new JobRepository(stores.events);
  projection = new JobProjection(stores.events, stores.jobs, quiet);
  await projection.start();
});

afterAll(async () => {
  await projection.stop();
  await stores.close();
  await rm(dir, { recursive: true, force: true });
});

describe('job supervisor', () => {
  it('fails a job past its stored timeout, and only then', async () => {
    await stores.jobs.recordHeartbeat({
      nodeId: 'busy-node', jobCapacity: 1, activeJobs: 1, cpuPercent: 0, cpuCores: 1, memoryUsedBytes: 1, memoryTotalBytes: 2,
      diskAvailableBytes: null, draining: false,
    }, new Date());
    const jobId = await runningJob('busy-node', 1);
    const supervisor = new JobSupervisor(stores, repository, 3600, quiet);
    await supervisor.sweep(new Date(Date.now() + 30_000));
    expect((await repository.load(jobId))?.status).toBe('Running');
    await supervisor.sweep(new Date(Date.now() + 61_000));
    const state = await repository.load(jobId);
    expect(state?.status).toBe('Failed');
    expect(state?.failure?.errorType).toBe('Timeout');
    // A second sweep (another process) changes nothing.
    await supervisor.sweep(new Date(Date.now() + 62_000));
    expect((await repository.load(jobId))?.revision).toBe(state?.revision);
  });

  it('requeues the jobs of a node whose lease expired, fencing the old node out', async () => {
    const at = new Date();
    await stores.jobs.recordHeartbeat({
      nodeId: 'lost-node', jobCapacity: 1, activeJobs: 1, cpuPercent: 0, cpuCores: 1, memoryUsedBytes: 1, memoryTotalBytes: 2,
      diskAvailableBytes: null, draining: false,
    }, at);
    const jobId = await runningJob('lost-node', 60);
    const supervisor = new JobSupervisor(stores, repository, 30, quiet);
    await supervisor.sweep(new Date(at.getTime() + 10_000));
    expect((await repository.load(jobId))?.status).toBe('Running');
    await supervisor.sweep(new Date(at.getTime() + 31_000));
    const state = await repository.load(jobId);
    expect(state).toMatchObject({ status: 'Queued', nodeId: null, requeueCount: 1 });
    // The lost node's late report is refused.
    await expect(repository.execute(jobId, {
      kind: 'CompleteJob', nodeId: 'lost-node', at: new Date().toISOString(),
      outcome: {
        recordsProcessed: 0, totalRecords: 0, dataQualityScore: null, dataValidation: null, warnings: [], processingErrors: [], artifacts: [],
        execution: { cpuTimeSeconds: 0, wallTimeSeconds: 0, peakMemoryBytes: 0, diskIoOperations: 0, diskBytesWritten: 0 },
      },
    }, meta, { retries: 0 })).rejects.toThrow(/not Running|claimed by another/);
  });
});
