/**
 * Tenant running caps through the real service on PostgreSQL: three worker processes of one
 * job slot each claim a flood of one tenant's jobs whose own cap (TENANT_QUOTAS
 * maxRunningJobs) is 2. The jobs' histories show no moment with more than two of them Running
 * ([JobStarted, end) by recorded time) and a moment with two, which one-slot workers reach
 * only in two processes at once, while another tenant's jobs, submitted after the flood, start
 * beside them in the slot the cap leaves. A bad cap stops the API and the worker at startup, naming the key.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('tenant quotas end-to-end suite');
// One slot per worker: the cap is reached only by two processes at once, whoever wins the claims.
const WORKERS = ['quota-worker-1', 'quota-worker-2', 'quota-worker-3'];
const CAPPED_JOBS = 20;
const OTHER_JOBS = 4;
const ENDS = new Set(['JobCompleted', 'JobFailed', 'JobCancelled', 'JobRequeued']);

interface HistoryEvent { readonly type: string; readonly recordedAt: string; readonly data: { nodeId?: string } }

(server ? describe : describe.skip)('tenant quotas on PostgreSQL with three one-slot worker processes', () => {
  const schema = randomSchemaName('e2e_quotas');
  const capped = { tenant: randomUUID(), project: randomUUID() };
  const other = { tenant: randomUUID(), project: randomUUID() };
  const baseOf = (scope: { tenant: string; project: string }) => `/api/${scope.tenant}/${scope.project}`;
  const quotas = JSON.stringify({ [capped.tenant]: { maxQueuedJobs: 100, maxRunningJobs: 2 } });
  const env = () => ({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, TENANT_QUOTAS: quotas });
  let service: ServiceProcess;
  const workers: WorkerProcess[] = [];
  const tokens: Record<string, string> = {};
  const datasets: Record<string, string> = {};
  let logDir: string | undefined;

  beforeAll(async () => {
    service = await startServiceProcess({ ...env(), EMBEDDED_WORKER_CAPACITY: '0' });
    // The capped tenant's jobs read a log large enough (tens of milliseconds a job) that its
    // flood, two at a time, is still draining when the other tenant's jobs come, however fast
    // the machine.
    logDir = mkdtempSync(path.join(os.tmpdir(), 'quota-log-'));
    const cappedLog = path.join(logDir, 'capped-log.csv');
    await writeGeneratedEventLog(cappedLog, 5_000, 10);
    for (const scope of [capped, other]) {
      tokens[scope.tenant] = await service.token(scope.tenant, [scope.project]);
      datasets[scope.tenant] = await uploadDataset(service, tokens[scope.tenant], baseOf(scope), scope === capped ? cappedLog : undefined);
    }
    for (const nodeId of WORKERS) {
      workers.push(await startWorkerProcess(nodeId, { ...env(), DATA_DIR: service.dataDir, WORKER_CAPACITY: '1' }));
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  const call = (scope: { tenant: string; project: string }, method: string, url: string, body?: unknown) =>
    api(service.url, tokens[scope.tenant], method, `${baseOf(scope)}${url}`, body);

  /** Submits `count` jobs at once (in queue order by their submit time). */
  async function submitJobs(scope: { tenant: string; project: string }, count: number): Promise<string[]> {
    const submitted = await Promise.all(Array.from({ length: count }, (_, i) => call(scope, 'POST', '/execution/job', {
      jobName: `job ${i}`, jobType: 'Analysis', priority: 'Normal', parameters: { datasetId: datasets[scope.tenant], analysisType: 'variants' },
    })));
    for (const res of submitted) expect(res.status).toBe(201);
    return submitted.map((res) => res.body.jobId as string);
  }

  async function historyOf(scope: { tenant: string; project: string }, jobId: string): Promise<HistoryEvent[]> {
    const res = await call(scope, 'GET', `/execution/job/${jobId}/history`);
    expect(res.status).toBe(200);
    return res.body.events;
  }

  it('never runs more than a tenant\'s own cap at once across worker processes, and runs another tenant\'s jobs beside them', async () => {
    const cappedIds = await submitJobs(capped, CAPPED_JOBS);
    const otherIds = await submitJobs(other, OTHER_JOBS);
    await waitFor(async () => {
      const all = await Promise.all([
        ...cappedIds.map((id) => call(capped, 'GET', `/execution/job/${id}`)),
        ...otherIds.map((id) => call(other, 'GET', `/execution/job/${id}`)),
      ]);
      return all.every((res) => res.body.status === 'Completed');
    }, 45_000, 250, 'every job to complete');

    const edges: Array<[number, number]> = [];
    const cappedStarts: number[] = [];
    const startedOn = new Set<string>();
    for (const id of cappedIds) {
      for (const e of await historyOf(capped, id)) {
        if (e.type === 'JobStarted') {
          edges.push([Date.parse(e.recordedAt), +1]);
          cappedStarts.push(Date.parse(e.recordedAt));
          startedOn.add(e.data.nodeId!);
        } else if (ENDS.has(e.type)) edges.push([Date.parse(e.recordedAt), -1]);
      }
    }
    // A job's end commits before the count that lets the next one start, so an end and a start at the same instant are in that order.
    edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let running = 0;
    let most = 0;
    for (const [, delta] of edges) most = Math.max(most, (running += delta));
    expect(cappedStarts).toHaveLength(CAPPED_JOBS);
    expect(most).toBe(2);
    expect(startedOn.size).toBeGreaterThanOrEqual(2);
    for (const nodeId of startedOn) expect(WORKERS).toContain(nodeId);

    // Submitted after the whole flood, the other tenant's jobs did not wait for it to drain.
    const lastCappedStart = Math.max(...cappedStarts);
    for (const id of otherIds) {
      const started = (await historyOf(other, id)).find((e) => e.type === 'JobStarted')!;
      expect(Date.parse(started.recordedAt)).toBeLessThan(lastCappedStart);
    }
  });

  // Every other refusal is in the config's unit suite; this one shows both processes read the same setting.
  it.each([
    ['{"acme": {"maxRunningJobs": 0}}', 'TENANT_QUOTAS["acme"].maxRunningJobs must be a whole number of at least 1, or null'],
  ])('refuses TENANT_QUOTAS=%s at the start of the API and of a worker, naming the key', async (value, message) => {
    await expect(startServiceProcess({ ...env(), TENANT_QUOTAS: value }, service.dataDir)).rejects.toThrow(message);
    await expect(startWorkerProcess('refused-worker', { ...env(), DATA_DIR: service.dataDir, TENANT_QUOTAS: value })).rejects.toThrow(message);
  });
});
