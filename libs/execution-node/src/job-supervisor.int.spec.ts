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
import { JobSupervisor, type JobSupervisorOptions } from './job-supervisor.js';
import { seedEmbeddedStore } from '../../../test/support/pglite-templates.js';

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
  seedEmbeddedStore(dir);
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

function heartbeat(nodeId: string, runningJobIds: string[] | null) {
  return stores.jobs.recordHeartbeat({
    nodeId, jobCapacity: 1, activeJobs: runningJobIds?.length ?? 0, cpuPercent: 0, cpuCores: 1, memoryUsedBytes: 1, memoryTotalBytes: 2,
    diskAvailableBytes: null, draining: false, runningJobIds,
  });
}

function supervisor(options: Partial<JobSupervisorOptions> = {}): JobSupervisor {
  return new JobSupervisor(stores, repository, { leaseSeconds: 3600, reconcileGraceSeconds: 3600, maxLostAttempts: 3, ...options }, quiet);
}

/** Sweeps until the job leaves Running (the store's clock must move past a lease or grace), or the deadline. */
async function sweepUntilNotRunning(s: JobSupervisor, jobId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await s.sweep();
    const state = await repository.load(jobId);
    if (state?.status !== 'Running' || Date.now() > deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('job supervisor', () => {
  it('fails a job past its stored timeout, and only then', async () => {
    await heartbeat('busy-node', []);
    const jobId = await runningJob('busy-node', 1);
    await heartbeat('busy-node', [jobId]);
    const s = supervisor();
    await s.sweep(new Date(Date.now() + 30_000));
    expect((await repository.load(jobId))?.status).toBe('Running');
    await s.sweep(new Date(Date.now() + 61_000));
    const state = await repository.load(jobId);
    expect(state?.status).toBe('Failed');
    expect(state?.failure?.errorType).toBe('Timeout');
    // A second sweep (another process) changes nothing.
    await s.sweep(new Date(Date.now() + 62_000));
    expect((await repository.load(jobId))?.revision).toBe(state?.revision);
  });

  it('requeues the jobs of a node whose lease expired by the store\'s clock, fencing the old node out', async () => {
    const jobId = await runningJob('lost-node', 60);
    await heartbeat('lost-node', [jobId]);
    // Within the lease: nothing happens.
    await supervisor({ leaseSeconds: 3600 }).sweep();
    expect((await repository.load(jobId))?.status).toBe('Running');
    const state = await sweepUntilNotRunning(supervisor({ leaseSeconds: 1 }), jobId);
    expect(state).toMatchObject({ status: 'Queued', nodeId: null, requeueCount: 1 });
    // The lost node's late report is refused.
    await expect(repository.execute(jobId, {
      kind: 'CompleteJob', nodeId: 'lost-node', at: new Date().toISOString(),
      outcome: {
        recordsProcessed: 0, totalRecords: 0, dataQualityScore: null, dataValidation: null, warnings: [], processingErrors: [], artifacts: [],
        execution: { cpuTimeSeconds: null, wallTimeSeconds: 0, peakMemoryBytes: null, diskIoOperations: null, diskBytesWritten: null },
      },
    }, meta, { retries: 0 })).rejects.toThrow(/not Running|claimed by another/);
  });

  it('requeues a job that its live node does not report running, after the grace', async () => {
    const reported = await runningJob('forgetful-node', 60);
    const dropped = await runningJob('forgetful-node', 60);
    await heartbeat('forgetful-node', [reported]);
    // Within the grace the missing job is left alone (its claim may be newer than the heartbeat).
    await supervisor({ reconcileGraceSeconds: 3600 }).sweep();
    expect((await repository.load(dropped))?.status).toBe('Running');
    const deadline = Date.now() + 10_000;
    let state = await repository.load(dropped);
    while (state?.status === 'Running' && Date.now() < deadline) {
      await heartbeat('forgetful-node', [reported]); // keeps heartbeating: the lease never expires
      await supervisor({ reconcileGraceSeconds: 1 }).sweep();
      state = await repository.load(dropped);
    }
    expect(state).toMatchObject({ status: 'Queued', requeueCount: 1 });
    expect((await repository.load(reported))?.status).toBe('Running');
  });

  it('ends a job Cancelled when its node is lost with a cancellation pending', async () => {
    const jobId = await runningJob('dead-node', 60);
    await heartbeat('dead-node', [jobId]);
    const cancel = await repository.execute(jobId, {
      kind: 'CancelJob', at: new Date().toISOString(),
      request: { reason: 'not needed', forceTermination: false, preservePartialResults: true, requestedBy: 'alice' },
    }, meta);
    await projection.waitFor(cancel.position!, 10_000);
    const state = await sweepUntilNotRunning(supervisor({ leaseSeconds: 1 }), jobId);
    expect(state).toMatchObject({ status: 'Cancelled', requeueCount: 0 });
  });

  it('fails a job that lost its node maxLostAttempts times, with the reason', async () => {
    const jobId = await runningJob('crashing-node', 60);
    const s = supervisor({ leaseSeconds: 1, maxLostAttempts: 2 });
    await heartbeat('crashing-node', [jobId]);
    expect(await sweepUntilNotRunning(s, jobId)).toMatchObject({ status: 'Queued', requeueCount: 1 });
    const again = await repository.execute(jobId, { kind: 'StartJob', nodeId: 'crashing-node', at: new Date().toISOString() }, meta);
    await projection.waitFor(again.position!, 10_000);
    const state = await sweepUntilNotRunning(s, jobId);
    expect(state?.status).toBe('Failed');
    expect(state?.failure).toEqual({ errorType: 'NodeLost', message: expect.stringContaining('lost its node 2 times'), category: 'NodeLost', retryable: true });
  });
});
