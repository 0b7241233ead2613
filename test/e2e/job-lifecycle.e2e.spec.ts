/**
 * The reference API end to end against the real server process on the embedded store:
 * upload a dataset, submit, poll to Completed, read results, download every artifact;
 * cancel and retry; read-your-writes under concurrent submits; a crash and restart.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { filesNamed } from '../support/files-named.js';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { LIFECYCLE_TRANSITIONS_CSV, RUNNING_EXAMPLE_CSV } from '../support/fixtures.js';
import { api, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;

let service: ServiceProcess;
let token: string;
let datasetId: string;

function analysisJob(overrides: Record<string, unknown> = {}) {
  return {
    jobName: 'Running example statistics',
    jobDescription: 'Statistics of the running example',
    jobType: 'Analysis',
    priority: 'Normal',
    resource: { resourceType: 'Pipeline', resourceId: '770e8400-e29b-41d4-a716-446655440000', resourceName: 'Example Pipeline' },
    parameters: { datasetId, analysisType: 'statistics' },
    scheduling: { executeImmediately: true, timeoutMinutes: 10 },
    notifications: { onCompletion: true, onFailure: true },
    ...overrides,
  };
}

// A server clock far from UTC: every date the API reads or writes must still be UTC.
// A fresh store: this suite also covers the service's own first start (initdb).
useServiceWithRunningExample({ tenant, project, subject: 'analyst-1', env: { TZ: 'Asia/Tokyo' }, freshStore: true }, (f) => ({ service, token, datasetId } = f));

describe('datasets', () => {
  it('describes an uploaded CSV with its row count and detected columns', async () => {
    const res = await api(service.url, token, 'GET', `${base}/datasets/${datasetId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ datasetId, rowCount: 42, cases: 6, events: 42, activities: 8, format: 'csv' });
    expect(res.body.columnMapping).toMatchObject({ caseId: 'case:concept:name', activity: 'concept:name', timestamp: 'time:timestamp' });
    expect(res.body.columns).toEqual(expect.arrayContaining(['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource']));
  });

  it('accepts multipart uploads', async () => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(RUNNING_EXAMPLE_CSV)], { type: 'text/csv' }), 'running-example.csv');
    const res = await fetch(`${service.url}${base}/datasets`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { rowCount: number }).rowCount).toBe(42);
  });

  it('reads a gzipped CSV as the CSV it inflates to, whatever its name, and runs a job on it', async () => {
    const gzipped = gzipSync(readFileSync(RUNNING_EXAMPLE_CSV));
    const res = await api(service.url, token, 'POST', `${base}/datasets?name=events.bin`, gzipped, { 'Content-Type': 'application/gzip' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'csv.gz', rowCount: 42, cases: 6, events: 42, activities: 8 });
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ parameters: { datasetId: res.body.datasetId, analysisType: 'statistics' } }));
    expect(submitted.status).toBe(201);
    const done = await waitFor(async () => {
      const status = (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body;
      return ['Completed', 'Failed', 'Cancelled'].includes(status.status) ? status : null;
    }, 30_000, 100, 'the job on the gzipped CSV to end');
    expect(done).toMatchObject({ status: 'Completed', metrics: { totalRecords: 42 } });
  });

  it('downloads a dataset as uploaded and as read at import (an Arrow table of its events)', async () => {
    const source = await fetch(`${service.url}${base}/datasets/${datasetId}/download`, { headers: { Authorization: `Bearer ${token}` } });
    expect(source.status).toBe(200);
    expect(source.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(Buffer.from(await source.arrayBuffer()).equals(readFileSync(RUNNING_EXAMPLE_CSV))).toBe(true);

    const arrow = await fetch(`${service.url}${base}/datasets/${datasetId}/download?format=arrow`, { headers: { Authorization: `Bearer ${token}` } });
    expect(arrow.status).toBe(200);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.file');
    expect(arrow.headers.get('content-disposition')).toBe('attachment; filename=running-example.arrow');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(42);
    expect(new Set(table.getChild('case:concept:name')!.toArray()).size).toBe(6);

    const bad = await api(service.url, token, 'GET', `${base}/datasets/${datasetId}/download?format=parquet`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    expect((await api(service.url, token, 'GET', `${base}/datasets/${randomUUID()}/download`)).status).toBe(404);
  });

  it('runs jobs on the log as read at import, without reading the uploaded file again', async () => {
    const uploaded = await uploadDataset(service, token, base);
    const files = filesNamed(service.dataDir, uploaded);
    expect(files.map((f) => path.basename(f)).sort()).toEqual([`${uploaded}.csv`, `${uploaded}.events.arrow`]);
    rmSync(files.find((f) => f.endsWith('.csv'))!); // the job can only have read the imported log
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ parameters: { datasetId: uploaded, analysisType: 'statistics' } }));
    expect(submitted.status).toBe(201);
    const done = await waitFor(async () => {
      const status = (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body;
      return ['Completed', 'Failed', 'Cancelled'].includes(status.status) ? status : null;
    }, 30_000, 100, 'the job on the imported log to end');
    expect(done).toMatchObject({ status: 'Completed', metrics: { totalRecords: 42 } });
  });

  it('names the missing column when the log cannot be mapped', async () => {
    const res = await api(service.url, token, 'POST', `${base}/datasets`, 'a,b\n1,2\n', { 'Content-Type': 'text/csv' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['caseColumn', 'activityColumn', 'timestampColumn']));
  });

  it('a job naming a dataset that is not in the project is a 400 naming the field', async () => {
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ parameters: { datasetId: randomUUID(), analysisType: 'statistics' } }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'parameters.datasetId' })]);
  });
});

describe('submit → status → results → download', () => {
  it('runs an Analysis job to completion with real artifacts', async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob());
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'Queued', jobName: 'Running example statistics', priority: 'Normal', submittedBy: 'analyst-1', attempt: 1 });
    expect(typeof submitted.body.queuePosition === 'number' || submitted.body.queuePosition === null).toBe(true);
    const jobId = submitted.body.jobId as string;

    const done = await waitFor(async () => {
      const res = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`);
      expect(res.status).toBe(200);
      return ['Completed', 'Failed', 'Cancelled'].includes(res.body.status) ? res.body : null;
    });
    expect(done.status).toBe('Completed');
    expect(done.progress.percentage).toBe(100);
    expect(done.metrics.recordsProcessed).toBe(42);
    expect(done.execution.executionNode).toEqual(expect.any(String));
    expect(done.execution.startTime).toEqual(expect.any(String));
    expect(done.resource).toEqual({ resourceType: 'Pipeline', resourceId: '770e8400-e29b-41d4-a716-446655440000', resourceName: 'Example Pipeline' });

    const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results?format=detailed&includeArtifacts=true`);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ jobId, status: 'Completed', success: true });
    expect(results.body.summary.recordsProcessed).toBe(42);
    expect(results.body.qualityMetrics.dataValidation).toMatchObject({ totalRecords: 42, validRecords: 42, invalidRecords: 0, duplicatesRemoved: 0 });
    expect(results.body.figures).toBeTruthy();
    expect(JSON.stringify(results.body.figures)).toContain('check ticket');
    const outputs = [results.body.results.primaryOutput, ...results.body.results.additionalOutputs];
    expect(results.body.results.primaryOutput.format).toBe('html');
    expect(outputs.map((o: { format: string }) => o.format)).toEqual(expect.arrayContaining(['html', 'json']));
    expect(results.body.summary.outputsGenerated).toBe(outputs.length);
    const savedAs = new Set<string>();
    for (const output of outputs) {
      const download = await fetch(output.downloadUrl, { headers: { Authorization: `Bearer ${token}` } });
      expect(download.status).toBe(200);
      // Saved under the job's name and id: downloads of several jobs never overwrite each other.
      const disposition = download.headers.get('content-disposition')!;
      expect(disposition).toMatch(new RegExp(`^attachment; filename=running-example-statistics-${jobId.slice(0, 8)}-[\\w.-]+\\.${output.format}$`));
      savedAs.add(disposition);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(bytes.length).toBe(output.sizeBytes);
      if (output.format === 'json') expect(() => JSON.parse(bytes.toString())).not.toThrow();
      if (output.format === 'html') expect(bytes.toString()).toMatch(/<html/i);
      // Not without a token, and not with another tenant's token.
      expect((await fetch(output.downloadUrl)).status).toBe(401);
      const stranger = await service.token(randomUUID(), ['*'], 'stranger');
      expect((await fetch(output.downloadUrl, { headers: { Authorization: `Bearer ${stranger}` } })).status).toBe(404);
    }

    const filtered = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results?outputType=reports`);
    const filteredOutputs = [filtered.body.results.primaryOutput, ...filtered.body.results.additionalOutputs].filter(Boolean);
    expect(filteredOutputs.length).toBeGreaterThan(0);
    expect(filteredOutputs.every((o: { outputType: string }) => o.outputType === 'reports')).toBe(true);
    expect(savedAs.size).toBe(outputs.length);
    const noArtifacts = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results?includeArtifacts=false`);
    expect(noArtifacts.body.results).toBeNull();
    const download = await fetch(`${service.url}${base}/execution/job/${jobId}/results?format=download`, { headers: { Authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/html');
    expect(download.headers.get('content-disposition')).toMatch(new RegExp(`filename=running-example-statistics-${jobId.slice(0, 8)}-[\\w.-]+\\.html$`));

    // A completed job can be neither cancelled nor retried.
    expect((await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`)).status).toBe(409);
    expect((await api(service.url, token, 'POST', `${base}/execution/job/${jobId}/retry`, {})).status).toBe(409);
  });
});

async function runToEnd(job: Record<string, unknown>) {
  const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, job);
  expect(submitted.status).toBe(201);
  const jobId = submitted.body.jobId as string;
  const done = await waitFor(async () => {
    const res = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`);
    return ['Completed', 'Failed', 'Cancelled'].includes(res.body.status) ? res.body : null;
  });
  expect(done.status).toBe('Completed');
  const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results?format=detailed`);
  expect(results.status).toBe(200);
  return results.body;
}

describe('download names', () => {
  it('a job name beyond ASCII is kept in filename* (RFC 6266) beside an ASCII filename', async () => {
    const results = await runToEnd(analysisJob({ jobName: 'Übersicht März / 工程' }));
    const primary = results.results.primaryOutput;
    const download = await fetch(primary.downloadUrl, { headers: { Authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    const disposition = download.headers.get('content-disposition')!;
    const prefix = results.jobId.slice(0, 8);
    const ascii = /filename=([^;]+);/.exec(disposition)?.[1];
    const utf8 = /filename\*=UTF-8''(\S+)/.exec(disposition)?.[1];
    expect(ascii).toMatch(new RegExp(`^ubersicht-marz-${prefix}-[\\w.-]+\\.html$`));
    expect(decodeURIComponent(utf8!)).toBe(`übersicht-märz-工程-${ascii!.slice('ubersicht-marz-'.length)}`);
  });
});

describe('lifecycle transitions, duplicates and empty results', () => {
  it('maps a CSV lifecycle column at upload and analyses activity instances by default', async () => {
    const upload = await api(service.url, token, 'POST', `${base}/datasets?name=transitions.csv&lifecycleColumn=lifecycle`, readFileSync(LIFECYCLE_TRANSITIONS_CSV), {
      'Content-Type': 'text/csv',
    });
    expect(upload.status).toBe(201);
    expect(upload.body.columnMapping).toMatchObject({ caseId: 'case_id', activity: 'activity', lifecycle: 'lifecycle' });
    expect(upload.body.dataValidation).toEqual({ totalRecords: 16, validRecords: 15, duplicatesRemoved: 1, invalidRecords: 0 });
    const lifecycleDataset = upload.body.datasetId as string;

    const byDefault = await runToEnd(analysisJob({ parameters: { datasetId: lifecycleDataset, analysisType: 'statistics' } }));
    expect(byDefault.figures.eventClassifier).toMatchObject({ classifier: 'activity-instances', basis: 'default', eventsAfter: 7 });
    expect(byDefault.figures.summary).toMatchObject({ eventCount: 7, hasStartTimestamps: true });

    const kept = await runToEnd(
      analysisJob({ parameters: { datasetId: lifecycleDataset, analysisType: 'statistics', eventClassifier: 'activity', qualityChecks: { checkDuplicates: false } } }),
    );
    expect(kept.qualityMetrics.dataValidation).toEqual({ totalRecords: 16, validRecords: 16, duplicatesRemoved: 0, invalidRecords: 0 });
    expect(kept.figures.summary.eventCount).toBe(16);
  });

  it('completes a job whose time window keeps no events with a warning saying so', async () => {
    const body = await runToEnd(analysisJob({ parameters: { datasetId, analysisType: 'performance', timeWindow: { startDate: '2024-01-13', endDate: '2024-01-19' } } }));
    expect(body.qualityMetrics.warnings).toEqual([expect.objectContaining({ type: 'EmptyResult', count: 42 })]);
    expect(body.qualityMetrics.warnings[0].message).toMatch(/^No events left after filtering/);
    expect(body.figures.performance.cycleTime.meanSeconds).toBeNull();
  });
});

describe('cancel and retry', () => {
  const later = () => new Date(Date.now() + 3600_000).toISOString();

  it('cancels a queued job (200), refuses a second cancel (409), retries it as a new job', async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ scheduling: { scheduledTime: later() } }));
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId;
    const cancelled = await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`, { reason: 'not needed', forceTermination: false, preservePartialResults: true });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('Cancelled');
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body.status).toBe('Cancelled');
    expect((await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`)).status).toBe(409);

    const retried = await api(service.url, token, 'POST', `${base}/execution/job/${jobId}/retry`, {
      retryReason: 'Needed after all', modifyParameters: true, updatedParameters: { timeoutMinutes: 30 }, priority: 'High', immediateExecution: true,
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ retryOf: jobId, attempt: 2, priority: 'High' });
    expect(retried.body.jobId).not.toBe(jobId);
    const old = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`);
    expect(old.body.retriedBy).toBe(retried.body.jobId);
    const fresh = await api(service.url, token, 'GET', `${base}/execution/job/${retried.body.jobId}`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.scheduling.timeoutMinutes).toBe(30);
    // Retrying the same job twice is a conflict; so is retrying a job that did not fail.
    expect((await api(service.url, token, 'POST', `${base}/execution/job/${jobId}/retry`, {})).status).toBe(409);
    const queued = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ scheduling: { scheduledTime: later() } }));
    expect((await api(service.url, token, 'POST', `${base}/execution/job/${queued.body.jobId}/retry`, {})).status).toBe(409);
  });

  it('reads a scheduled time without a zone as UTC', async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ scheduling: { scheduledTime: '2031-05-06T07:08:09' } }));
    expect(submitted.status).toBe(201);
    expect(submitted.body.scheduledTime).toBe('2031-05-06T07:08:09.000Z');
    expect(submitted.body.estimatedStartTime).toBe('2031-05-06T07:08:09.000Z');
  });

  it('cancel and retry of an unknown job are 404', async () => {
    expect((await api(service.url, token, 'DELETE', `${base}/execution/job/${randomUUID()}`)).status).toBe(404);
    expect((await api(service.url, token, 'POST', `${base}/execution/job/${randomUUID()}/retry`, {})).status).toBe(404);
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${randomUUID()}/results`)).status).toBe(404);
  });

  it('results of a job that has not ended are a 409', async () => {
    const queued = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ scheduling: { scheduledTime: later() } }));
    const res = await api(service.url, token, 'GET', `${base}/execution/job/${queued.body.jobId}/results`);
    expect(res.status).toBe(409);
  });
});

describe('list jobs', () => {
  it('filters, pages and summarises the whole filtered set', async () => {
    const p2 = randomUUID();
    // Admin: the list includes a Critical job, which operators may not submit.
    const auth = await service.token(tenant, [p2], 'lister', ['admin']);
    const ds = await uploadDataset(service, auth, `/api/${tenant}/${p2}`);
    const later = new Date(Date.now() + 3600_000).toISOString();
    // The UTC days the submits fall on (two when they straddle midnight).
    const firstDay = new Date().toISOString().slice(0, 10);
    const priorities = ['Low', 'Normal', 'High', 'Critical', 'High'];
    for (const priority of priorities) {
      const res = await api(service.url, auth, 'POST', `/api/${tenant}/${p2}/execution/job`, {
        jobName: `job ${priority}`, jobType: 'Analysis', priority, parameters: { datasetId: ds, analysisType: 'statistics' },
        scheduling: { scheduledTime: later },
      });
      expect(res.status).toBe(201);
    }
    const all = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?pageSize=2`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, pageSize: 2, hasNextPage: true });
    expect(all.body.jobs).toHaveLength(2);
    expect(all.body.summary).toMatchObject({ totalJobs: 5, queuedJobs: 5, runningJobs: 0, completedJobs: 0, failedJobs: 0 });
    const last = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?pageSize=2&page=3`);
    expect(last.body.jobs).toHaveLength(1);
    expect(last.body.hasNextPage).toBe(false);
    const high = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?priority=High`);
    expect(high.body.summary.totalJobs).toBe(2);
    expect(high.body.jobs.every((j: { priority: string }) => j.priority === 'High')).toBe(true);
    const mine = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?submittedBy=lister&jobType=Analysis&status=Queued`);
    expect(mine.body.summary.totalJobs).toBe(5);
    const nobody = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?submittedBy=nobody`);
    expect(nobody.body.summary.totalJobs).toBe(0);
    const future = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?dateFrom=${encodeURIComponent(later)}`);
    expect(future.body.summary.totalJobs).toBe(0);
    const past = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?dateTo=2000-01-01`);
    expect(past.body.summary.totalJobs).toBe(0);
    const lastDay = new Date().toISOString().slice(0, 10);
    const todays = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?dateFrom=${firstDay}&dateTo=${lastDay}`);
    expect(todays.body.summary.totalJobs).toBe(5);
    // A naive date-time (Python's isoformat() without a zone) is UTC, not the server's local time.
    const naiveNow = new Date(Date.now() + 60_000).toISOString().slice(0, 19);
    const beforeNaive = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?dateTo=${naiveNow}`);
    expect(beforeNaive.body.summary.totalJobs).toBe(5);
    const afterNaive = await api(service.url, auth, 'GET', `/api/${tenant}/${p2}/execution/jobs?dateFrom=${naiveNow}`);
    expect(afterNaive.body.summary.totalJobs).toBe(0);
  });
});

describe('read-your-writes', () => {
  it('every one of 50 concurrent submits is visible to the next query', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ jobName: `rw ${i}`, scheduling: { scheduledTime: later } }));
      expect(submitted.status).toBe(201);
      const status = await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`);
      return status.status;
    }));
    expect(results).toEqual(Array(50).fill(200));
  });
});

describe('system status', () => {
  it('shows the in-process node and the tenant queue, measured', async () => {
    // Its own jobs: one waiting for a later time, one run to completion.
    const queued = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ scheduling: { scheduledTime: new Date(Date.now() + 3600_000).toISOString() } }));
    expect(queued.status).toBe(201);
    // jobsCompletedToday counts from 00:00 UTC: if midnight falls between the completion and
    // the status read, complete another job (the next one ends on the day it is read).
    let res: Awaited<ReturnType<typeof api>> | null = null;
    for (let attempt = 0; attempt < 2 && !res; attempt++) {
      const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, analysisJob({ jobName: `status ${attempt}` }));
      const done = await waitFor(async () => {
        const job = await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`);
        return job.body.status === 'Completed' ? job.body : null;
      }, 20_000);
      const status = await api(service.url, token, 'GET', `/api/${tenant}/execution/system/status`);
      if (done.execution.endTime.slice(0, 10) === new Date().toISOString().slice(0, 10)) res = status;
    }
    expect(res).not.toBeNull();
    expect(res!.status).toBe(200);
    const { body } = res!;
    expect(['Healthy', 'Degraded', 'Unhealthy']).toContain(body.systemStatus);
    expect(body.executionNodes.length).toBeGreaterThanOrEqual(1);
    const node = body.executionNodes[0];
    expect(node).toMatchObject({ status: 'Active', jobCapacity: expect.any(Number), activeJobs: expect.any(Number) });
    expect(node.memoryUsage).toBeGreaterThan(0);
    expect(body.queueStatistics.totalQueuedJobs).toBeGreaterThan(0);
    expect(body.performanceMetrics.jobsCompletedToday).toBeGreaterThanOrEqual(1);
    expect(body.resourceUtilization.totalMemoryBytes).toBeGreaterThan(0);
    expect(body.resourceUtilization.diskSpaceAvailableBytes).toBeGreaterThan(0);
  });
});
