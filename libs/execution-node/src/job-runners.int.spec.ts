/**
 * Warm job runners, with a real node on the embedded store running real jobs in real
 * runner processes: a runner serves job after job and is recycled after its share; a
 * forced cancellation or a runner killed mid-job costs that runner (and only that job),
 * and a fresh one takes the next job; usage figures are each job's own; a short job
 * appends no progress; a stopped node leaves no runner behind.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BPIC_2012_XES_GZ, RUNNING_EXAMPLE_CSV } from '../../../test/support/fixtures.js';
import { waitFor } from '../../../test/support/wait-for.js';
import {
  ExecutionNode as BuiltExecutionNode, JobProjection as BuiltJobProjection, JobRepository as BuiltJobRepository,
  loadServiceConfig, openStores, registerDatasetFromFile,
} from '../../../test/support/built-node-stack.js';
import type { JobRepository, JobState, JobType } from '../../job-domain/src/index.js';
import type { JobProjection } from '../../read-store/src/projections/job-projection.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { ExecutionNode, ExecutionNodeOptions } from './execution-node.js';
import { seedEmbeddedStore } from '../../../test/support/pglite-templates.js';

const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const tenantId = randomUUID();
const projectId = randomUUID();
let dir: string;
let stores: Stores;
let repository: JobRepository;
let projection: JobProjection;
let smallLog: string;
let largeLog: string;
/** Every node this suite started: each test stops its own, the suite's end stops any left. */
const nodes: ExecutionNode[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'runners-int-'));
  seedEmbeddedStore(dir);
  stores = await openStores(loadServiceConfig({ DATA_DIR: dir }));
  repository = new BuiltJobRepository(stores.events);
  projection = new BuiltJobProjection(stores.events, stores.jobs, { warn: () => undefined });
  await projection.start();
  const register = async (fixture: string, originalName: string) => {
    const upload = path.join(dir, originalName);
    await copyFile(fixture, upload);
    return (await registerDatasetFromFile(stores.files, stores.datasets, {
      tenantId, projectId, filePath: upload, originalName, name: originalName, columns: {}, createdBy: 'test', sourceJobId: null,
    })).datasetId;
  };
  smallLog = await register(RUNNING_EXAMPLE_CSV, 'running-example.csv');
  largeLog = await register(BPIC_2012_XES_GZ, 'bpic2012.xes.gz');
  // Jobs on the large log must take seconds: without its log as read at import (as for a dataset
  // registered before those were kept), each job reads the 74 MB of XML again.
  await rm(path.join(stores.files.datasetDir(tenantId, projectId), `${largeLog}.events.arrow`));
}, 60_000);

/**
 * A job that runs for seconds: the large log read again, then the comprehensive analysis
 * (discovery, the enriched log, every figure). A variants analysis of it took under a
 * second on a quiet machine, too short to be caught running.
 */
const LONG_JOB = { jobType: 'ProcessMining', parameters: { analysisType: 'comprehensive' } } as const;

afterAll(async () => {
  for (const node of nodes) await node.stop(0).catch(() => undefined);
  await projection?.stop();
  await stores?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A node whose log lines are kept, so the runner each job started on can be read from them. */
async function startNode(options: Partial<ExecutionNodeOptions> = {}, whileStarting: (node: ExecutionNode) => void = () => undefined) {
  const lines: string[] = [];
  const node: ExecutionNode = new BuiltExecutionNode(stores, repository, {
    nodeId: `runners-${randomUUID().slice(0, 8)}`, capacity: 1, heartbeatSeconds: 1, pollIntervalMs: 200, maxLostAttempts: 3, ...options,
  }, { log: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m) });
  nodes.push(node);
  const started = node.start(); // its runners are forked before its first await
  whileStarting(node);
  await started;
  const runnerOf = (jobId: string) => {
    const line = lines.find((l) => l.startsWith(`job ${jobId} `) && l.includes(' started on '));
    const match = line ? /runner pid (\d+)/.exec(line) : null;
    return match ? Number(match[1]) : null;
  };
  return { node, lines, runnerOf };
}

async function submit(datasetId: string, parameters: Record<string, unknown> = {}, jobType: JobType = 'Analysis'): Promise<string> {
  const jobId = randomUUID();
  const result = await repository.execute(jobId, {
    kind: 'SubmitJob',
    submission: {
      jobId, tenantId, projectId, jobName: 'runner test', jobDescription: null, jobType, priority: 'Normal', resource: null,
      parameters: { datasetId, ...(jobType === 'Analysis' && { analysisType: 'variants' }), ...parameters },
      scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 5 },
      notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 'test',
      submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
    },
  }, meta());
  await projection.waitFor(result.position!, 10_000);
  return jobId;
}

const ended = (jobId: string, timeoutMs = 60_000) => waitFor(async () => {
  const state: JobState | null = await repository.load(jobId);
  return state && state.status !== 'Queued' && state.status !== 'Running' ? state : null;
}, timeoutMs, 50, `job ${jobId} to end`);

/** Runs one job on the node and waits for its end. */
async function runJob(datasetId: string, parameters: Record<string, unknown> = {}, jobType: JobType = 'Analysis'): Promise<{ jobId: string; state: JobState }> {
  const jobId = await submit(datasetId, parameters, jobType);
  return { jobId, state: await ended(jobId) };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const eventTypes = async (jobId: string) => (await stores.events.readStream(`job-${jobId}`)).map((e: { type: string }) => e.type);

describe('warm job runners', () => {
  it('runs consecutive jobs on the same runner process, started before the first job', async () => {
    const { node, runnerOf } = await startNode();
    try {
      const warm = await waitFor(() => (node.runnerPids.length === 1 ? node.runnerPids[0] : null), 10_000, 20, 'the warm runner');
      const first = await runJob(smallLog);
      const second = await runJob(smallLog);
      expect([first.state.status, second.state.status]).toEqual(['Completed', 'Completed']);
      expect(runnerOf(first.jobId)).toBe(warm);
      expect(runnerOf(second.jobId)).toBe(warm);
      expect(isAlive(warm)).toBe(true);
    } finally {
      await node.stop(0);
    }
  }, 60_000);

  it('recycles a runner after RUNNER_MAX_JOBS jobs', async () => {
    const { node, runnerOf } = await startNode({ runnerMaxJobs: 2 });
    try {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push((await runJob(smallLog)).jobId);
      const [a, b, c] = jobs.map(runnerOf);
      expect(a).not.toBeNull();
      expect(b).toBe(a);
      expect(c).not.toBe(a);
      await waitFor(() => !isAlive(a!), 5000, 20, 'the retired runner to exit');
    } finally {
      await node.stop(0);
    }
  }, 60_000);

  it('gives a job with increaseMemoryLimit a runner with the large heap', async () => {
    const { node, runnerOf } = await startNode();
    try {
      const { jobId, state } = await runJob(smallLog, { increaseMemoryLimit: true });
      expect(state.status).toBe('Completed');
      const pid = runnerOf(jobId)!;
      // Back in the pool (idle) once its job ended, so still there to look at.
      expect(await readFile(`/proc/${pid}/cmdline`, 'utf8')).toContain('--max-old-space-size=8192');
      const next = await runJob(smallLog);
      expect(next.state.status).toBe('Completed');
      expect(runnerOf(next.jobId)).not.toBe(pid); // the default heap's runner, not the large one
    } finally {
      await node.stop(0);
    }
  }, 60_000);

  it('a forced cancellation kills the busy runner within 2 s, and the next job runs on a fresh one', async () => {
    const { node, runnerOf } = await startNode();
    try {
      const jobId = await submit(largeLog, LONG_JOB.parameters, LONG_JOB.jobType);
      const pid = await waitFor(() => node.runnerPidOf(jobId), 20_000, 20, 'the long job to run');
      await repository.execute(jobId, {
        kind: 'CancelJob', at: new Date().toISOString(),
        request: { reason: 'stop it', forceTermination: true, preservePartialResults: false, requestedBy: 'test' },
      }, meta(), { retries: 5 });
      await waitFor(() => !isAlive(pid), 2000, 20, 'the cancelled job\'s runner to be killed');
      expect((await ended(jobId, 10_000)).status).toBe('Cancelled');
      const next = await runJob(smallLog);
      expect(next.state.status).toBe('Completed');
      expect(runnerOf(next.jobId)).not.toBe(pid);
    } finally {
      await node.stop(0);
    }
  }, 90_000);

  it('a runner killed mid-job fails that job only, and the node keeps serving', async () => {
    const { node } = await startNode({ capacity: 2 });
    try {
      const victim = await submit(largeLog, LONG_JOB.parameters, LONG_JOB.jobType);
      const survivor = await submit(largeLog, LONG_JOB.parameters, LONG_JOB.jobType);
      const victimPid = await waitFor(() => node.runnerPidOf(victim), 20_000, 20, 'the first job to run');
      await waitFor(() => node.runnerPidOf(survivor), 20_000, 20, 'the second job to run');
      process.kill(victimPid, 'SIGKILL');
      const failed = await ended(victim);
      expect(failed.status).toBe('Failed');
      expect(failed.failure).toMatchObject({ errorType: 'ExecutionError', message: expect.stringContaining('signal SIGKILL') });
      expect((await ended(survivor)).status).toBe('Completed');
      expect((await runJob(smallLog)).state.status).toBe('Completed');
      // The pool is back to its size with a replacement for the killed runner.
      await waitFor(() => node.runnerPids.length === 2 && !node.runnerPids.includes(victimPid), 10_000, 20, 'the replacement runner');
    } finally {
      await node.stop(0);
    }
  }, 120_000);

  it('reports each job its own CPU time on a reused runner, and progress only for a job that runs past the first interval', async () => {
    const { node, runnerOf } = await startNode();
    try {
      const long = await runJob(largeLog, LONG_JOB.parameters, LONG_JOB.jobType);
      const short = await runJob(smallLog);
      expect([long.state.status, short.state.status]).toEqual(['Completed', 'Completed']);
      expect(runnerOf(short.jobId)).toBe(runnerOf(long.jobId));
      const longCpu = long.state.outcome!.execution.cpuTimeSeconds!;
      const shortCpu = short.state.outcome!.execution.cpuTimeSeconds!;
      expect(longCpu).toBeGreaterThan(0.5); // ingesting 262,200 events
      expect(shortCpu).toBeGreaterThan(0);
      // Cumulative figures would make the second job's at least the first's.
      expect(shortCpu).toBeLessThan(longCpu / 4);
      expect(short.state.outcome!.execution.peakMemoryBytes).toBeGreaterThan(20 * 1024 * 1024);
      expect(short.state.outcome!.execution.diskIoOperations).not.toBeNull();
      expect(await eventTypes(short.jobId)).not.toContain('JobProgressed');
      expect(await eventTypes(long.jobId)).toContain('JobProgressed');
    } finally {
      await node.stop(0);
    }
  }, 120_000);

  /** Stops (SIGSTOP) the node's runners as they are forked: long before any could be ready, so their start hangs. */
  const freezeRunners = (node: ExecutionNode) => {
    for (const pid of node.runnerPids) process.kill(pid, 'SIGSTOP');
  };
  const running = (jobId: string) => waitFor(async () => (await repository.load(jobId))?.status === 'Running', 20_000, 20, `job ${jobId} to be claimed`);

  it('kills a runner whose start hangs past RUNNER_READY_TIMEOUT: the job waiting for it fails saying so, and a fresh runner serves the next', async () => {
    let frozen: number[] = [];
    const { node, runnerOf } = await startNode({ runnerReadyTimeoutMs: 3000 }, (starting) => {
      freezeRunners(starting);
      frozen = starting.runnerPids;
    });
    try {
      expect(frozen).toHaveLength(1);
      const { state } = await runJob(smallLog);
      expect(state.status).toBe('Failed');
      expect(state.failure?.message).toContain('was not ready within 3 s and was killed');
      expect(isAlive(frozen[0])).toBe(false);
      const next = await runJob(smallLog);
      expect(next.state.status).toBe('Completed');
      expect(runnerOf(next.jobId)).not.toBe(frozen[0]);
    } finally {
      await node.stop(0);
    }
  }, 60_000);

  it('a job waiting for its runner to start is cancelled at once, and the runner, once ready, serves the next job', async () => {
    let frozen: number[] = [];
    const { node, runnerOf } = await startNode({}, (starting) => {
      freezeRunners(starting);
      frozen = starting.runnerPids;
    });
    try {
      const jobId = await submit(smallLog);
      await running(jobId);
      const asked = Date.now();
      await repository.execute(jobId, {
        kind: 'CancelJob', at: new Date().toISOString(),
        request: { reason: 'stop it', forceTermination: true, preservePartialResults: false, requestedBy: 'test' },
      }, meta(), { retries: 5 });
      expect((await ended(jobId, 10_000)).status).toBe('Cancelled');
      expect(Date.now() - asked).toBeLessThan(2000); // one progress interval (1 s) and the append
      expect(isAlive(frozen[0])).toBe(true); // it never ran the job: nothing to kill
      process.kill(frozen[0], 'SIGCONT');
      const next = await runJob(smallLog);
      expect(next.state.status).toBe('Completed');
      expect(runnerOf(next.jobId)).toBe(frozen[0]);
    } finally {
      await node.stop(0);
    }
  }, 60_000);

  it('a stopped node leaves no runner process behind', async () => {
    const { node } = await startNode({ capacity: 3 });
    const pids = await waitFor(() => (node.runnerPids.length === 3 ? node.runnerPids : null), 10_000, 20, 'three warm runners');
    expect((await runJob(smallLog)).state.status).toBe('Completed');
    await node.stop(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
