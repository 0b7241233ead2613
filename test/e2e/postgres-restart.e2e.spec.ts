/**
 * A PostgreSQL restart mid-run, on a private cluster this test creates (the machine's
 * shared server is never restarted): clients keep submitting jobs to a real API process
 * while a separate worker process runs them; the server is killed (immediate stop) and
 * started again. While it is down every request gets a clean 503; afterwards both
 * processes work again without being restarted, every acknowledged job is there and
 * ends, and the job views rebuilt from position 0 equal the live ones.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  TEST_JWT_SECRET, api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess,
} from '../support/service-process.js';
import {
  createThrowawayPostgresCluster, resolveThrowawayCluster, type ThrowawayPostgresCluster,
} from '../support/throwaway-postgres-cluster.js';

const binDir = resolveThrowawayCluster('PostgreSQL restart end-to-end test');
const CLIENTS = 3;
/** Pause between one client's submits: keeps the job count (each job is a child process) modest. */
const CLIENT_PACE_MS = 150;
/** A request taking longer than this counts as a hang. */
const REQUEST_TIMEOUT_MS = 10_000;
const DOWNTIME_MS = 2_500;
const TERMINAL = ['Completed', 'Failed', 'Cancelled'];

interface Attempt {
  readonly phase: 'before' | 'down' | 'after';
  readonly status: number | 'no answer';
  readonly body: any;
  readonly retryAfter: string | null;
  readonly detail?: string;
}

async function rows<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

(binDir ? describe : describe.skip)('a PostgreSQL restart mid-run', () => {
  let cluster: ThrowawayPostgresCluster;
  let service: ServiceProcess | undefined;
  let worker: ChildProcess | undefined;
  let workerOutput = '';

  beforeAll(async () => {
    cluster = await createThrowawayPostgresCluster(binDir!);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((resolve) => worker!.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
    if (service) {
      await service.stop('SIGKILL');
      removeDataDir(service.dataDir);
    }
    cluster?.cleanup();
  });

  it('every process reconnects on its own, nothing acknowledged is lost, a rebuild equals the live view', async () => {
    const env = { DATABASE_URL: cluster.url, HEARTBEAT_SECONDS: '1', LEASE_SECONDS: '15' };
    service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '1', NODE_ID: 'api-node' });
    worker = spawn(process.execPath, [path.resolve('dist/apps/worker/src/main.js')], {
      env: { ...process.env, ...env, DATA_DIR: service.dataDir, JWT_SECRET: TEST_JWT_SECRET, NODE_ID: 'worker-node', WORKER_CAPACITY: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (workerOutput += d.toString()));
    const apiPid = service.process.pid;
    const workerPid = worker.pid;
    await waitFor(async () => workerOutput.includes('running with'), 30_000, 100);

    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base);
    const job = (i: number) => ({ jobName: `restart ${i}`, jobType: 'Analysis', parameters: { datasetId, analysisType: 'variants' } });

    let phase: Attempt['phase'] = 'before';
    let stopClients = false;
    const attempts: Attempt[] = [];
    const submitted = () => attempts.filter((a) => a.status === 201);
    const client = async (clientIndex: number) => {
      for (let i = 0; !stopClients; i += 1) {
        const during = phase;
        try {
          const res = await fetch(`${service!.url}${base}/execution/job`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(job(clientIndex * 1000 + i)),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const text = await res.text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // kept as text: the assertion below shows it
          }
          attempts.push({ phase: during, status: res.status, body, retryAfter: res.headers.get('retry-after') });
        } catch (error) {
          attempts.push({ phase: during, status: 'no answer', body: null, retryAfter: null, detail: String(error) });
        }
        await new Promise((resolve) => setTimeout(resolve, CLIENT_PACE_MS));
      }
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));

    let upAt = 0;
    let healthWhileDown: number | string = 'not asked';
    try {
      await waitFor(async () => submitted().length >= 6, 20_000, 50);
      cluster.stop('immediate');
      const downAt = Date.now();
      phase = 'down';
      healthWhileDown = await api(service.url, null, 'GET', '/health').then((r) => r.status, (e: unknown) => String(e));
      // Down for a few seconds, and long enough that every client met the outage.
      await waitFor(async () => Date.now() - downAt >= DOWNTIME_MS && attempts.filter((a) => a.phase === 'down').length >= CLIENTS * 2, 20_000, 50);
      cluster.start();
      upAt = Date.now();
      phase = 'after';
      await waitFor(async () => attempts.filter((a) => a.phase === 'after' && a.status === 201).length >= 6, 30_000, 50);
    } finally {
      stopClients = true;
      await clients;
    }

    // Both processes lived through it (a dead one's last output shows why).
    const life = (child: ChildProcess, output: string) => ({
      pid: child.pid, exited: child.exitCode ?? child.signalCode, output: child.exitCode ?? child.signalCode ? output.slice(-4000) : '',
    });
    expect(life(service.process, service.output())).toEqual({ pid: apiPid, exited: null, output: '' });
    expect(life(worker, workerOutput)).toEqual({ pid: workerPid, exited: null, output: '' });

    // While down: a clean JSON 503 with Retry-After, never a crash or a hang.
    expect(healthWhileDown).toBe(503);
    const unexpected = attempts.filter((a) => a.status !== 201 && a.status !== 503);
    expect(unexpected).toEqual([]);
    const refused = attempts.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    expect(attempts.filter((a) => a.phase === 'before' && a.status === 201).length).toBeGreaterThanOrEqual(6);

    // Every acknowledged job is there and ends Completed; nothing is left Queued or Running.
    const jobIds = submitted().map((a) => a.body.jobId as string);
    expect(new Set(jobIds).size).toBe(jobIds.length);
    const ended = await waitFor(async () => {
      const list = await api(service!.url, token, 'GET', `${base}/execution/jobs?pageSize=100`);
      if (list.status !== 200) return null;
      const jobs = list.body.jobs as Array<{ jobId: string; status: string }>;
      return jobs.every((j) => TERMINAL.includes(j.status)) ? { jobs, total: list.body.summary.totalJobs as number } : null;
    }, 40_000, 250).then(({ jobs, total }) => {
      expect(total).toBe(jobs.length); // all of them on the one page
      return jobs;
    });
    const endedById = new Map(ended.map((j) => [j.jobId, j.status]));
    for (const jobId of jobIds) {
      const status = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`);
      expect({ jobId, status: status.status, jobStatus: status.body.status }).toEqual({ jobId, status: 200, jobStatus: 'Completed' });
      expect(endedById.get(jobId)).toBe('Completed');
    }
    // A submit answered 503 may still have been recorded; then it too ran to its end.
    expect([...endedById.values()].every((s) => s === 'Completed')).toBe(true);

    // Both nodes heartbeat again, and both processes listen for appends again.
    const nodes = await waitFor(async () => {
      const res = await api(service!.url, token, 'GET', `/api/${tenant}/execution/system/status`);
      const live = (res.body?.executionNodes ?? []).filter((n: { lastHeartbeat: string }) => Date.parse(n.lastHeartbeat) > upAt);
      return live.length >= 2 ? live : null;
    }, 10_000, 200);
    expect(nodes.map((n: { nodeId: string }) => n.nodeId).sort()).toEqual(['api-node', 'worker-node']);
    await waitFor(async () => {
      const listeners = await rows(cluster.url, "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %'");
      return listeners.length === 2;
    }, 10_000, 200);

    // The views rebuilt from position 0 equal the live ones.
    const views = () => rows<{ job_id: string; status: string; revision: number; doc: unknown }>(
      cluster.url, 'SELECT job_id, status, revision, doc FROM job_views ORDER BY job_id',
    );
    const live = await views();
    expect(live.length).toBe(ended.length);
    const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('dist/apps/cli/src/projections.js'), 'rebuild', 'job_views'], {
      env: { ...process.env, DATABASE_URL: cluster.url, DATA_DIR: service.dataDir },
      timeout: 30_000,
    });
    expect(stdout).toContain('rebuilt from position 0');
    expect(await views()).toEqual(live);
  }, 120_000);
});
