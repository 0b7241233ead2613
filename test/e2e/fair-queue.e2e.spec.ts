/**
 * Fair claim order through the real service: tenant A floods the queue with 1,000 jobs,
 * then tenant B submits one job of the same priority. B's job is placed within the first
 * round (at most one job per tenant with queued jobs ahead) and is started before any A
 * job that was claimed after B's submission, as the job histories' JobStarted events show.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const FLOOD = 1000;
const SUBMITS_IN_FLIGHT = 32;
const a = { tenant: randomUUID(), project: randomUUID() };
const b = { tenant: randomUUID(), project: randomUUID() };
const baseOf = (scope: { tenant: string; project: string }) => `/api/${scope.tenant}/${scope.project}`;

let service: ServiceProcess;
let tokenA: string;
let tokenB: string;
let datasetA: string;
let datasetB: string;

beforeAll(async () => {
  service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '2' });
  [tokenA, tokenB] = await Promise.all([service.token(a.tenant, [a.project], 'flooder'), service.token(b.tenant, [b.project], 'neighbour')]);
  [datasetA, datasetB] = await Promise.all([uploadDataset(service, tokenA, baseOf(a)), uploadDataset(service, tokenB, baseOf(b))]);
}, 60_000);
afterAll(async () => {
  if (!service) return;
  await service.stop();
  removeDataDir(service.dataDir);
});

const variantsJob = (datasetId: string, jobName: string) => ({
  jobName, jobType: 'Analysis', priority: 'Normal', parameters: { datasetId, analysisType: 'variants' },
});

/** (commit, prepare) of a history event's `position` ("commit/prepare"), comparable in global order. */
function positionOf(event: { position: string }): [bigint, bigint] {
  const [commit, prepare] = event.position.split('/').map((x) => BigInt(x));
  return [commit, prepare];
}
const before = (x: [bigint, bigint], y: [bigint, bigint]) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);

describe('fair claim order between tenants', () => {
  it('puts a tenant\'s job behind at most one job of a flooding tenant, and starts it within one claim round', async () => {
    const floodIds: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: SUBMITS_IN_FLIGHT }, async () => {
      while (next < FLOOD) {
        const n = next++;
        const res = await api(service.url, tokenA, 'POST', `${baseOf(a)}/execution/job`, variantsJob(datasetA, `flood ${n}`));
        expect(res.status).toBe(201);
        floodIds.push(res.body.jobId);
      }
    }));
    expect(floodIds).toHaveLength(FLOOD);

    const submitted = await api(service.url, tokenB, 'POST', `${baseOf(b)}/execution/job`, variantsJob(datasetB, 'neighbour'));
    expect(submitted.status).toBe(201);
    // Two tenants have Normal jobs queued: B's job is in the first round.
    expect(submitted.body.queuePosition).toBeGreaterThanOrEqual(1);
    expect(submitted.body.queuePosition).toBeLessThanOrEqual(2);
    const jobB = submitted.body.jobId as string;

    const startedB = await waitFor(async () => {
      const job = (await api(service.url, tokenB, 'GET', `${baseOf(b)}/execution/job/${jobB}`)).body;
      return job.status !== 'Queued' ? job : null;
    }, 30_000, 100, 'tenant B\'s job to start');
    expect(['Running', 'Completed']).toContain(startedB.status);

    // The flood is still there: without a fair order B's job would have waited behind it.
    const summary = await api(service.url, tokenA, 'GET', `${baseOf(a)}/execution/jobs?pageSize=1`);
    expect(summary.status).toBe(200);
    expect(summary.body.summary.queuedJobs).toBeGreaterThan(FLOOD / 2);

    const historyB = (await api(service.url, tokenB, 'GET', `${baseOf(b)}/execution/job/${jobB}/history`)).body;
    const submittedAt = positionOf(historyB.events.find((e: { type: string }) => e.type === 'JobSubmitted'));
    const startedAt = positionOf(historyB.events.find((e: { type: string }) => e.type === 'JobStarted'));

    // Every A job that has left the queue, and where its JobStarted sits relative to B's job.
    const startedA: { jobId: string }[] = [];
    for (const status of ['Running', 'Completed', 'Failed']) {
      for (let page = 1; ; page++) {
        const list = await api(service.url, tokenA, 'GET', `${baseOf(a)}/execution/jobs?status=${status}&pageSize=100&page=${page}`);
        expect(list.status).toBe(200);
        startedA.push(...list.body.jobs);
        if (!list.body.hasNextPage) break;
      }
    }
    expect(startedA.length).toBeGreaterThan(0);
    let startedBetween = 0;
    for (const { jobId } of startedA) {
      const history = (await api(service.url, tokenA, 'GET', `${baseOf(a)}/execution/job/${jobId}/history`)).body;
      for (const event of history.events.filter((e: { type: string }) => e.type === 'JobStarted')) {
        const at = positionOf(event);
        if (before(submittedAt, at) && before(at, startedAt)) startedBetween += 1;
      }
    }
    // One claim round: at most the one A job whose claim was already under way when B's job arrived.
    expect(startedBetween).toBeLessThanOrEqual(1);
  }, 90_000);
});
