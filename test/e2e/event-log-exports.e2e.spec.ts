/**
 * The job system mined by itself, and time travel by time, against the real server process:
 * real jobs run, their lifecycle is exported as XES and mined by the service's own Analysis
 * job, and as OCEL 2.0 JSON validated against the published schema and checked against the
 * job histories the store holds.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { OCEL_20_JSON_SCHEMA } from '../support/fixtures.js';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { api, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const otherProject = randomUUID();
const base = `/api/${tenant}/${project}`;

let service: ServiceProcess;
let token: string;
let datasetId: string;

useServiceWithRunningExample({ tenant, project, subject: 'miner-1' }, (f) => ({ service, token, datasetId } = f));

async function runJob(body: Record<string, unknown>, as = token, scope = base): Promise<{ jobId: string; status: any }> {
  const submitted = await api(service.url, as, 'POST', `${scope}/execution/job`, body);
  expect(submitted.status).toBe(201);
  const jobId = submitted.body.jobId as string;
  const status = await waitFor(async () => {
    const job = (await api(service.url, as, 'GET', `${scope}/execution/job/${jobId}`)).body;
    return ['Completed', 'Failed', 'Cancelled'].includes(job.status) ? job : null;
  }, 45_000, 100, `job ${jobId} to end`);
  return { jobId, status };
}

const statisticsJob = (name: string, dataset = datasetId) => ({
  jobName: name, jobType: 'Analysis', priority: 'Normal',
  parameters: { datasetId: dataset, analysisType: 'statistics' }, scheduling: { executeImmediately: true, timeoutMinutes: 10 },
});

async function download(format: string, query = ''): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${service.url}${base}/execution/events/export?format=${format}${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

async function history(jobId: string): Promise<any> {
  const res = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/history`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('job status as of a time', () => {
  it('folds the stream up to the last event recorded at or before asOf', async () => {
    const { jobId, status } = await runJob(statisticsJob('time travel'));
    expect(status.status).toBe('Completed');
    const events = (await history(jobId)).events as { type: string; recordedAt: string; revision: number }[];
    const submitted = events.find((e) => e.type === 'JobSubmitted')!;
    const started = events.find((e) => e.type === 'JobStarted')!;
    const completed = events.find((e) => e.type === 'JobCompleted')!;

    const atSubmit = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=${encodeURIComponent(submitted.recordedAt)}`);
    expect(atSubmit.status).toBe(200);
    expect(atSubmit.body).toMatchObject({ jobId, status: 'Queued', asOf: submitted.recordedAt, queuePosition: null });
    expect(atSubmit.body.asOfRevision).toBeLessThan(started.revision);

    const atStart = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=${encodeURIComponent(started.recordedAt)}`);
    expect(atStart.body).toMatchObject({ status: 'Running' });
    const atEnd = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=${encodeURIComponent(completed.recordedAt)}`);
    expect(atEnd.body).toMatchObject({ status: 'Completed', asOfRevision: completed.revision });
    const byRevision = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOfRevision=${started.revision}`);
    expect(byRevision.body).toMatchObject({ status: 'Running', asOfRevision: started.revision });
    const historyAsOf = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/history?asOf=${encodeURIComponent(started.recordedAt)}`);
    expect(historyAsOf.body).toMatchObject({ asOf: started.recordedAt, jobAsOfRevision: { status: 'Running' } });

    const before = new Date(Date.parse(submitted.recordedAt) - 1).toISOString();
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=${before}`)).status).toBe(404);
    const malformed = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=yesterday`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    const both = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}?asOf=${encodeURIComponent(completed.recordedAt)}&asOfRevision=0`);
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ field: 'asOf', message: expect.stringMatching(/asOfRevision/) }]);
    // Without a point in time the status is today's, with its live queue position.
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body).not.toHaveProperty('asOfRevision');
  });
});

describe('exports', () => {
  it('XES: the lifecycle of real jobs, uploaded as a dataset and mined, has Submitted → Started → Completed as its top variant', async () => {
    const jobs = await Promise.all([1, 2, 3].map((i) => runJob(statisticsJob(`mined ${i}`))));
    expect(jobs.map((j) => j.status.status)).toEqual(['Completed', 'Completed', 'Completed']);
    const xes = await download('xes');
    expect(xes.status).toBe(200);
    expect(xes.contentType).toMatch(/^application\/xml/);
    for (const { jobId } of jobs) expect(xes.text).toContain(`<string key="concept:name" value="${jobId}"/>`);
    expect(xes.text).toContain('<string key="lifecycle:transition" value="start"/>');

    const uploaded = await api(service.url, token, 'POST', `${base}/datasets?name=jobs.xes`, Buffer.from(xes.text), { 'Content-Type': 'application/xml' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.cases).toBeGreaterThanOrEqual(3);
    const mining = await runJob({
      jobName: 'the job system, mined', jobType: 'Analysis', priority: 'Normal',
      parameters: { datasetId: uploaded.body.datasetId, analysisType: 'variants' }, scheduling: { executeImmediately: true, timeoutMinutes: 10 },
    });
    expect(mining.status.status).toBe('Completed');
    const results = await api(service.url, token, 'GET', `${base}/execution/job/${mining.jobId}/results?format=detailed`);
    expect(results.status).toBe(200);
    expect(results.body.figures.variants.variants[0]).toMatchObject({ activities: ['Submitted', 'Started', 'Completed'] });
  });

  it('OCEL 2.0: valid against the published JSON schema; events, objects and relations as the store holds them', async () => {
    const { jobId } = await runJob(statisticsJob('object-centric'));
    const ocel = await download('ocel');
    expect(ocel.status).toBe(200);
    const log = JSON.parse(ocel.text);
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(OCEL_20_JSON_SCHEMA, 'utf8')));
    expect(validate(log) ? [] : validate.errors).toEqual([]);

    // Every event of every job of the project, once, with the store's ids and times.
    const listed = await api(service.url, token, 'GET', `${base}/execution/jobs?pageSize=100`);
    const histories = await Promise.all(listed.body.jobs.map((j: { jobId: string }) => history(j.jobId)));
    const stored = histories.flatMap((h) => h.events);
    expect(new Set(log.events.map((e: { id: string }) => e.id))).toEqual(new Set(stored.map((e: { eventId: string }) => e.eventId)));
    const objectIds = new Set(log.objects.map((o: { id: string }) => o.id));
    for (const event of log.events) for (const r of event.relationships) expect(objectIds).toContain(r.objectId);

    const own = histories.find((h) => h.jobId === jobId)!;
    const started = own.events.find((e: { type: string }) => e.type === 'JobStarted');
    const startedEvent = log.events.find((e: { id: string }) => e.id === started.eventId);
    expect(startedEvent).toMatchObject({ type: 'Started', time: started.recordedAt });
    expect(startedEvent.relationships).toEqual(expect.arrayContaining([
      { objectId: jobId, qualifier: 'job' }, { objectId: `node:${started.data.nodeId}`, qualifier: 'claimed by' },
    ]));
    const jobObject = log.objects.find((o: { id: string }) => o.id === jobId);
    expect(jobObject).toMatchObject({ type: 'job', relationships: [{ objectId: `dataset:${datasetId}`, qualifier: 'reads' }] });
    expect(jobObject.attributes).toEqual(expect.arrayContaining([{ name: 'jobName', value: 'object-centric', time: own.events[0].recordedAt }]));
    expect(log.objectTypes.map((t: { name: string }) => t.name)).toEqual(['job', 'node', 'dataset', 'retry chain']);
  });

  it('OCEL 2.0: a retry chain relates both attempts', async () => {
    // A job scheduled for later, cancelled while it waits, then retried.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      ...statisticsJob('retried'), scheduling: { executeImmediately: false, scheduledTime: later, timeoutMinutes: 10 },
    });
    expect(submitted.status).toBe(201);
    const first = submitted.body.jobId as string;
    const cancelled = await api(service.url, token, 'DELETE', `${base}/execution/job/${first}`, { reason: 'not yet' });
    expect(cancelled.status).toBe(200);
    const retried = await api(service.url, token, 'POST', `${base}/execution/job/${first}/retry`, { retryReason: 'again' });
    expect(retried.status).toBe(200);
    const second = retried.body.jobId as string;
    const log = JSON.parse((await download('ocel')).text);
    const chain = log.objects.find((o: { id: string }) => o.id === `retry-chain:${first}`);
    expect(chain).toMatchObject({ type: 'retry chain', attributes: [{ name: 'attempts', value: '2' }] });
    const secondObject = log.objects.find((o: { id: string }) => o.id === second);
    expect(secondObject.relationships).toEqual(expect.arrayContaining([{ objectId: first, qualifier: 'retry of' }, { objectId: `retry-chain:${first}`, qualifier: 'attempt of' }]));
  });

  it('only the caller\'s project, within from/to; a bad format or time is a 400 naming the field', async () => {
    await runJob(statisticsJob('bounded'));
    const otherToken = await service.token(tenant, [otherProject], 'other-1');
    const otherBase = `/api/${tenant}/${otherProject}`;
    const otherDataset = await uploadDataset(service, otherToken, otherBase);
    const { jobId: otherJob } = await runJob(statisticsJob('elsewhere', otherDataset), otherToken, otherBase);
    const other = await fetch(`${service.url}${otherBase}/execution/events/export?format=ocel`, { headers: { Authorization: `Bearer ${otherToken}` } });
    expect(other.status).toBe(200);
    const otherLog = (await other.json()) as { events: { relationships: { objectId: string; qualifier: string }[] }[] };
    expect(new Set(otherLog.events.flatMap((e) =>
      e.relationships.filter((r) => r.qualifier === 'job').map((r) => r.objectId)))).toEqual(new Set([otherJob]));
    const mine = await download('ocel');
    expect(mine.text).not.toContain(otherJob);
    expect((await download('xes')).text).not.toContain(otherJob);
    const notGranted = await fetch(`${service.url}/api/${tenant}/${otherProject}/execution/events/export?format=ocel`, { headers: { Authorization: `Bearer ${token}` } });
    expect(notGranted.status).toBe(404);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = JSON.parse((await download('ocel', `&from=${future}`)).text);
    expect(none.events).toEqual([]);
    const all = JSON.parse((await download('ocel')).text);
    const upToFirst = JSON.parse((await download('ocel', `&to=${encodeURIComponent(all.events[0].time)}`)).text);
    expect(upToFirst.events.length).toBeGreaterThanOrEqual(1);
    expect(upToFirst.events.length).toBeLessThan(all.events.length);
    expect((await download('xes', `&from=${future}`)).text).not.toContain('<trace>');

    for (const [query, field] of [['format=csv', 'format'], ['', 'format'], ['format=xes&from=soon', 'from'], ['format=ocel&to=2024-13-45', 'to']]) {
      const res = await api(service.url, token, 'GET', `${base}/execution/events/export?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });
});
