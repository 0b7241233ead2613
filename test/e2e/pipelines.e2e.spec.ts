/**
 * Pipelines over HTTP on PostgreSQL, an API process and a worker process: jobs submitted with
 * `dependsOn` wait (Queued, `waitingFor`, no place in the queue) and run in dependency order
 * (a chain and a diamond, read from the recorded times of their histories); a dependency that
 * fails or is cancelled fails its dependents, transitively, with the reason; `datasetId:
 * {fromJob}` reads the enriched dataset its DataEnrichment dependency produced; bad
 * dependencies are 400s naming the entry; a restart of both processes while a job waits loses nothing.
 * The embedded store (PGlite, the API's own worker slots) runs a pipeline too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { derivedUuid } from '../../libs/job-domain/src/index.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('pipelines end-to-end suite');
const ENDED = ['Completed', 'Failed', 'Cancelled'];

interface HistoryEvent {
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
}

(server ? describe : describe.skip)('pipelines on PostgreSQL with a worker process', () => {
  const schema = randomSchemaName('e2e_pipelines');
  const tenant = randomUUID();
  const project = randomUUID();
  const otherProject = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let service: ServiceProcess;
  let worker: WorkerProcess;
  let token: string;
  let datasetId: string;
  const env = () => ({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, CLAIM_POLL_SECONDS: '1' });
  const call = (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    api(service.url, token, method, `${base}${url}`, body, headers);
  const status = async (jobId: string) => (await call('GET', `/execution/job/${jobId}`)).body;
  const history = async (jobId: string): Promise<HistoryEvent[]> => (await call('GET', `/execution/job/${jobId}/history`)).body.events;
  const analysis = (name: string, extra: Record<string, unknown> = {}) => ({
    jobName: name, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' }, ...extra,
  });

  async function submit(body: unknown, headers?: Record<string, string>): Promise<string> {
    const res = await call('POST', '/execution/job', body, headers);
    expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
    return res.body.jobId;
  }
  async function refused(body: unknown, headers?: Record<string, string>) {
    const res = await call('POST', '/execution/job', body, headers);
    expect(res.status).toBe(400);
    return res.body.errors as { field: string; message: string }[];
  }
  const ended = (jobId: string) => waitFor(async () => {
    const job = await status(jobId);
    return ENDED.includes(job.status) ? job : null;
  }, 60_000, 50, `job ${jobId} to end`);
  const setQueue = async (queueStatus: 'Paused' | 'Active') => expect((await call('PATCH', '/execution/queue', { queueStatus })).status).toBe(200);
  /** Recorded times of the job's start and completion. */
  async function runTimes(jobId: string): Promise<{ started: number; completed: number }> {
    const events = await history(jobId);
    const at = (type: string) => Date.parse(events.filter((e) => e.type === type).at(-1)!.recordedAt);
    return { started: at('JobStarted'), completed: at('JobCompleted') };
  }

  beforeAll(async () => {
    service = await startServiceProcess({ ...env(), EMBEDDED_WORKER_CAPACITY: '0' });
    token = await service.token(tenant, [project, otherProject]);
    datasetId = await uploadDataset(service, token, base);
    worker = await startWorkerProcess('pipeline-worker', { ...env(), DATA_DIR: service.dataDir, WORKER_CAPACITY: '4' });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  it('refuses bad dependencies with 400s naming the entry', async () => {
    const otherBase = `/api/${tenant}/${otherProject}`;
    const otherDataset = await uploadDataset(service, token, otherBase);
    const elsewhere = await api(service.url, token, 'POST', `${otherBase}/execution/job`, { ...analysis('elsewhere'), parameters: { datasetId: otherDataset, analysisType: 'statistics' } });
    expect(elsewhere.status).toBe(201);
    const inOtherProject: string = elsewhere.body.jobId;
    const later = new Date(Date.now() + 3600_000).toISOString();
    const waitsAnHour = await submit(analysis('not yet', { scheduling: { scheduledTime: later } }));
    const cancelled = await submit(analysis('cancelled', { scheduling: { scheduledTime: later } }));
    expect((await call('DELETE', `/execution/job/${cancelled}`, { reason: 'not needed' })).status).toBe(200);
    const key = `self-${randomUUID()}`;
    const ownId = derivedUuid('submit', tenant, project, key);

    const cases: [unknown[], string, RegExp][] = [
      [[randomUUID()], 'dependsOn[0]', /no job with this id in this project/],
      [[waitsAnHour, inOtherProject], 'dependsOn[1]', /no job with this id in this project/],
      [['not-a-job-id'], 'dependsOn[0]', /GUID/],
      [[waitsAnHour, waitsAnHour], 'dependsOn[1]', /second time/],
      [[cancelled], 'dependsOn[0]', /Cancelled/],
    ];
    for (const [dependsOn, field, message] of cases) {
      const errors = await refused(analysis('bad', { dependsOn }));
      expect(errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    expect(await refused(analysis('self', { dependsOn: [ownId] }), { 'Idempotency-Key': key }))
      .toEqual([{ field: 'dependsOn[0]', message: expect.stringMatching(/itself/) }]);
    expect(await refused(analysis('too many', { dependsOn: Array.from({ length: 51 }, () => randomUUID()) })))
      .toEqual([{ field: 'dependsOn', message: expect.stringMatching(/at most 50/) }]);
    expect((await refused(analysis('not a list', { dependsOn: waitsAnHour }))).map((e) => e.field)).toContain('dependsOn');
    // fromJob must name a DataEnrichment job of this project.
    expect(await refused({ jobName: 'reads', jobType: 'Analysis', parameters: { datasetId: { fromJob: waitsAnHour }, analysisType: 'statistics' } }))
      .toEqual([{ field: 'parameters.datasetId.fromJob', message: expect.stringMatching(/is a Analysis job; fromJob names a DataEnrichment job/) }]);
    expect((await refused({ jobName: 'reads', jobType: 'Analysis', parameters: { datasetId: { fromJob: 'x' }, analysisType: 'statistics' } }))
      .map((e) => e.field)).toEqual(['parameters.datasetId.fromJob']);
    // A job without dependencies shows null; the refused submits left nothing behind.
    expect(await status(waitsAnHour)).toMatchObject({ dependsOn: null, waitingFor: null });
    expect((await call('GET', `/execution/job/${ownId}`)).status).toBe(404);
  }, 60_000);

  it('runs a chain A → B → C and a diamond in dependency order; waiting jobs have no place and no estimate', async () => {
    await setQueue('Paused'); // nothing starts while the waiting is looked at
    const a = await submit(analysis('A'));
    const b = await submit(analysis('B', { dependsOn: [a] }));
    const c = await submit(analysis('C', { dependsOn: [b] }));
    // Not before its scheduled time, but after B, which has not run: no start to estimate.
    const later = await call('POST', '/execution/job', analysis('later', { dependsOn: [b], scheduling: { scheduledTime: new Date(Date.now() + 3600_000).toISOString() } }));
    expect(later.body).toMatchObject({ status: 'Queued', queuePosition: null, estimatedStartTime: null, waitingFor: [b] });
    const top = await submit(analysis('top'));
    const left = await submit(analysis('left', { dependsOn: [top] }));
    const right = await submit(analysis('right', { dependsOn: [top] }));
    const bottom = await submit(analysis('bottom', { dependsOn: [left, right] }));
    expect(await status(c)).toMatchObject({ status: 'Queued', dependsOn: [b], waitingFor: [b], queuePosition: null });
    expect(await status(bottom)).toMatchObject({ status: 'Queued', dependsOn: [left, right], waitingFor: [left, right] });
    const queue = (await call('GET', '/execution/queue')).body;
    expect(queue.summary).toMatchObject({ heldJobs: 6, waitingJobs: 6 });
    const queued = new Map<string, { queuePosition: number | null; estimatedStartTime: string | null; waitingFor: string[] | null }>(
      queue.queuedJobs.map((j: { jobId: string }) => [j.jobId, j]),
    );
    expect(queued.get(b)).toMatchObject({ queuePosition: null, estimatedStartTime: null, waitingFor: [a] });
    expect(queued.get(a)).toMatchObject({ waitingFor: null });
    // A waiting job is cancelled as any queued one: at once.
    expect((await call('DELETE', `/execution/job/${later.body.jobId}`, { reason: 'not needed' })).body.status).toBe('Cancelled');
    await setQueue('Active');

    for (const jobId of [a, b, c, top, left, right, bottom]) expect((await ended(jobId)).status).toBe('Completed');
    expect(await status(c)).toMatchObject({ waitingFor: [] });
    const times = new Map(await Promise.all([a, b, c, top, left, right, bottom].map(async (id) => [id, await runTimes(id)] as const)));
    const after = (later: string, earlier: string) => expect(times.get(later)!.started).toBeGreaterThanOrEqual(times.get(earlier)!.completed);
    after(b, a);
    after(c, b);
    after(left, top);
    after(right, top);
    after(bottom, left);
    after(bottom, right);
    const met = (await history(bottom)).filter((e) => e.type === 'JobDependencyMet').map((e) => e.data.dependencyJobId);
    expect(met.sort()).toEqual([left, right].sort());
  }, 120_000);

  it('fails the dependents of a failed job, transitively, and those of a cancelled one, with the reason', async () => {
    await setQueue('Paused'); // the chain is submitted before its head fails (a failed job cannot be waited for)
    // A notebook filtering on an attribute the log does not have fails as InvalidParameters: not retried.
    const failing = await submit({
      jobName: 'fails', jobType: 'Notebook',
      parameters: { datasetId, cells: [{ type: 'filter.attribute', attribute: 'no-such-column', values: ['x'] }, { type: 'calc.caseCount' }] },
    });
    const childKey = { 'Idempotency-Key': `child-${randomUUID()}` };
    const child = await submit(analysis('child', { dependsOn: [failing] }), childKey);
    const grandchild = await submit(analysis('grandchild', { dependsOn: [child] }));
    const later = new Date(Date.now() + 3600_000).toISOString();
    const toCancel = await submit(analysis('to cancel', { scheduling: { scheduledTime: later } }));
    const orphan = await submit(analysis('orphan', { dependsOn: [toCancel] }));
    await setQueue('Active');

    expect((await ended(failing)).failure).toMatchObject({ category: 'InvalidParameters', retryable: false });
    const childEnd = await ended(child);
    expect(childEnd).toMatchObject({ status: 'Failed', failure: { errorType: 'DependencyFailed', category: 'DependencyFailed', retryable: false } });
    expect(childEnd.failure.message).toMatch(new RegExp(`dependency ${failing} Failed \\(InvalidParameters\\)`));
    const grandchildEnd = await ended(grandchild);
    expect(grandchildEnd.failure.message).toMatch(new RegExp(`dependency ${child} Failed \\(DependencyFailed\\)`));
    expect(grandchildEnd.execution.startTime).toBeNull(); // never ran

    expect((await call('DELETE', `/execution/job/${toCancel}`, { reason: 'plan changed' })).status).toBe(200);
    const orphanEnd = await ended(orphan);
    expect(orphanEnd).toMatchObject({ status: 'Failed', failure: { category: 'DependencyFailed' } });
    expect(orphanEnd.failure.message).toBe(`dependency ${toCancel} was Cancelled: plan changed`);
    // A job that will never complete cannot be waited for.
    expect((await refused(analysis('too late', { dependsOn: [failing] })))[0].message).toMatch(/Failed and no retry is pending/);
    // A keyed submit repeated is answered with its job, though its dependency has failed since.
    expect(await submit(analysis('child', { dependsOn: [failing] }), childKey)).toBe(child);
  }, 120_000);

  it('reads the enriched dataset of its DataEnrichment dependency with datasetId: {fromJob}', async () => {
    const enrich = await submit({
      jobName: 'enrich January', jobType: 'DataEnrichment', parameters: { datasetId, timeWindow: { startDate: '2011-01-01', mode: 'contained' } },
    });
    // Not listed in dependsOn: the job fromJob names is added to it.
    const reads = await submit({ jobName: 'on the enriched data', jobType: 'Analysis', parameters: { datasetId: { fromJob: enrich }, analysisType: 'statistics' } });
    expect((await status(reads)).dependsOn).toEqual([enrich]);
    expect((await ended(enrich)).status).toBe('Completed');
    const done = await ended(reads);
    expect(done.status).toBe('Completed');
    const enriched = (await call('GET', `/execution/job/${enrich}/results`)).body.results.primaryOutput;
    expect(enriched.datasetId).toEqual(expect.any(String));
    expect(done.parameters.datasetId).toBe(enriched.datasetId);
    const dataset = (await call('GET', `/datasets/${enriched.datasetId}`)).body;
    expect(dataset.rowCount).toBeLessThan(42); // the window left out some of the running example's 42 events
    const results = (await call('GET', `/execution/job/${reads}/results`)).body;
    expect(results.summary.recordsProcessed).toBe(dataset.rowCount);
  }, 120_000);

  it('loses nothing when the API and the worker restart while a job waits', async () => {
    await setQueue('Paused');
    const first = await submit(analysis('before the restart'));
    const second = await submit(analysis('after the restart', { dependsOn: [first] }));
    expect(await status(second)).toMatchObject({ status: 'Queued', waitingFor: [first] });
    await worker.stop('SIGKILL');
    await service.stop('SIGKILL');
    service = await startServiceProcess({ ...env(), EMBEDDED_WORKER_CAPACITY: '0' }, service.dataDir);
    worker = await startWorkerProcess('pipeline-worker-2', { ...env(), DATA_DIR: service.dataDir, WORKER_CAPACITY: '4' });
    expect(await status(second)).toMatchObject({ status: 'Queued', waitingFor: [first] });
    await setQueue('Active');
    expect((await ended(first)).status).toBe('Completed');
    expect((await ended(second)).status).toBe('Completed');
    const times = [await runTimes(first), await runTimes(second)];
    expect(times[1].started).toBeGreaterThanOrEqual(times[0].completed);
    expect((await history(second)).filter((e) => e.type === 'JobDependencyMet')).toHaveLength(1);
  }, 120_000);
});

describe('pipelines on the embedded store (PGlite, in-process worker)', () => {
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let service: ServiceProcess;
  let token: string;
  let datasetId: string;

  beforeAll(async () => {
    service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '2', CLAIM_POLL_SECONDS: '1' });
    token = await service.token(tenant, [project]);
    datasetId = await uploadDataset(service, token, base);
  }, 90_000);
  afterAll(async () => {
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
  });

  it('runs an enrichment, then the job reading its dataset, then one waiting on that', async () => {
    const call = (method: string, url: string, body?: unknown) => api(service.url, token, method, `${base}${url}`, body);
    const submitted = async (body: unknown) => {
      const res = await call('POST', '/execution/job', body);
      expect(res.status).toBe(201);
      return res.body.jobId as string;
    };
    const enrich = await submitted({ jobName: 'enrich', jobType: 'DataEnrichment', parameters: { datasetId } });
    const reads = await submitted({ jobName: 'reads', jobType: 'Analysis', parameters: { datasetId: { fromJob: enrich }, analysisType: 'statistics' } });
    const last = await submitted({ jobName: 'last', jobType: 'Analysis', dependsOn: [reads], parameters: { datasetId, analysisType: 'statistics' } });
    const ended = (jobId: string) => waitFor(async () => {
      const job = (await call('GET', `/execution/job/${jobId}`)).body;
      return ENDED.includes(job.status) ? job : null;
    }, 60_000, 50, `job ${jobId} to end`);
    const [e, r, l] = [await ended(enrich), await ended(reads), await ended(last)];
    expect([e.status, r.status, l.status]).toEqual(['Completed', 'Completed', 'Completed']);
    const produced = (await call('GET', `/execution/job/${enrich}/results`)).body.results.primaryOutput.datasetId;
    expect(r.parameters.datasetId).toBe(produced);
    expect(Date.parse(r.execution.startTime)).toBeGreaterThanOrEqual(Date.parse(e.execution.endTime));
    expect(Date.parse(l.execution.startTime)).toBeGreaterThanOrEqual(Date.parse(r.execution.endTime));
    expect(l).toMatchObject({ dependsOn: [reads], waitingFor: [] });
  }, 120_000);
});
