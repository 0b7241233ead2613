/**
 * Recurring schedules and the tenant queue quota through the real service process (embedded
 * store, no job slots, so every job stays Queued): create, list, get, change, pause, resume
 * and delete a schedule; validation answers naming their field; a schedule that fires and
 * whose job carries its scheduleId; the 429 with Retry-After at a tenant's queued cap (set
 * for one tenant through TENANT_QUOTAS), and a firing refused by it recorded as skipped.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

interface Scope {
  readonly tenant: string;
  readonly project: string;
  token: string;
  datasetId: string;
}

const QUOTA = 2;

describe('recurring schedules and tenant quotas over HTTP', () => {
  let service: ServiceProcess;
  const main: Scope = { tenant: randomUUID(), project: randomUUID(), token: '', datasetId: '' };
  const other: Scope = { tenant: randomUUID(), project: randomUUID(), token: '', datasetId: '' };
  const capped: Scope = { tenant: randomUUID(), project: randomUUID(), token: '', datasetId: '' };
  const call = (scope: Scope, method: string, path: string, body?: unknown) =>
    api(service.url, scope.token, method, `/api/${scope.tenant}/${scope.project}/execution${path}`, body);
  const template = (scope: Scope, jobName = 'Scheduled analysis') => ({
    jobName, jobType: 'Analysis', parameters: { datasetId: scope.datasetId, analysisType: 'statistics' },
  });

  beforeAll(async () => {
    service = await startServiceProcess({
      EMBEDDED_WORKER_CAPACITY: '0',
      TENANT_QUOTAS: JSON.stringify({ [capped.tenant]: { maxQueuedJobs: QUOTA } }),
    });
    for (const scope of [main, other, capped]) {
      scope.token = await service.token(scope.tenant, [scope.project], 'sam-scheduler');
      scope.datasetId = await uploadDataset(service, scope.token, `/api/${scope.tenant}/${scope.project}`);
    }
  }, 90_000);

  afterAll(async () => {
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
  });

  it('creates, lists, gets, changes, pauses, resumes and deletes a schedule', async () => {
    const created = await call(main, 'POST', '/schedules', {
      name: 'Weekday mornings', cron: '30 6 * * 1-5', timeZone: 'Europe/Berlin', jobTemplate: template(main), overlapPolicy: 'skip', catchUp: 'one',
    });
    expect(created.status).toBe(201);
    const id = created.body.scheduleId;
    expect(created.body).toMatchObject({
      name: 'Weekday mornings', cron: '30 6 * * 1-5', intervalSeconds: null, timeZone: 'Europe/Berlin', overlapPolicy: 'skip', catchUp: 'one',
      paused: false, lastFiredAt: null, lastJobId: null, recentFirings: [], createdBy: 'sam-scheduler',
    });
    const times: string[] = created.body.nextFireTimes;
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i += 1) expect(Date.parse(times[i])).toBeGreaterThan(Date.parse(times[i - 1]));
    for (const t of times) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(new Date(t));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 06:30$/);
    }

    const list = await call(main, 'GET', '/schedules');
    expect(list.status).toBe(200);
    expect(list.body.schedules.map((s: { scheduleId: string }) => s.scheduleId)).toContain(id);
    expect((await call(main, 'GET', `/schedules/${id}`)).body).toMatchObject({ scheduleId: id, nextFireTimes: times });

    const paused = await call(main, 'PATCH', `/schedules/${id}`, { paused: true });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ paused: true, nextFireTimes: [] });
    const changed = await call(main, 'PATCH', `/schedules/${id}`, { intervalSeconds: 3600, name: 'Hourly', paused: false });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Hourly', cron: null, intervalSeconds: 3600, paused: false });
    expect(Date.parse(changed.body.nextFireTimes[1]) - Date.parse(changed.body.nextFireTimes[0])).toBe(3_600_000);

    // Another tenant's schedule is not found, whatever its id.
    expect((await call(other, 'GET', `/schedules/${id}`)).status).toBe(404);
    expect((await call(other, 'PATCH', `/schedules/${id}`, { paused: true })).status).toBe(404);
    expect((await call(other, 'DELETE', `/schedules/${id}`)).status).toBe(404);

    const removed = await call(main, 'DELETE', `/schedules/${id}`);
    expect(removed.status).toBe(204);
    expect((await call(main, 'GET', `/schedules/${id}`)).status).toBe(404);
    expect((await call(main, 'DELETE', `/schedules/${id}`)).status).toBe(404);
    expect((await call(main, 'GET', '/schedules')).body.schedules.map((s: { scheduleId: string }) => s.scheduleId)).not.toContain(id);
    expect((await call(main, 'PATCH', `/schedules/${randomUUID()}`, { paused: true })).status).toBe(404);
  });

  it.each([
    ['an invalid cron expression', { cron: '61 * * * *' }, 'cron'],
    ['a cron expression of 4 fields', { cron: '* * * *' }, 'cron'],
    ['an unknown time zone', { cron: '0 6 * * *', timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['both cron and intervalSeconds', { cron: '0 6 * * *', intervalSeconds: 60 }, 'intervalSeconds'],
    ['neither cron nor intervalSeconds', {}, 'cron'],
    ['an interval of 0 seconds', { intervalSeconds: 0 }, 'intervalSeconds'],
    ['an unknown overlap policy', { intervalSeconds: 60, overlapPolicy: 'sometimes' }, 'overlapPolicy'],
    ['an unknown catch-up policy', { intervalSeconds: 60, catchUp: 'most' }, 'catchUp'],
    ['a cron expression that is not a string', { cron: 5 }, 'cron'],
    ['a job template that is not an object', { intervalSeconds: 60, jobTemplate: 'analysis' }, 'jobTemplate'],
    ['an unknown field', { intervalSeconds: 60, everyFullMoon: true }, 'everyFullMoon'],
  ])('refuses %s with a 400 naming the field', async (_what, fields, field) => {
    const response = await call(main, 'POST', '/schedules', { name: 'bad', jobTemplate: template(main), ...fields });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('validates the job template as a submit body, naming jobTemplate.<field>', async () => {
    const badType = await call(main, 'POST', '/schedules', { name: 'bad', intervalSeconds: 60, jobTemplate: { ...template(main), jobType: 'Astrology' } });
    expect(badType.status).toBe(400);
    expect(badType.body.errors.map((e: { field: string }) => e.field)).toContain('jobTemplate.jobType');
    const noDataset = await call(main, 'POST', '/schedules', { name: 'bad', intervalSeconds: 60, jobTemplate: { ...template(main), parameters: { datasetId: randomUUID(), analysisType: 'statistics' } } });
    expect(noDataset.status).toBe(400);
    expect(noDataset.body.errors.map((e: { field: string }) => e.field)).toContain('jobTemplate.parameters.datasetId');
    const noName = await call(main, 'POST', '/schedules', { intervalSeconds: 60, jobTemplate: template(main) });
    expect(noName.status).toBe(400);
    expect(noName.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    const badPatch = await call(main, 'PATCH', `/schedules/${randomUUID()}`, { timeZone: 42, paused: 'yes' });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['timeZone', 'paused']));
    const badId = await call(main, 'GET', '/schedules/not-a-guid');
    expect(badId.status).toBe(400);
    expect(badId.body.errors.map((e: { field: string }) => e.field)).toContain('scheduleId');
  });

  it('fires: the job it submits carries the scheduleId and fire time', async () => {
    const created = await call(main, 'POST', '/schedules', { name: 'Every second', intervalSeconds: 1, jobTemplate: template(main, 'Fired'), overlapPolicy: 'queue' });
    expect(created.status).toBe(201);
    const id = created.body.scheduleId;
    const fired = await waitFor(async () => (await call(main, 'GET', `/schedules/${id}`)).body.lastJobId as string | null, 15_000, 100, 'the first firing');
    const job = await call(main, 'GET', `/job/${fired}`);
    expect(job.status).toBe(200);
    const schedule = (await call(main, 'GET', `/schedules/${id}`)).body;
    expect(job.body).toMatchObject({ jobId: fired, jobName: 'Fired', status: 'Queued', scheduleId: id });
    expect(schedule.recentFirings.find((f: { jobId: string | null }) => f.jobId === fired).fireTime).toBe(job.body.scheduleFireTime);
    expect((await call(main, 'DELETE', `/schedules/${id}`)).status).toBe(204);
  }, 30_000);

  it('answers 429 with Retry-After at the tenant\'s queued cap, and records a firing it refuses as skipped', async () => {
    const first = await api(service.url, capped.token, 'POST', `/api/${capped.tenant}/${capped.project}/execution/job`, template(capped, 'job 0'), { 'Idempotency-Key': 'first' });
    expect(first.status).toBe(201);
    for (let i = 1; i < QUOTA; i += 1) expect((await call(capped, 'POST', '/job', template(capped, `job ${i}`))).status).toBe(201);
    // A repeat of a submit already made is answered with its job, cap or no cap.
    const repeat = await api(service.url, capped.token, 'POST', `/api/${capped.tenant}/${capped.project}/execution/job`, template(capped, 'job 0'), { 'Idempotency-Key': 'first' });
    expect(repeat.status).toBe(201);
    expect(repeat.body.jobId).toBe(first.body.jobId);
    const refused = await call(capped, 'POST', '/job', template(capped, 'one too many'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({
      statusCode: 429, error: 'Too Many Requests', quota: 'maxQueuedJobs', limit: QUOTA, current: QUOTA,
      retryAfterSeconds: Number(refused.headers.get('retry-after')), retryAfterBasis: 'fallback',
      errors: [{ field: 'tenantId', message: expect.stringContaining('maxQueuedJobs') }],
    });
    // Other tenants have no quota.
    expect((await call(main, 'POST', '/job', template(main, 'uncapped'))).status).toBe(201);

    const created = await call(capped, 'POST', '/schedules', { name: 'Capped', intervalSeconds: 1, jobTemplate: template(capped), overlapPolicy: 'queue' });
    expect(created.status).toBe(201);
    const skipped = await waitFor(async () => (await call(capped, 'GET', `/schedules/${created.body.scheduleId}`)).body.recentFirings[0], 15_000, 100, 'a refused firing');
    expect(skipped).toMatchObject({ jobId: null, skippedReason: expect.stringContaining('quota') });
    expect((await call(capped, 'DELETE', `/schedules/${created.body.scheduleId}`)).status).toBe(204);
  }, 30_000);
});
