/**
 * The job queue through the real service process on the embedded store: the queue view in
 * claim order, priority changes, holds and releases, pausing and resuming a project's queue,
 * with the role, tenancy and validation answers of every other endpoint.
 *
 * Two processes: one with no job slots, where every job stays queued and the order can be
 * read at leisure; one with a single slot, where claims show what they skip (every claim the
 * node makes is a JobStarted in a job's history).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const TERMINAL = ['Completed', 'Failed', 'Cancelled'];

interface Scope {
  readonly tenant: string;
  readonly project: string;
}

const newScope = (tenant: string = randomUUID()): Scope => ({ tenant, project: randomUUID() });
const baseOf = (s: Scope) => `/api/${s.tenant}/${s.project}`;

/** A service process with an operator token per scope and the running example uploaded in each. */
async function startWith(env: Record<string, string>, scopes: readonly Scope[]) {
  const service = await startServiceProcess(env);
  const tokens = new Map<Scope, string>();
  const datasets = new Map<Scope, string>();
  for (const scope of scopes) {
    const token = await service.token(scope.tenant, [scope.project], 'olivia-operator');
    tokens.set(scope, token);
    datasets.set(scope, await uploadDataset(service, token, baseOf(scope)));
  }
  const call = (scope: Scope, method: string, path: string, body?: unknown, token = tokens.get(scope)!) =>
    api(service.url, token, method, `${baseOf(scope)}${path}`, body);
  const submit = async (scope: Scope, jobName: string, priority = 'Normal') => {
    const res = await call(scope, 'POST', '/execution/job', {
      jobName, jobType: 'Analysis', priority, parameters: { datasetId: datasets.get(scope), analysisType: 'variants' },
    });
    expect(res.status).toBe(201);
    return res.body.jobId as string;
  };
  return { service, tokens, call, submit };
}

async function stopService(service: ServiceProcess | undefined): Promise<void> {
  if (!service) return;
  await service.stop();
  removeDataDir(service.dataDir);
}

describe('the queue with no job slots: view and management', () => {
  const mine = newScope();
  const neighbour = newScope(); // another tenant
  const sibling = newScope(mine.tenant); // another project of the same tenant
  let ctx: Awaited<ReturnType<typeof startWith>>;

  beforeAll(async () => {
    ctx = await startWith({ EMBEDDED_WORKER_CAPACITY: '0' }, [mine, neighbour, sibling]);
  }, 60_000);
  afterAll(() => stopService(ctx?.service));

  const queue = async (query = '') => {
    const res = await ctx.call(mine, 'GET', `/execution/queue${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const statusOf = async (jobId: string) => {
    const res = await ctx.call(mine, 'GET', `/execution/job/${jobId}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('lists the project\'s jobs in claim order, each position the job\'s own, and moves a job whose priority was raised', async () => {
    const jobs: string[] = [];
    for (const name of ['first', 'second', 'third']) jobs.push(await ctx.submit(mine, name));
    await ctx.submit(neighbour, 'the neighbour\'s');
    await ctx.submit(sibling, 'the sibling project\'s');

    const view = await queue();
    expect(view).toMatchObject({ queueStatus: 'Active', pause: null, page: 1, pageSize: 20, hasNextPage: false });
    expect(view.summary).toMatchObject({
      totalQueuedJobs: 3, normalPriorityJobs: 3, highPriorityJobs: 0, criticalPriorityJobs: 0, lowPriorityJobs: 0, heldJobs: 0,
      averageWaitTime: null, // nothing ever started here: no wait was measured
    });
    expect(view.processingCapacity).toMatchObject({ maxConcurrentJobs: 0, currentlyRunning: 0 });
    expect(view.queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual(jobs);
    const positions = view.queuedJobs.map((j: { queuePosition: number }) => j.queuePosition);
    for (const [index, jobId] of jobs.entries()) expect((await statusOf(jobId)).queuePosition).toBe(positions[index]);
    // Claim order across the whole queue: strictly growing, the other queues' jobs in between.
    expect(positions[0]).toBeLessThan(positions[1]);
    expect(positions[1]).toBeLessThan(positions[2]);
    expect(view.queuedJobs[0]).toMatchObject({
      jobName: 'first', jobType: 'Analysis', priority: 'Normal', submittedBy: 'olivia-operator', hold: null,
      estimatedDuration: null, // no job of the type ever completed: nothing to estimate from
      resourceRequirements: { cpuUnits: null, memoryGB: null, estimatedDiskUsage: null, basedOnJobs: 0 },
    });

    const raised = await ctx.call(mine, 'PATCH', `/execution/job/${jobs[2]}`, { priority: 'High', reason: 'month end' });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ jobId: jobs[2], status: 'Queued', priority: 'High' });
    const after = await queue();
    expect(after.queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[2], jobs[0], jobs[1]]);
    expect(after.queuedJobs[0].queuePosition).toBe(raised.body.queuePosition);
    expect(after.queuedJobs[0].queuePosition).toBeLessThan(after.queuedJobs[1].queuePosition);
    expect(after.summary).toMatchObject({ normalPriorityJobs: 2, highPriorityJobs: 1 });
    expect((await queue('?priority=High')).queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[2]]);
    expect((await queue('?jobType=Notebook')).queuedJobs).toEqual([]);
    const paged = await queue('?pageSize=1&page=2');
    expect(paged).toMatchObject({ page: 2, pageSize: 1, hasNextPage: true });
    expect(paged.queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[0]]);

    // The change is an event in the job's own stream.
    const history = (await ctx.call(mine, 'GET', `/execution/job/${jobs[2]}/history`)).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual(['JobSubmitted', 'JobPriorityChanged']);
    expect(history.events[1].data).toMatchObject({ from: 'Normal', to: 'High', changedBy: 'olivia-operator', reason: 'month end' });

    for (const jobId of jobs) expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
  });

  it('holds a job out of the order (still Queued, no position) and releases it back to its place', async () => {
    const jobs = [await ctx.submit(mine, 'a'), await ctx.submit(mine, 'b'), await ctx.submit(mine, 'c')];
    const before = (await queue()).queuedJobs.map((j: { queuePosition: number }) => j.queuePosition);

    const held = await ctx.call(mine, 'POST', `/execution/job/${jobs[0]}/hold`, { reason: 'waiting for the corrected export' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'Queued', queuePosition: null, hold: { heldBy: 'olivia-operator', reason: 'waiting for the corrected export' } });
    const status = await statusOf(jobs[0]);
    expect(status).toMatchObject({ status: 'Queued', queuePosition: null, hold: { heldBy: 'olivia-operator' } });
    expect(Date.parse(status.hold.heldAt)).not.toBeNaN();
    const list = await ctx.call(mine, 'GET', '/execution/jobs?status=Queued');
    expect(list.body.jobs.map((j: { jobId: string }) => j.jobId)).toContain(jobs[0]);

    const view = await queue();
    // Held jobs come last, without a position; the others move up.
    expect(view.queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobs[1], jobs[2], jobs[0]]);
    expect(view.queuedJobs[2]).toMatchObject({ queuePosition: null, estimatedStartTime: null, hold: { heldBy: 'olivia-operator' } });
    expect(view.queuedJobs[0].queuePosition).toBe(before[0]);
    expect(view.summary).toMatchObject({ totalQueuedJobs: 3, heldJobs: 1 });

    const released = await ctx.call(mine, 'POST', `/execution/job/${jobs[0]}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ hold: null, queuePosition: before[0] });
    expect((await queue()).queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual(jobs);
    const history = (await ctx.call(mine, 'GET', `/execution/job/${jobs[0]}/history`)).body;
    expect(history.events.map((e: { type: string }) => e.type)).toEqual(['JobSubmitted', 'JobHeld', 'JobReleased']);

    for (const jobId of jobs) expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
  });

  it('pauses and resumes the project\'s queue, recorded with the actor and reason', async () => {
    const jobId = await ctx.submit(mine, 'waits out the pause');
    const paused = await ctx.call(mine, 'PATCH', '/execution/queue', { queueStatus: 'Paused', reason: 'source maintenance' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ queueStatus: 'Paused', pause: { pausedBy: 'olivia-operator', reason: 'source maintenance' } });
    const view = await queue();
    expect(view).toMatchObject({ queueStatus: 'Paused', pause: { pausedBy: 'olivia-operator' } });
    expect(view.queuedJobs).toEqual([expect.objectContaining({ jobId, queuePosition: null, estimatedStartTime: null })]);
    expect((await statusOf(jobId)).queuePosition).toBeNull();
    // Submits still queue while paused.
    const during = await ctx.submit(mine, 'submitted while paused');
    expect((await statusOf(during)).status).toBe('Queued');
    // The sibling project's queue is its own.
    expect((await ctx.call(sibling, 'GET', '/execution/queue')).body.queueStatus).toBe('Active');
    // Pausing a paused queue changes nothing.
    expect((await ctx.call(mine, 'PATCH', '/execution/queue', { queueStatus: 'Paused' })).body.pause.reason).toBe('source maintenance');

    const resumed = await ctx.call(mine, 'PATCH', '/execution/queue', { queueStatus: 'Active' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({ queueStatus: 'Active', pause: null });
    const back = await queue();
    expect(back.queueStatus).toBe('Active');
    expect(back.queuedJobs.map((j: { jobId: string }) => j.jobId)).toEqual([jobId, during]);
    expect(back.queuedJobs.every((j: { queuePosition: number | null }) => typeof j.queuePosition === 'number')).toBe(true);

    for (const id of [jobId, during]) expect((await ctx.call(mine, 'DELETE', `/execution/job/${id}`)).status).toBe(200);
  });

  it('leaves the estimate fields null, uncomputed, with includeEstimates=false', async () => {
    const jobId = await ctx.submit(mine, 'no estimates');
    const view = await queue('?includeEstimates=false');
    expect(view.summary).toMatchObject({ estimatedProcessingTime: null, estimatedProcessingSeconds: null });
    expect(view.queuedJobs).toEqual([expect.objectContaining({
      jobId, estimatedStartTime: null, estimatedDuration: null, estimatedDurationSeconds: null, resourceRequirements: null,
    })]);
    expect(typeof view.queuedJobs[0].queuePosition).toBe('number');
    expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
  });

  it('answers 409 naming the state for a job that is not Queued', async () => {
    const jobId = await ctx.submit(mine, 'cancelled first');
    expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
    for (const [method, path, body] of [
      ['PATCH', `/execution/job/${jobId}`, { priority: 'High' }],
      ['POST', `/execution/job/${jobId}/hold`, {}],
      ['POST', `/execution/job/${jobId}/release`, undefined],
    ] as const) {
      const res = await ctx.call(mine, method, path, body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(res.body.message).toContain('Cancelled');
    }
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const jobId = await ctx.submit(mine, 'validation target');
    const cases: [string, string, unknown, string][] = [
      ['PATCH', `/execution/job/${jobId}`, { priority: 'Urgent' }, 'priority'],
      ['PATCH', `/execution/job/${jobId}`, {}, 'priority'],
      ['PATCH', `/execution/job/${jobId}`, undefined, 'priority'],
      ['PATCH', `/execution/job/${jobId}`, { priority: null }, 'priority'],
      ['PATCH', '/execution/queue', undefined, 'queueStatus'],
      ['PATCH', `/execution/job/${jobId}`, { priority: 'High', colour: 'red' }, 'colour'],
      ['POST', `/execution/job/${jobId}/hold`, { reason: 42 }, 'reason'],
      ['POST', `/execution/job/${jobId}/hold`, { until: 'tomorrow' }, 'until'],
      ['PATCH', '/execution/queue', { queueStatus: 'Stopped' }, 'queueStatus'],
      ['PATCH', '/execution/queue', { queueStatus: 'Paused', extra: true }, 'extra'],
      ['GET', '/execution/queue?includeEstimates=maybe', undefined, 'includeEstimates'],
      ['GET', '/execution/queue?pageSize=101', undefined, 'pageSize'],
      ['GET', '/execution/queue?priority=Urgent', undefined, 'priority'],
      ['GET', '/execution/queue?jobType=Mining', undefined, 'jobType'],
      ['GET', '/execution/queue?page=0', undefined, 'page'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await ctx.call(mine, method, path, body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // Nothing of it reached the job.
    expect((await statusOf(jobId))).toMatchObject({ priority: 'Normal', hold: null });
    expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
  });

  it('lets a viewer read the queue but not change it, keeps Critical for admins, and hides another tenant\'s queue', async () => {
    const jobId = await ctx.submit(mine, 'guarded');
    const viewer = await ctx.service.token(mine.tenant, [mine.project], 'vera-viewer', ['viewer']);
    expect((await ctx.call(mine, 'GET', '/execution/queue', undefined, viewer)).status).toBe(200);
    for (const [method, path, body] of [
      ['PATCH', `/execution/job/${jobId}`, { priority: 'Low' }],
      ['POST', `/execution/job/${jobId}/hold`, {}],
      ['POST', `/execution/job/${jobId}/release`, {}],
      ['PATCH', '/execution/queue', { queueStatus: 'Paused' }],
    ] as const) {
      const res = await ctx.call(mine, method, path, body, viewer);
      expect(res.status).toBe(403);
      expect(res.body.statusCode).toBe(403);
    }
    const critical = await ctx.call(mine, 'PATCH', `/execution/job/${jobId}`, { priority: 'Critical' });
    expect(critical.status).toBe(403);
    expect(critical.body.errors).toEqual([expect.objectContaining({ field: 'priority' })]);
    const admin = await ctx.service.token(mine.tenant, [mine.project], 'ada-admin', ['admin']);
    expect((await ctx.call(mine, 'PATCH', `/execution/job/${jobId}`, { priority: 'Critical' }, admin)).status).toBe(200);
    // An operator cannot undo the admin's Critical either.
    expect((await ctx.call(mine, 'PATCH', `/execution/job/${jobId}`, { priority: 'Low' })).status).toBe(403);

    const stranger = ctx.tokens.get(neighbour)!;
    for (const [method, path, body] of [
      ['GET', '/execution/queue', undefined],
      ['PATCH', '/execution/queue', { queueStatus: 'Paused' }],
      ['PATCH', `/execution/job/${jobId}`, { priority: 'Low' }],
      ['POST', `/execution/job/${jobId}/hold`, {}],
    ] as const) {
      expect((await ctx.call(mine, method, path, body, stranger)).status).toBe(404);
    }
    // Another project of the same tenant does not reach this project's job either.
    expect((await ctx.call(sibling, 'POST', `/execution/job/${jobId}/hold`, {})).status).toBe(404);
    expect((await ctx.call(mine, 'POST', `/execution/job/${randomUUID()}/hold`, {})).status).toBe(404);
    expect((await statusOf(jobId)).hold).toBeNull();
    expect((await ctx.call(mine, 'DELETE', `/execution/job/${jobId}`)).status).toBe(200);
  });
});

describe('the queue with one job slot: what claims skip', () => {
  const mine = newScope();
  const sibling = newScope(mine.tenant);
  const neighbour = newScope();
  let ctx: Awaited<ReturnType<typeof startWith>>;

  beforeAll(async () => {
    ctx = await startWith({ EMBEDDED_WORKER_CAPACITY: '1' }, [mine, sibling, neighbour]);
  }, 60_000);
  afterAll(() => stopService(ctx?.service));

  const ended = (scope: Scope, jobId: string) => waitFor(async () => {
    const job = (await ctx.call(scope, 'GET', `/execution/job/${jobId}`)).body;
    return TERMINAL.includes(job.status) ? job : null;
  }, 30_000, 100, `job ${jobId} to end`);
  const startsOf = async (scope: Scope, jobId: string) =>
    (await ctx.call(scope, 'GET', `/execution/job/${jobId}/history`)).body.events.filter((e: { type: string }) => e.type === 'JobStarted');
  const setQueue = async (scope: Scope, queueStatus: 'Paused' | 'Active') => {
    expect((await ctx.call(scope, 'PATCH', '/execution/queue', { queueStatus })).status).toBe(200);
  };

  it('starts no job of a paused project while other projects\' jobs run, and starts them once resumed', async () => {
    await setQueue(mine, 'Paused');
    // Submitted first: without the pause the node would claim it before the others.
    const waiting = await ctx.submit(mine, 'paused project');
    const others = [await ctx.submit(sibling, 'sibling project'), await ctx.submit(neighbour, 'other tenant')];
    expect((await ended(sibling, others[0])).status).toBe('Completed');
    expect((await ended(neighbour, others[1])).status).toBe('Completed');
    // Both claims came after `waiting` was queued, and skipped it.
    const status = (await ctx.call(mine, 'GET', `/execution/job/${waiting}`)).body;
    expect(status).toMatchObject({ status: 'Queued', queuePosition: null });
    expect(await startsOf(mine, waiting)).toEqual([]);
    const view = (await ctx.call(mine, 'GET', '/execution/queue')).body;
    expect(view).toMatchObject({ queueStatus: 'Paused', summary: { totalQueuedJobs: 1 }, processingCapacity: { maxConcurrentJobs: 1, activeWorkers: 1 } });

    await setQueue(mine, 'Active');
    expect((await ended(mine, waiting)).status).toBe('Completed');
    expect(await startsOf(mine, waiting)).toHaveLength(1);
  });

  it('skips a held job in every claim while later jobs run, and runs it once released', async () => {
    await setQueue(mine, 'Paused');
    const heldJob = await ctx.submit(mine, 'held');
    expect((await ctx.call(mine, 'POST', `/execution/job/${heldJob}/hold`, { reason: 'not yet' })).status).toBe(200);
    const later = [await ctx.submit(mine, 'later 1'), await ctx.submit(mine, 'later 2')];
    await setQueue(mine, 'Active');
    for (const jobId of later) expect((await ended(mine, jobId)).status).toBe('Completed');
    expect((await ctx.call(mine, 'GET', `/execution/job/${heldJob}`)).body).toMatchObject({ status: 'Queued', hold: { reason: 'not yet' } });
    expect(await startsOf(mine, heldJob)).toEqual([]);

    // The finished jobs are history now: the queue view measures waits and estimates from them.
    const view = (await ctx.call(mine, 'GET', '/execution/queue')).body;
    expect(view.summary.averageWaitSeconds).toBeGreaterThan(0);
    expect(view.summary.averageWaitTime).toMatch(/second|minute/);
    expect(view.queuedJobs).toEqual([expect.objectContaining({ jobId: heldJob, queuePosition: null })]);
    const requirements = view.queuedJobs[0].resourceRequirements;
    expect(requirements.basedOnJobs).toBeGreaterThanOrEqual(2);
    expect(requirements.cpuUnits).toBeGreaterThan(0);
    expect(requirements.memoryGB).toBeGreaterThan(0);
    expect(view.queuedJobs[0].estimatedDuration).toMatch(/seconds/);

    expect((await ctx.call(mine, 'POST', `/execution/job/${heldJob}/release`)).status).toBe(200);
    expect((await ended(mine, heldJob)).status).toBe('Completed');
    expect(await startsOf(mine, heldJob)).toHaveLength(1);
  });

  it('estimates a job\'s duration from jobs on logs of its size, and from none when only other sizes ran', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'estimates-'));
    try {
      const file = path.join(folder, 'bigger.csv');
      await writeGeneratedEventLog(file, 300, 10); // 3,000 records; every job so far read the running example's 42
      const bigger = await uploadDataset(ctx.service, ctx.tokens.get(mine)!, baseOf(mine), file);
      const submitOnBigger = async () => {
        const res = await ctx.call(mine, 'POST', '/execution/job', {
          jobName: 'bigger log', jobType: 'Analysis', parameters: { datasetId: bigger, analysisType: 'variants' },
        });
        expect(res.status).toBe(201);
        return res.body;
      };
      const first = await submitOnBigger();
      // Jobs on 42 records say nothing about 3,000: no range borrowed from them.
      expect(first).toMatchObject({ estimatedDuration: null, estimatedDurationSeconds: null });
      const done = await ended(mine, first.jobId);
      expect(done.status).toBe('Completed');

      // Held in a paused queue, the next one is estimated from the job that ran on its log (once the
      // API's few-seconds-old duration figures include it).
      await setQueue(mine, 'Paused');
      const second = await submitOnBigger();
      const estimated = await waitFor(async () => {
        const view = (await ctx.call(mine, 'GET', '/execution/queue')).body;
        const job = view.queuedJobs.find((j: { jobId: string }) => j.jobId === second.jobId);
        return job?.estimatedDurationSeconds ? job : null;
      }, 15_000, 200, 'an estimate from the job on the same log');
      const ran = (Date.parse(done.execution.endTime) - Date.parse(done.execution.startTime)) / 1000;
      expect(estimated.estimatedDurationSeconds.low).toBeCloseTo(ran, 2);
      expect(estimated.estimatedDurationSeconds.high).toBeCloseTo(ran, 2);
      expect(estimated.estimatedDuration).toMatch(/second/);
      await setQueue(mine, 'Active');
      expect((await ended(mine, second.jobId)).status).toBe('Completed');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
