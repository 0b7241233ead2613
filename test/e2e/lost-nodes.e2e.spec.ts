/**
 * Real worker processes (apps/worker) on one PostgreSQL schema, lost in the ways nodes
 * are lost: killed (-9) mid-job, frozen (SIGSTOP) while another node takes the job over,
 * and a job process stopped by a forced cancellation while it is busy on the CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { FIGURES_FILE } from '../../libs/execution-node/src/job-outcome.js';
import { holdRunnerOnceItHas as holdRunnerOf, projectArtifactsFolder } from '../support/job-runner-processes.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import {
  TEST_JWT_SECRET, api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess,
} from '../support/service-process.js';

const LEASE_SECONDS = 2;
const SWEEP_INTERVAL_SECONDS = 2; // JobSupervisor.start()
const CLAIM_INTERVAL_SECONDS = 0.25; // ExecutionNode's default poll
const server = await resolveTestPostgres('lost nodes end-to-end suite');

function processMiningJob(datasetId: string, name: string) {
  return {
    jobName: name, jobType: 'ProcessMining', priority: 'High',
    parameters: { datasetId, analysisType: 'comprehensive', includeAnomalyDetection: true, generateInsights: true,
      performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'] },
  };
}

/** True once the process no longer exists (or is a zombie waiting to be reaped: it runs nothing). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

(server ? describe : describe.skip)('lost execution nodes on PostgreSQL', () => {
  const schema = randomSchemaName('e2e_lost');
  const workers: ChildProcess[] = [];
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let service: ServiceProcess;
  let token: string;
  let datasetId: string;
  let logDir: string;

  const call = (method: string, url: string, body?: unknown) => api(service.url, token, method, `${base}${url}`, body);
  const env = () => ({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, HEARTBEAT_SECONDS: '1', LEASE_SECONDS: String(LEASE_SECONDS) });

  async function startWorker(nodeId: string): Promise<ChildProcess> {
    const worker = spawn(process.execPath, [path.resolve('dist/apps/worker/src/main.js')], {
      env: { ...process.env, ...env(), DATA_DIR: service.dataDir, JWT_SECRET: TEST_JWT_SECRET, NODE_ID: nodeId, WORKER_CAPACITY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(worker);
    let output = '';
    worker.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(async () => output.includes(`execution node ${nodeId} running`), 30_000, 50);
    return worker;
  }

  async function historyOf(jobId: string): Promise<{ type: string; data: any; recordedAt?: string }[]> {
    return (await call('GET', `/execution/job/${jobId}/history`)).body.events;
  }

  async function runningOn(jobId: string, nodeId: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(async () => {
      const job = (await call('GET', `/execution/job/${jobId}`)).body;
      if (['Completed', 'Failed', 'Cancelled'].includes(job.status)) throw new Error(`job ended ${job.status} before it could be interrupted`);
      return job.status === 'Running' && job.execution.executionNode === nodeId;
    }, timeoutMs, 50);
  }

  async function endedJob(jobId: string, timeoutMs = 50_000) {
    return waitFor(async () => {
      const job = (await call('GET', `/execution/job/${jobId}`)).body;
      return ['Completed', 'Failed', 'Cancelled'].includes(job.status) ? job : null;
    }, timeoutMs, 100);
  }

  const projectFolder = () => projectArtifactsFolder(service.dataDir, tenant, project);
  const holdRunnerOnceItHas = (jobId: string, node: ChildProcess) => holdRunnerOf(node.pid!, projectFolder(), jobId);

  beforeAll(async () => {
    // The API runs no job itself: every job here runs on a worker process.
    service = await startServiceProcess({ ...env(), EMBEDDED_WORKER_CAPACITY: '0' });
    token = await service.token(tenant, [project]);
    logDir = mkdtempSync(path.join(os.tmpdir(), 'large-log-'));
    const file = path.join(logDir, 'large-log.csv');
    await writeGeneratedEventLog(file, 40_000, 20); // 800,000 events: several seconds of CPU per job
    datasetId = await uploadDataset(service, token, base, file);
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  it('a worker killed (-9) mid-job, three times over: each job restarts on another node within the lease plus a sweep and a claim interval, and completes once', async () => {
    let victim = await startWorker('victim-0');
    for (let round = 0; round < 3; round++) {
      const victimId = `victim-${round}`;
      const jobId = (await call('POST', '/execution/job', processMiningJob(datasetId, `kill round ${round}`))).body.jobId;
      await runningOn(jobId, victimId);
      const held = await holdRunnerOnceItHas(jobId, victim); // mid-job while the successor starts
      const successorId = `victim-${round + 1}`;
      const successor = await startWorker(successorId);
      await runningOn(jobId, victimId); // still mid-job when it dies
      victim.kill('SIGKILL');
      process.kill(held, 'SIGKILL'); // the whole node is lost, its runner with it
      const killedAt = Date.now();
      await waitFor(async () => {
        const job = (await call('GET', `/execution/job/${jobId}`)).body;
        return job.status === 'Running' && job.execution.executionNode === successorId;
      }, 30_000, 50);
      const restartSeconds = (Date.now() - killedAt) / 1000;
      // The lease runs out, the next sweep requeues, the next claim starts it (plus the load of a shared machine).
      expect(restartSeconds).toBeLessThan(LEASE_SECONDS + SWEEP_INTERVAL_SECONDS + CLAIM_INTERVAL_SECONDS + 3);
      const done = await endedJob(jobId);
      expect(done.status).toBe('Completed');
      const types = (await historyOf(jobId)).map((e) => e.type);
      expect(types.filter((t) => t === 'JobCompleted')).toHaveLength(1);
      expect(types.filter((t) => t === 'JobRequeued')).toHaveLength(1);
      expect(done.execution.executionNode).toBe(successorId);
      victim = successor;
    }
    victim.kill('SIGKILL');
  }, 180_000);

  it('a frozen worker\'s late files are never published: results point at the files of the attempt that won', async () => {
    const frozen = await startWorker('frozen');
    const jobId = (await call('POST', '/execution/job', processMiningJob(datasetId, 'frozen node'))).body.jobId;
    await runningOn(jobId, 'frozen');
    // Its runner is held as well, so the job cannot end on the frozen node before the rescuer takes it over.
    const held = await holdRunnerOnceItHas(jobId, frozen);
    frozen.kill('SIGSTOP');
    const rescuer = await startWorker('rescuer');
    const done = await endedJob(jobId, 60_000);
    expect(done.status).toBe('Completed');
    const events = await historyOf(jobId);
    const claims = events.map((e, revision) => ({ ...e, revision })).filter((e) => e.type === 'JobStarted');
    expect(claims.map((c) => c.data.nodeId)).toEqual(['frozen', 'rescuer']);
    const completed = events.filter((e) => e.type === 'JobCompleted');
    expect(completed).toHaveLength(1);
    const staleFolder = path.join(projectFolder(), `${jobId}.attempt-${claims[0].revision}`);
    expect(completed[0].data.outcome.outputFolder).toBe(`${jobId}.attempt-${claims[1].revision}`);

    process.kill(held, 'SIGCONT'); // the stale attempt's runner runs on, writing into its folder to the end
    await waitFor(async () => existsSync(path.join(staleFolder, FIGURES_FILE)), 40_000, 20);
    frozen.kill('SIGCONT'); // it reports, is refused, and removes its own attempt
    await waitFor(async () => !existsSync(staleFolder), 40_000, 100);
    const after = await historyOf(jobId);
    expect(after.filter((e) => ['JobCompleted', 'JobFailed', 'JobCancelled'].includes(e.type))).toHaveLength(1);
    const results = (await call('GET', `/execution/job/${jobId}/results`)).body;
    const outputs = [results.results.primaryOutput, ...results.results.additionalOutputs];
    expect(outputs.length).toBeGreaterThan(1);
    for (const output of outputs) {
      const download = await fetch(output.downloadUrl, { headers: { Authorization: `Bearer ${token}` } });
      expect(download.status).toBe(200);
      expect((await download.arrayBuffer()).byteLength).toBe(output.sizeBytes);
    }
    frozen.kill('SIGKILL');
    rescuer.kill('SIGKILL');
  }, 150_000);

  it('a cancellation pending when the node dies wins: the job ends Cancelled, never runs again', async () => {
    const doomed = await startWorker('doomed');
    const jobId = (await call('POST', '/execution/job', processMiningJob(datasetId, 'cancel on a dead node'))).body.jobId;
    await runningOn(jobId, 'doomed');
    const held = await holdRunnerOnceItHas(jobId, doomed); // mid-job however fast the engine is
    doomed.kill('SIGKILL');
    process.kill(held, 'SIGKILL');
    const standby = await startWorker('standby'); // free to take the job, if it were requeued
    const cancelled = await call('DELETE', `/execution/job/${jobId}`, { reason: 'not needed', forceTermination: false, preservePartialResults: true });
    expect(cancelled.status).toBe(200);
    expect(['Running', 'Cancelled']).toContain(cancelled.body.status); // pending until the lease runs out, never Queued
    expect((await endedJob(jobId)).status).toBe('Cancelled');
    const types = (await historyOf(jobId)).map((e) => e.type);
    expect(types.filter((t) => t === 'JobStarted')).toHaveLength(1);
    expect(types).not.toContain('JobRequeued');
    expect(types.at(-1)).toBe('JobCancelled');
    standby.kill('SIGKILL');
  }, 90_000);

  it('a forced cancellation of a job busy on the CPU stops its process within 2 s', async () => {
    const worker = await startWorker('busy');
    const jobId = (await call('POST', '/execution/job', processMiningJob(datasetId, 'busy loop'))).body.jobId;
    await runningOn(jobId, 'busy');
    // Its runner computing it, held mid-job so it cannot finish by itself before the cancellation
    // lands on a fast machine: like a runner busy on the CPU, a stopped one answers nothing; only
    // the node's kill ends it.
    const pid = await holdRunnerOnceItHas(jobId, worker);
    await runningOn(jobId, 'busy'); // still computing when the cancellation arrives
    const asked = Date.now();
    const cancelling = call('DELETE', `/execution/job/${jobId}`, { reason: 'stop now', forceTermination: true, preservePartialResults: false });
    await waitFor(async () => processGone(pid), 2000, 20);
    expect(Date.now() - asked).toBeLessThanOrEqual(2000 + 50);
    expect((await cancelling).status).toBe(200);
    expect((await endedJob(jobId)).status).toBe('Cancelled');
    worker.kill('SIGKILL');
  }, 90_000);
});
