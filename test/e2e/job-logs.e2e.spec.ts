/**
 * Job execution logs through a real server process (embedded store, real worker slots and
 * job runners, real HTTP): a job on a dirty log shows its node's claim, each stage in order,
 * its data-quality warnings with their counts and its outcome; the filters, the limit and
 * the raw format; tenancy (404) and bad parameters (400 naming the field); and a cancelled
 * and a failed job whose whole log is there as soon as their final status is. On PostgreSQL,
 * another API process reads a job's log after the process that ran it has stopped.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openEventStream } from '../support/event-feed-client.js';
import { filesNamed } from '../support/files-named.js';
import { DIRTY_FIXTURES_DIR } from '../support/fixtures.js';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const server = await resolveTestPostgres('job logs end-to-end suite (PostgreSQL part)');
const STAGES = ['Loading', 'Validating', 'Filtering', 'Discovering', 'Measuring', 'Rendering', 'Writing outputs'];
const TERMINAL = ['Completed', 'Failed', 'Cancelled'];

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
let service: ServiceProcess;
let token: string;
const logDir = mkdtempSync(path.join(os.tmpdir(), 'job-logs-e2e-'));

beforeAll(async () => {
  // A runner keeping the loaded log would finish the long job before its cancellation arrives.
  service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '2', RUNNER_LOG_CACHE_EVENTS: '0' });
  token = await service.token(tenant, [project], 'analyst@company.com');
});

afterAll(async () => {
  await service?.stop();
  if (service) removeDataDir(service.dataDir);
  rmSync(logDir, { recursive: true, force: true });
});

async function submit(datasetId: string, jobType = 'Analysis', parameters: Record<string, unknown> = { analysisType: 'variants' }): Promise<string> {
  const res = await api(service.url, token, 'POST', `${base}/execution/job`, {
    jobName: `logs ${jobType}`, jobType, priority: 'Normal', parameters: { datasetId, ...parameters },
    scheduling: { executeImmediately: true, timeoutMinutes: 30 },
  });
  expect(res.status).toBe(201);
  return res.body.jobId;
}

async function ended(jobId: string): Promise<string> {
  return waitFor(async () => {
    const res = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`);
    return TERMINAL.includes(res.body.status) ? (res.body.status as string) : null;
  }, 60_000, 50, `job ${jobId} to end`);
}

const logsOf = (jobId: string, query = '') => api(service.url, token, 'GET', `${base}/execution/job/${jobId}/logs${query}`);

describe('a completed job on a dirty log', () => {
  let jobId: string;
  let all: any[];

  beforeAll(async () => {
    const datasetId = await uploadDataset(service, token, base, path.join(DIRTY_FIXTURES_DIR, 'semicolon-dirty.csv'));
    jobId = await submit(datasetId);
    expect(await ended(jobId)).toBe('Completed');
    const res = await logsOf(jobId, '?level=DEBUG');
    expect(res.status).toBe(200);
    all = res.body.logs;
  });

  it('shows the claim, every stage in order, the data-quality warnings with their counts, and the outcome', async () => {
    const res = await logsOf(jobId);
    expect(res.body).toMatchObject({ jobId, jobName: 'logs Analysis', jobStatus: 'Completed' });
    const logs: any[] = res.body.logs;
    for (const l of logs) {
      expect(Object.keys(l).sort()).toEqual(['component', 'details', 'level', 'message', 'stage', 'timestamp']);
      expect(Number.isFinite(Date.parse(l.timestamp))).toBe(true);
    }
    expect(logs[0]).toMatchObject({ level: 'INFO', component: 'ExecutionNode', stage: 'Initialization' });
    expect(logs[0].details).toMatchObject({ nodeId: expect.any(String), runnerPid: expect.any(Number) });
    expect(logs.at(-1)).toMatchObject({ level: 'INFO', component: 'ExecutionNode', stage: 'Completion' });
    // The stages as the engine entered them, in order.
    const stageOrder = logs.map((l) => l.stage).filter((s, i, a) => STAGES.includes(s) && a.indexOf(s) === i);
    expect(stageOrder).toEqual(STAGES);
    const loading = logs.find((l) => l.component === 'DataLoader' && l.stage === 'Loading');
    expect(loading.details).toMatchObject({ format: 'csv', datasetSize: expect.any(Number), expectedRecords: expect.any(Number) });
    const loaded = logs.find((l) => l.message.startsWith('Loaded '));
    expect(loaded.details.invalidRecords).toBeGreaterThan(0);
    // Warnings come while validating, after the load and before the next stage, each with its count.
    const warnings = logs.filter((l) => l.level === 'WARN');
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w).toMatchObject({ component: 'DataValidator', stage: 'Validating' });
      expect(w.details.count).toBeGreaterThan(0);
      expect(logs.indexOf(w)).toBeGreaterThan(logs.indexOf(loaded));
      expect(logs.indexOf(w)).toBeLessThan(logs.findIndex((l) => l.stage === 'Filtering'));
    }
    const finished = logs.find((l) => l.component === 'JobRunner' && l.message.startsWith('Finished'));
    expect(finished.details).toMatchObject({ recordsProcessed: expect.any(Number), durationMilliseconds: expect.any(Number) });
    // The summary counts the whole log, whatever the filter.
    expect(res.body.logsSummary).toEqual({
      totalEntries: all.length,
      debugEntries: all.filter((l) => l.level === 'DEBUG').length,
      infoEntries: all.filter((l) => l.level === 'INFO').length,
      warnEntries: warnings.length,
      errorEntries: all.filter((l) => l.level === 'ERROR').length,
      timeRange: { startTime: all[0].timestamp, endTime: all.at(-1).timestamp },
    });
  });

  it('filters by level and by time, and limits', async () => {
    const warn = await logsOf(jobId, '?level=WARN');
    expect(warn.body.logs.length).toBeGreaterThan(0);
    expect(warn.body.logs.every((l: any) => l.level === 'WARN' || l.level === 'ERROR')).toBe(true);
    expect(warn.body.logsSummary.totalEntries).toBe(all.length);
    const info = await logsOf(jobId);
    expect(info.body.logs).toEqual(all.filter((l) => l.level !== 'DEBUG'));

    const middle = all[Math.floor(all.length / 2)].timestamp;
    const from = await logsOf(jobId, `?level=DEBUG&fromTime=${encodeURIComponent(middle)}`);
    expect(from.body.logs).toEqual(all.filter((l) => l.timestamp >= middle));
    const to = await logsOf(jobId, `?level=DEBUG&toTime=${encodeURIComponent(middle)}`);
    expect(to.body.logs).toEqual(all.filter((l) => l.timestamp <= middle));
    const between = await logsOf(jobId, `?level=DEBUG&fromTime=${encodeURIComponent(middle)}&toTime=${encodeURIComponent(middle)}`);
    expect(between.body.logs).toEqual(all.filter((l) => l.timestamp === middle));

    const limited = await logsOf(jobId, '?level=DEBUG&limit=2');
    expect(limited.body.logs).toEqual(all.slice(0, 2));
    expect((await logsOf(jobId, '?limit=10000')).status).toBe(200);
  });

  it('answers plain text lines with format=raw', async () => {
    const res = await logsOf(jobId, '?level=DEBUG&format=raw');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = (res.body as string).trimEnd().split('\n');
    expect(lines).toHaveLength(all.length);
    lines.forEach((text, i) => {
      expect(text.startsWith(`${all[i].timestamp} ${all[i].level}`)).toBe(true);
      expect(text).toContain(`[${all[i].component}] (${all[i].stage}) ${all[i].message}`);
    });
  });

  it('is a 404 for another tenant, for a project the token does not grant, and for an unknown job', async () => {
    const otherTenant = randomUUID();
    const otherToken = await service.token(otherTenant, ['*']);
    const foreign = await api(service.url, otherToken, 'GET', `/api/${otherTenant}/${project}/execution/job/${jobId}/logs`);
    expect(foreign.status).toBe(404);
    expect((await api(service.url, otherToken, 'GET', `${base}/execution/job/${jobId}/logs`)).status).toBe(404);
    expect((await logsOf(randomUUID())).status).toBe(404);
    expect((await api(service.url, null, 'GET', `${base}/execution/job/${jobId}/logs`)).status).toBe(401);
  });

  it('answers bad parameters with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?level=TRACE', 'level'], ['?limit=10001', 'limit'], ['?limit=0', 'limit'], ['?limit=ten', 'limit'],
      ['?fromTime=yesterday', 'fromTime'], ['?toTime=2026-13-45', 'toTime'], ['?format=xml', 'format'],
      ['?fromTime=2026-12-02T00:00:00Z&toTime=2026-12-01T00:00:00Z', 'fromTime'], ['?lvl=INFO', 'lvl'],
    ];
    for (const [query, field] of cases) {
      const res = await logsOf(jobId, query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('jobs that do not complete', () => {
  it('a cancelled job\'s whole log, its stop and its cancellation included, is there when Cancelled is visible', async () => {
    const file = path.join(logDir, 'long.csv');
    // 1.2 million events: seconds of work even on a quiet machine, so the cancellation meets it running.
    await writeGeneratedEventLog(file, 60_000, 20);
    const datasetId = await uploadDataset(service, token, base, file);
    // Parsed on every run (no imported copy), so the job lasts long enough to be caught running.
    for (const imported of filesNamed(service.dataDir, `${datasetId}.events.arrow`)) rmSync(imported);
    const jobId = await submit(datasetId, 'ProcessMining', { analysisType: 'comprehensive' });
    await waitFor(async () => (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body.status === 'Running', 30_000, 20, 'the job to run');
    const cancel = await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`, { reason: 'logs test', forceTermination: false, preservePartialResults: false });
    expect(cancel.status).toBeLessThan(300);
    expect(await ended(jobId)).toBe('Cancelled');
    const logs: any[] = (await logsOf(jobId, '?level=DEBUG')).body.logs;
    expect(logs[0]).toMatchObject({ component: 'ExecutionNode', stage: 'Initialization' });
    expect(logs.some((l) => l.component === 'ExecutionNode' && l.message.startsWith('Stopping: cancellation requested'))).toBe(true);
    expect(logs.at(-1)).toMatchObject({ level: 'WARN', component: 'ExecutionNode', stage: 'Completion' });
    expect(logs.at(-1).message).toMatch(/^Cancelled on node /);
  });

  it('a failed job\'s log names the error type and its last line is there when Failed is visible', async () => {
    const datasetId = await uploadDataset(service, token, base);
    // The dataset's files gone: the runner fails reading the log.
    for (const file of filesNamed(service.dataDir, datasetId)) rmSync(file);
    const jobId = await submit(datasetId);
    expect(await ended(jobId)).toBe('Failed');
    const logs: any[] = (await logsOf(jobId, '?level=DEBUG')).body.logs;
    const runnerError = logs.find((l) => l.component === 'JobRunner' && l.level === 'ERROR');
    expect(runnerError.details).toMatchObject({ errorType: 'ExecutionError', stage: 'Loading' });
    expect(logs.at(-1)).toMatchObject({ level: 'ERROR', component: 'ExecutionNode', stage: 'Completion', details: { errorType: 'ExecutionError' } });
    const error = await logsOf(jobId, '?level=ERROR');
    expect(error.body.logs).toEqual(logs.filter((l) => l.level === 'ERROR'));
    expect(error.body.logsSummary.errorEntries).toBe(2);
  });
});

describe('following a job\'s log live', () => {
  it('streams every line of a running job as it is stored, ends after its last line, and resumes after a line id', async () => {
    const file = path.join(logDir, 'followed.csv');
    await writeGeneratedEventLog(file, 20_000, 20);
    const datasetId = await uploadDataset(service, token, base, file);
    for (const imported of filesNamed(service.dataDir, `${datasetId}.events.arrow`)) rmSync(imported);
    const jobId = await submit(datasetId, 'ProcessMining', { analysisType: 'comprehensive' });
    const stream = await openEventStream(`${service.url}${base}/execution/job/${jobId}/logs?level=DEBUG`, token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.ended; // the server ends it once the job has ended and its last line was sent
    expect(await ended(jobId)).toBe('Completed');
    const stored: any[] = (await logsOf(jobId, '?level=DEBUG')).body.logs;
    const streamed = stream.events.map((e) => JSON.parse(e.data));
    // Every line once; a follow sends them in the order they were stored, batch after batch.
    expect(streamed.map((l) => l.message).sort()).toEqual(stored.map((l) => l.message).sort());
    expect(streamed.at(-1)).toMatchObject({ component: 'ExecutionNode', stage: 'Completion' });
    // Stored while the job ran, not only at its end: the lines arrived over more than one read.
    expect(new Set(stream.events.map((e) => Math.round(e.receivedAt / 100))).size).toBeGreaterThan(1);

    const resumed = await openEventStream(`${service.url}${base}/execution/job/${jobId}/logs?level=DEBUG`, token, { 'Last-Event-ID': stream.events[1]!.id! });
    await resumed.ended;
    expect(resumed.events.map((e) => e.id)).toEqual(stream.events.slice(2).map((e) => e.id));
    const warnings = await openEventStream(`${service.url}${base}/execution/job/${jobId}/logs?level=WARN`, token);
    await warnings.ended;
    expect(warnings.events.map((e) => JSON.parse(e.data).message)).toEqual(stored.filter((l) => l.level === 'WARN' || l.level === 'ERROR').map((l) => l.message));
  }, 120_000);

  it('is a 404 for another tenant and for an unknown job, as the other reads are', async () => {
    const other = await service.token(randomUUID(), [project], 'someone@elsewhere.com');
    const res = await fetch(`${service.url}${base}/execution/job/${randomUUID()}/logs`, { headers: { Authorization: `Bearer ${other}`, Accept: 'text/event-stream' } });
    expect(res.status).toBe(404);
    const unknown = await fetch(`${service.url}${base}/execution/job/${randomUUID()}/logs`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
    expect(unknown.status).toBe(404);
  });
});

(server ? describe : describe.skip)('on PostgreSQL', () => {
  it('a job\'s log survives the process that ran it and is read by another API process', async () => {
    const schema = randomSchemaName('e2e_job_logs');
    const env = { DATABASE_URL: server!.url, DATABASE_SCHEMA: schema };
    const first = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '1' });
    let second: ServiceProcess | undefined;
    try {
      const pgToken = await first.token(tenant, [project]);
      const datasetId = await uploadDataset(first, pgToken, base);
      const submitted = await api(first.url, pgToken, 'POST', `${base}/execution/job`, {
        jobName: 'logs on PostgreSQL', jobType: 'Analysis', parameters: { datasetId, analysisType: 'variants' },
      });
      expect(submitted.status).toBe(201);
      const jobId = submitted.body.jobId;
      await waitFor(async () => (await api(first.url, pgToken, 'GET', `${base}/execution/job/${jobId}`)).body.status === 'Completed', 60_000, 50, 'the job to complete');
      const before = (await api(first.url, pgToken, 'GET', `${base}/execution/job/${jobId}/logs?level=DEBUG`)).body;
      expect(before.logs.at(-1)).toMatchObject({ component: 'ExecutionNode', stage: 'Completion' });
      await first.stop();

      second = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0' });
      const after = await api(second.url, await second.token(tenant, [project]), 'GET', `${base}/execution/job/${jobId}/logs?level=DEBUG`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before);
    } finally {
      await first.stop();
      await second?.stop();
      removeDataDir(first.dataDir);
      if (second) removeDataDir(second.dataDir);
      await dropSchema(server!.url, schema);
    }
  });
});
