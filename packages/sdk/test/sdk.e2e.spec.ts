/**
 * The SDK against the real built server: a full submit → results flow, uploads, downloads,
 * aborting a wait, errors; every JSON answer checked against the OpenAPI document the SDK's
 * types were generated from, and that document checked to be the one the server serves.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PmJobsApiError, PmJobsClient, type JobStatus, type SubmitJobRequest } from '../src/index.js';
import { RUNNING_EXAMPLE_CSV } from '../../../test/support/fixtures.js';
import { openApiValidator } from '../../../test/support/openapi-validator.js';
import { useServiceWithRunningExample, type ServiceFixture } from '../../../test/support/service-fixture.js';

const TENANT = '5d4c3b2a-1111-4111-8111-0123456789ab';
const PROJECT = '5d4c3b2a-2222-4222-8222-0123456789ab';
const DOCUMENT = JSON.parse(readFileSync(path.resolve('packages/sdk/openapi.json'), 'utf8'));
const schemas = openApiValidator(DOCUMENT);

let fixture: ServiceFixture;
useServiceWithRunningExample({ tenant: TENANT, project: PROJECT, subject: 'sdk-user' }, (ready) => (fixture = ready));

function sdk(): PmJobsClient {
  return new PmJobsClient({ baseUrl: `${fixture.service.url}/`, token: fixture.token, tenantId: TENANT, projectId: PROJECT });
}

function statisticsJob(datasetId: string, overrides: Partial<SubmitJobRequest> = {}): SubmitJobRequest {
  return {
    jobName: 'SDK statistics', jobType: 'Analysis', priority: 'Normal',
    parameters: { datasetId, analysisType: 'statistics', timeWindow: { startDate: '2010-01-01' } },
    scheduling: { executeImmediately: true, timeoutMinutes: 10, scheduledTime: null },
    ...overrides,
  };
}

describe('the TypeScript SDK', () => {
  it('is generated from the document the server serves', async () => {
    const served = await (await fetch(`${fixture.service.url}/docs-json`)).json();
    expect(served).toEqual(DOCUMENT);
  });

  it('submits, waits with progress, reads results and streams every artifact to a file named by the job', async () => {
    const client = sdk();
    const submitted = await client.submit(statisticsJob(fixture.datasetId));
    expect(schemas.errors('SubmitJobResponseDto', submitted)).toEqual([]);
    const seen: JobStatus[] = [];
    const done = await client.waitForCompletion(submitted.jobId, { intervalMs: 100, onProgress: (job) => seen.push(job) });
    expect(done.status).toBe('Completed');
    expect(seen.at(-1)).toEqual(done);
    expect(schemas.errors('JobStatusDto', done)).toEqual([]);
    expect(schemas.errors('JobStatusDto', { ...done, scheduling: { ...done.scheduling, scheduledTime: 5 } })).not.toEqual([]);

    const results = await client.getResults(submitted.jobId, { format: 'detailed' });
    expect(schemas.errors('JobResultsDto', results)).toEqual([]);
    expect(results.figures?.summary?.caseCount).toBe(6);
    expect(results.figures?.eventClassifier?.classifier).toBe('activity');
    const outputs = [results.results!.primaryOutput!, ...results.results!.additionalOutputs];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sdk-download-'));
    try {
      for (const artifact of outputs) {
        const file = await client.downloadArtifact(submitted.jobId, artifact, dir);
        expect(path.basename(file).startsWith(`sdk-statistics-${submitted.jobId.slice(0, 8)}-`)).toBe(true);
        expect(statSync(file).size).toBe(artifact.sizeBytes);
      }
      expect(readdirSync(dir).filter((name) => name.endsWith('.part'))).toEqual([]);
      expect(readdirSync(dir).filter((name) => name.endsWith('-analysis-report.html'))).toEqual([
        `sdk-statistics-${submitted.jobId.slice(0, 8)}-analysis-report.html`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const list = await client.listJobs({ status: 'Completed', pageSize: 100 });
    expect(schemas.errors('JobListDto', list)).toEqual([]);
    expect(list.jobs.map((j) => j.jobId)).toContain(submitted.jobId);
    const history = await client.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/history', {
      params: { path: { tenantId: TENANT, projectId: PROJECT, jobId: submitted.jobId } },
    });
    expect(schemas.errors('JobHistoryDto', history.data)).toEqual([]);
    expect(history.data!.events[0]!.metadata.actor).toBe('sdk-user');
    expect(schemas.errors('SystemStatusDto', await client.systemStatus())).toEqual([]);
  });

  it('types the detailed results of every job type and the history of each job as the document declares', async () => {
    const client = sdk();
    const expectedPath = ['register request', 'examine casually', 'check ticket', 'decide', 'pay compensation'];
    const analyses = ['statistics', 'variants', 'performance', 'bottlenecks', 'conformance', 'resources', 'discovery'];
    const jobs: Array<Pick<SubmitJobRequest, 'jobType'> & { parameters: Record<string, unknown> }> = [
      {
        jobType: 'ProcessMining', parameters: {
          analysisType: 'comprehensive', includeAnomalyDetection: true, includeProcessVariants: true, generateInsights: true,
          performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'],
        },
      },
      { jobType: 'ProcessMining', parameters: { analysisType: 'conformance' } },
      { jobType: 'ProcessMining', parameters: { analysisType: 'discovery', discovery: { algorithm: 'inductive' } } },
      { jobType: 'DataEnrichment', parameters: {} },
      {
        jobType: 'Notebook', parameters: {
          cells: [{ type: 'calc.caseCount' }, { type: 'filter.activityPresent', activity: 'pay compensation' }, { type: 'calc.variantTable', top: 5 }],
        },
      },
      ...analyses.map((analysisType) => ({ jobType: 'Analysis' as const, parameters: { analysisType } })),
      { jobType: 'Analysis', parameters: { analysisType: 'conformance', expectedPath } },
    ];
    const submitted = await Promise.all(jobs.map(({ jobType, parameters }) => client.submit({
      ...statisticsJob(fixture.datasetId), jobName: `SDK ${jobType} ${String(parameters['analysisType'] ?? '')}`, jobType,
      parameters: { datasetId: fixture.datasetId, ...parameters } as SubmitJobRequest['parameters'],
    })));
    const sections = new Set<string>();
    for (const { jobId } of submitted) {
      expect(await client.waitForCompletion(jobId, { intervalMs: 200 })).toMatchObject({ status: 'Completed' });
      const results = await client.getResults(jobId, { format: 'detailed' });
      expect({ jobId, errors: schemas.errors('JobResultsDto', results) }).toEqual({ jobId, errors: [] });
      for (const key of Object.keys(results.figures ?? {})) sections.add(key);
      const history = await client.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/history', {
        params: { path: { tenantId: TENANT, projectId: PROJECT, jobId } },
      });
      expect({ jobId, errors: schemas.errors('JobHistoryDto', history.data) }).toEqual({ jobId, errors: [] });
      expect(history.data!.events.map((e) => e.type)).toEqual(expect.arrayContaining(['JobSubmitted', 'JobStarted', 'JobCompleted']));
    }
    const declared = Object.keys(DOCUMENT.components.schemas.JobResultsDto.properties.figures.properties);
    expect([...sections].filter((key) => !declared.includes(key))).toEqual([]);

    const results = await client.getResults(submitted[0]!.jobId, { format: 'detailed' });
    const completed = (await client.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/history', {
      params: { path: { tenantId: TENANT, projectId: PROJECT, jobId: submitted[0]!.jobId } },
    })).data!;
    const started = completed.events.find((e) => e.type === 'JobStarted');
    if (started?.type !== 'JobStarted') throw new Error('no JobStarted event');
    expect(started.data.nodeId).toEqual(expect.any(String));
    // A declaration that is wrong about the engine's figures or an event's data fails these checks.
    expect(schemas.errors('JobResultsDto', { ...results, figures: { ...results.figures, dfg: { ...results.figures!.dfg, edges: 3 } } })).not.toEqual([]);
    expect(schemas.errors('JobHistoryDto', { ...completed, events: [{ ...started, data: { ...started.data, startedAt: 7 } }] })).not.toEqual([]);
  });

  it('uploads a dataset from a file with progress', async () => {
    const progress: number[] = [];
    const dataset = await sdk().uploadDataset(RUNNING_EXAMPLE_CSV, { name: 'streamed', onProgress: ({ bytesSent }) => progress.push(bytesSent) });
    expect(schemas.errors('DatasetDto', dataset)).toEqual([]);
    expect(dataset).toMatchObject({ name: 'streamed', rowCount: 42, cases: 6 });
    expect(progress.at(-1)).toBe(statSync(RUNNING_EXAMPLE_CSV).size);
  });

  it('schedules a job with a typed scheduledTime, cancels it, and stops waiting when its signal aborts', async () => {
    const client = sdk();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const submitted = await client.submit(statisticsJob(fixture.datasetId, { scheduling: { scheduledTime: later, timeoutMinutes: 10 } }));
    expect(submitted.scheduledTime).toBe(later);
    const abort = new AbortController();
    const waiting = client.waitForCompletion(submitted.jobId, { intervalMs: 50, signal: abort.signal, onProgress: () => abort.abort() });
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    const cancelled = await client.cancel(submitted.jobId, { reason: 'not needed' });
    expect(schemas.errors('CancelJobResponseDto', cancelled)).toEqual([]);
    expect(cancelled.status).toBe('Cancelled');
    expect(cancelled.cancellation).toMatchObject({ reason: 'not needed', forceTermination: false });
    expect(cancelled.scheduling.scheduledTime).toBe(later);
    const retried = await client.retry(submitted.jobId, { retryReason: 'later again' });
    await client.cancel(retried.jobId);
    const history = await client.api.GET('/api/{tenantId}/{projectId}/execution/job/{jobId}/history', {
      params: { path: { tenantId: TENANT, projectId: PROJECT, jobId: submitted.jobId } },
    });
    expect(schemas.errors('JobHistoryDto', history.data)).toEqual([]);
    expect(history.data!.events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobCancellationRequested', 'JobCancelled', 'JobRetried']);
  });

  it('throws the service\'s error with the fields it names', async () => {
    const error = await sdk().submit({ ...statisticsJob(fixture.datasetId), jobName: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PmJobsApiError);
    expect((error as PmJobsApiError).status).toBe(400);
    expect((error as PmJobsApiError).body?.errors?.map((e) => e.field)).toContain('jobName');
    expect(schemas.errors('ApiErrorDto', (error as PmJobsApiError).body)).toEqual([]);
    const missing = await sdk().getJob('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
  });
});
