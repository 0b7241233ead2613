/**
 * Async operations over HTTP: the built API process on PostgreSQL, running jobs in its own
 * job runner processes, and a real receiver on 127.0.0.1 for the callbacks (opened by
 * WEBHOOK_ALLOWED_HOSTS). An operation with callbacks and its own retry policy has its first
 * attempt's job process killed (RunnerCrashed, retryable): the retry is due exactly the
 * policy's delay after the failure (read from the history), the operation shows Retrying (never
 * Failed) meanwhile, completes, and its onProgress and onCompletion callbacks arrive signed
 * (checked with the standardwebhooks library) while onError gets nothing, and its Slack message
 * reaches SLACK_WEBHOOK_URL (the same receiver). Plus the 400s (a second API process without
 * SLACK_WEBHOOK_URL refuses notifications.slack), tenant isolation, the OpenAPI document and a
 * cancelled operation's onError.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { holdRunnerOnceItHas, projectArtifactsFolder } from '../support/job-runner-processes.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const server = await resolveTestPostgres('async operations end-to-end suite');
const secret = `whsec_${randomBytes(32).toString('base64')}`;
/** Events of the generated log: a run of a few seconds, long enough to kill its process mid-run. */
const CASES = 40_000;
const EVENTS_PER_CASE = 20;

(server ? describe : describe.skip)('async operations on PostgreSQL', () => {
  const schema = randomSchemaName('e2e_async_ops');
  const tenant = randomUUID();
  const project = randomUUID();
  const otherProject = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let service: ServiceProcess;
  /** A second API on the same store, without SLACK_WEBHOOK_URL. */
  let withoutSlack: ServiceProcess;
  let receiver: WebhookReceiver;
  let token: string;
  let datasetId: string;
  let logDir: string;
  const call = (method: string, url: string, body?: unknown, as = token) => api(service.url, as, method, `${base}${url}`, body);
  const operation = async (operationId: string) => (await call('GET', `/async/operation/${operationId}`)).body;
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    service = await startServiceProcess({
      DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '1', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      NOTIFICATION_SEND_INTERVAL_MS: '200', OPERATION_PROGRESS_CALLBACK_SECONDS: '1', SLACK_WEBHOOK_URL: `${receiver.url}/slack`,
    });
    withoutSlack = await startServiceProcess({
      DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    token = await service.token(tenant, [project, otherProject]);
    logDir = mkdtempSync(path.join(os.tmpdir(), 'async-op-log-'));
    const file = path.join(logDir, 'log.csv');
    await writeGeneratedEventLog(file, CASES, EVENTS_PER_CASE);
    datasetId = await uploadDataset(service, token, base, file);
  }, 90_000);

  afterAll(async () => {
    await withoutSlack?.stop();
    if (withoutSlack) removeDataDir(withoutSlack.dataDir);
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    await receiver?.close();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    if (server) await dropSchema(server.url, schema).catch(() => undefined);
  });

  /** Waits for the job to run, then kills the job process computing it. */
  async function crashWhileRunning(jobId: string): Promise<void> {
    await waitFor(async () => {
      const job = (await call('GET', `/execution/job/${jobId}`)).body;
      if (['Completed', 'Failed', 'Cancelled'].includes(job.status)) throw new Error(`job ended ${job.status} before its process was killed`);
      return job.status === 'Running';
    }, 30_000, 20, `job ${jobId} to run`);
    // Once its runner has it (held there, so a fast engine cannot finish it first).
    process.kill(await holdRunnerOnceItHas(service.process.pid!, projectArtifactsFolder(service.dataDir, tenant, project), jobId), 'SIGKILL');
  }

  it('refuses bad operations, retry policies and callbacks with a 400 naming each field', async () => {
    const unknown = await call('POST', '/async/operation', { operationType: 'Magic', operationName: 'x', parameters: { datasetId } });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['operationType']);
    expect(JSON.stringify(unknown.body)).toContain('ProcessMiningAnalysis, ProcessDiscovery');

    const policy = await call('POST', '/async/operation', {
      operationType: 'ProcessMiningAnalysis', operationName: 'x', parameters: { datasetId }, timeout: 0,
      retryPolicy: { maxRetries: 10, retryDelay: 0, backoffMultiplier: 11 },
    });
    expect(policy.status).toBe(400);
    expect(fieldsOf(policy.body).sort()).toEqual(['retryPolicy.backoffMultiplier', 'retryPolicy.maxRetries', 'retryPolicy.retryDelay', 'timeout']);

    const fields = await call('POST', '/async/operation', {
      operationType: 'ProcessDiscovery', operationName: 'x',
      parameters: { datasetId, analysisType: 'performance', algorithmSettings: { speed: 'max' }, outputOptions: { exportFormats: ['docx'] } },
      callbacks: { onCompletion: 'http://10.1.2.3/done', onError: 'ftp://127.0.0.1/x', secret: 'not-a-secret' },
    });
    expect(fields.status).toBe(400);
    expect(fieldsOf(fields.body).sort()).toEqual([
      'callbacks.onCompletion', 'callbacks.onError', 'callbacks.secret',
      'parameters.algorithmSettings.speed', 'parameters.analysisType', 'parameters.outputOptions.exportFormats',
    ]);
    expect(JSON.stringify(fields.body)).not.toContain('not-a-secret');

    // Where SLACK_WEBHOOK_URL is not set, a Slack message cannot be promised.
    const slack = await api(withoutSlack.url, token, 'POST', `${base}/async/operation`, {
      operationType: 'StatisticalAnalysis', operationName: 'x', parameters: { datasetId }, notifications: { slack: { channel: '#mining' } },
    });
    expect(slack.status).toBe(400);
    expect(fieldsOf(slack.body)).toEqual(['notifications.slack']);

    const job = (body: Record<string, unknown>) => call('POST', '/execution/job', {
      jobName: 'policy', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' }, ...body,
    });
    const tooMany = await job({ retryPolicy: { maxRetries: 12 } });
    expect(tooMany.status).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual(['retryPolicy.maxRetries']);
    const disagree = await job({ scheduling: { maxAttempts: 2 }, retryPolicy: { maxRetries: 3 } });
    expect(disagree.status).toBe(400);
    expect(fieldsOf(disagree.body)).toEqual(['retryPolicy.maxRetries']);
    const accepted = await job({ retryPolicy: { maxRetries: 4, retryDelay: 90 }, scheduling: { executeImmediately: true, timeoutMinutes: 30 } });
    expect(accepted.status).toBe(201);
    const status = (await call('GET', `/execution/job/${accepted.body.jobId}`)).body;
    expect(status.scheduling).toMatchObject({ maxAttempts: 5, timeoutMinutes: 30, retryPolicy: { maxRetries: 4, retryDelay: 90, backoffMultiplier: 2 } });

    const viewer = await service.token(tenant, [project], 'viewer', ['viewer']);
    const forbidden = await call('POST', '/async/operation', { operationType: 'StatisticalAnalysis', operationName: 'x', parameters: { datasetId } }, viewer);
    expect(forbidden.status).toBe(403);
  });

  it('shows an operation only in its own tenant and project, and only under its op- id', async () => {
    const started = await call('POST', '/async/operation', { operationType: 'StatisticalAnalysis', operationName: 'Scoped', parameters: { datasetId } });
    expect(started.status).toBe(202);
    const { operationId, jobId } = started.body;
    expect((await call('GET', `/async/operation/${operationId}`)).status).toBe(200);
    expect((await call('GET', `/async/operation/${operationId.toUpperCase().replace('OP-', 'op-')}`)).status).toBe(200);

    const otherTenant = randomUUID();
    const stranger = await service.token(otherTenant, ['*']);
    expect((await api(service.url, stranger, 'GET', `/api/${otherTenant}/${project}/async/operation/${operationId}`)).status).toBe(404);
    expect((await api(service.url, stranger, 'GET', `${base}/async/operation/${operationId}`)).status).toBe(404);
    expect((await api(service.url, token, 'GET', `/api/${tenant}/${otherProject}/async/operation/${operationId}`)).status).toBe(404);

    const plain = await call('POST', '/execution/job', { jobName: 'plain', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' } });
    expect((await call('GET', `/async/operation/op-${plain.body.jobId}`)).status).toBe(404);
    expect((await call('GET', `/async/operation/op-${randomUUID()}`)).status).toBe(404);
    // The same Idempotency-Key starts the same operation once (and names another job than a job submit's key).
    const keyed = () => api(service.url, token, 'POST', `${base}/async/operation`, {
      operationType: 'StatisticalAnalysis', operationName: 'Keyed', parameters: { datasetId },
    }, { 'Idempotency-Key': 'quarter-1' });
    const [once, twice] = [await keyed(), await keyed()];
    expect([once.status, twice.status]).toEqual([202, 202]);
    expect(twice.body.operationId).toBe(once.body.operationId);
    const sameKeyJob = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'keyed job', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
    }, { 'Idempotency-Key': 'quarter-1' });
    expect(sameKeyJob.status).toBe(201);
    expect(sameKeyJob.body.jobId).not.toBe(once.body.jobId);

    const malformed = await call('GET', `/async/operation/${jobId}`);
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.body)).toEqual(['operationId']);
  });

  it('documents both endpoints in the OpenAPI document with typed schemas, and retryPolicy on the job submit', async () => {
    const doc = (await api(service.url, null, 'GET', '/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/{tenantId}/{projectId}/async/operation', '/api/{tenantId}/{projectId}/async/operation/{operationId}',
    ]));
    const operationPath = doc.paths['/api/{tenantId}/{projectId}/async/operation'].post;
    expect(operationPath.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/StartOperationRequestDto');
    expect(operationPath.responses['202'].content['application/json'].schema.$ref).toBe('#/components/schemas/StartOperationResponseDto');
    const schemas = doc.components.schemas;
    expect(schemas.StartOperationRequestDto.properties.operationType.enum).toContain('ProcessMiningAnalysis');
    expect(schemas.StartOperationRequestDto.properties.retryPolicy.$ref ?? schemas.StartOperationRequestDto.properties.retryPolicy.allOf?.[0]?.$ref)
      .toBe('#/components/schemas/RetryPolicyDto');
    expect(Object.keys(schemas.RetryPolicyDto.properties).sort()).toEqual(['backoffMultiplier', 'maxRetries', 'retryDelay']);
    expect(Object.keys(schemas.SubmitJobRequestDto.properties)).toContain('retryPolicy');
    expect(schemas.OperationStatusDto.properties.status.enum).toEqual(['Initiated', 'Running', 'Retrying', 'Completed', 'Failed', 'Cancelled']);
  });

  it('retries a failed attempt after the policy\'s delay, completes, and posts signed progress and completion callbacks', async () => {
    const started = await call('POST', '/async/operation', {
      operationType: 'ProcessMiningAnalysis', operationName: 'Crashes once', operationDescription: 'first attempt killed', priority: 'High',
      parameters: {
        datasetId, includeAnomalyDetection: true,
        algorithmSettings: { algorithm: 'inductive-infrequent', noiseThreshold: 0.2 },
        outputOptions: { generateReports: true, createVisualizations: true, exportFormats: ['html', 'svg'] },
      },
      callbacks: { onProgress: `${receiver.url}/progress`, onCompletion: `${receiver.url}/done`, onError: `${receiver.url}/error`, secret },
      notifications: { slack: { channel: '#mining', mentionUsers: ['U024BE7LH'] } },
      timeout: 600,
      retryPolicy: { maxRetries: 2, retryDelay: 3, backoffMultiplier: 2 },
    });
    expect(started.status).toBe(202);
    const { operationId, jobId: firstJobId } = started.body;
    const trackingUrl = `${base}/async/operation/${operationId}`;
    expect(operationId).toBe(`op-${firstJobId}`);
    expect(started.body).toMatchObject({
      operationType: 'ProcessMiningAnalysis', operationName: 'Crashes once', status: 'Initiated', trackingUrl, webhooksRegistered: 3,
      // A fresh tenant has no measured runs: nothing to estimate from.
      estimatedDuration: null, estimatedCompletion: null,
    });
    expect(started.headers.get('location')).toBe(trackingUrl);
    const first = (await call('GET', `/execution/job/${firstJobId}`)).body;
    expect(first.parameters.discovery).toEqual({ algorithm: 'inductive-infrequent', noiseThreshold: 0.2 });
    expect(first.scheduling).toMatchObject({ timeoutMinutes: 10, maxAttempts: 3 });
    expect(first.notifications.callbacks).toEqual({
      onProgress: `${receiver.url}/progress`, onCompletion: `${receiver.url}/done`, onError: `${receiver.url}/error`, secretSet: true,
    });
    expect(JSON.stringify(first)).not.toContain(secret);

    await crashWhileRunning(firstJobId);
    const retrying = await waitFor(async () => {
      const op = await operation(operationId);
      expect(op.status).not.toBe('Failed');
      return op.status === 'Retrying' && op.attempts.nextRetryAt ? op : null;
    }, 30_000, 50, 'the operation to wait for its retry');
    expect(retrying.attempts).toMatchObject({ current: 1, maxAttempts: 3 });
    expect(retrying.attempts.history[0].error).toMatchObject({ category: 'RunnerCrashed', retryable: true });

    const done = await waitFor(async () => {
      const op = await operation(operationId);
      if (op.status === 'Failed' || op.status === 'Cancelled') throw new Error(`operation ended ${op.status}: ${JSON.stringify(op.error)}`);
      return op.status === 'Completed' ? op : null;
    }, 90_000, 100, 'the operation to complete');
    expect(done.attempts).toMatchObject({ current: 2, maxAttempts: 3, nextRetryAt: null });
    expect(done.attempts.history.map((a: { status: string }) => a.status)).toEqual(['Failed', 'Completed']);
    expect(done.attempts.history[0].jobId).toBe(firstJobId);
    const retryJobId: string = done.jobId;
    expect(done).toMatchObject({
      operationName: 'Crashes once', operationDescription: 'first attempt killed', priority: 'High', jobStatus: 'Completed',
      retryPolicy: { maxRetries: 2, retryDelay: 3, backoffMultiplier: 2 }, timeout: 600, error: null, webhooksRegistered: 3,
      progress: { percentage: 100, currentStage: 'Completed' },
    });
    expect(done.results.resultsUrl).toBe(`${base}/execution/job/${retryJobId}/results`);
    expect(done.results.artifacts.length).toBeGreaterThan(0);
    for (const artifact of done.results.artifacts) expect(['html', 'svg']).toContain(artifact.format);

    // The retry was due exactly retryDelay after the failure was handled, and opened no sooner.
    const history = (await call('GET', `/execution/job/${firstJobId}/history`)).body.events as { type: string; data: any }[];
    const failed = history.find((e) => e.type === 'JobFailed')!;
    const scheduled = history.find((e) => e.type === 'JobRetryScheduled')!;
    expect(scheduled.data).toMatchObject({ attempt: 2, maxAttempts: 3, delaySeconds: 3 });
    expect(Date.parse(scheduled.data.nextRetryAt) - Date.parse(scheduled.data.scheduledAt)).toBe(3000);
    expect(Date.parse(scheduled.data.scheduledAt)).toBeGreaterThanOrEqual(Date.parse(failed.data.failedAt));
    const retry = (await call('GET', `/execution/job/${retryJobId}`)).body;
    expect(retry).toMatchObject({ retryOf: firstJobId, attempt: 2 });
    expect(Date.parse(retry.dateCreated)).toBeGreaterThanOrEqual(Date.parse(scheduled.data.nextRetryAt));

    const [completion] = await waitFor(() => receiver.to('/done').length > 0 && receiver.to('/done'), 30_000, 50, 'the onCompletion callback');
    expect(() => new Webhook(secret).verify(completion.body, completion.headers as Record<string, string>)).not.toThrow();
    expect(completion.json).toMatchObject({
      type: 'operation.completed',
      data: {
        operationId, operationType: 'ProcessMiningAnalysis', operationName: 'Crashes once', status: 'Completed', jobId: retryJobId,
        attempt: 2, maxAttempts: 3, trackingUrl, resultsUrl: `${base}/execution/job/${retryJobId}/results`, error: null,
      },
    });
    const progress = await waitFor(() => {
      const posts = receiver.to('/progress');
      return posts.some((p) => p.json.data.status === 'Completed') && posts;
    }, 30_000, 50, 'the final onProgress callback');
    for (const post of progress) {
      expect(() => new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).not.toThrow();
      expect(post.json).toMatchObject({ type: 'operation.progress', data: { operationId } });
    }
    expect(new Set(progress.map((p) => p.headers['webhook-id'])).size).toBe(progress.length);
    const final = progress.filter((p) => p.json.data.status === 'Completed');
    expect(final).toHaveLength(1);
    expect(final[0].json.data).toMatchObject({ jobId: retryJobId, progress: { percentage: 100, currentStage: 'Completed' } });
    // The first attempt's failure was followed by a retry: not an error of the operation.
    expect(receiver.to('/error')).toHaveLength(0);
    const [slack] = await waitFor(() => receiver.to('/slack').length > 0 && receiver.to('/slack'), 30_000, 50, 'the Slack message');
    expect(receiver.to('/slack')).toHaveLength(1);
    expect(slack.json).toMatchObject({ channel: '#mining' });
    expect(String((slack.json as unknown as { text: string }).text)).toMatch(new RegExp(`^<@U024BE7LH> Operation "Crashes once" \\(ProcessMiningAnalysis, ${operationId}\\) completed after 2 attempt`));

    const deliveries = (await call('GET', `/execution/job/${retryJobId}`)).body.notifications.deliveries as { channel: string; event: string; signed: boolean }[];
    expect(deliveries.filter((d) => d.event === 'operation.completed')).toEqual([expect.objectContaining({ channel: 'callback', signed: true })]);
  }, 180_000);

  it('a cancelled operation posts operation.cancelled to onError (unsigned without a secret) and shows Cancelled', async () => {
    const started = await call('POST', '/async/operation', {
      operationType: 'StatisticalAnalysis', operationName: 'Cancelled', parameters: { datasetId },
      callbacks: { onCompletion: `${receiver.url}/cancel-done`, onError: `${receiver.url}/cancel-error` },
    });
    expect(started.status).toBe(202);
    expect(started.body.webhooksRegistered).toBe(2);
    const cancel = await call('DELETE', `/execution/job/${started.body.jobId}`, { reason: 'not needed', forceTermination: true });
    expect(cancel.status).toBe(200);
    const op = await waitFor(async () => {
      const o = await operation(started.body.operationId);
      return o.status === 'Cancelled' ? o : null;
    }, 30_000, 100, 'the operation to be cancelled');
    expect(op).toMatchObject({ results: null, error: null, callbacks: { secretSet: false } });
    const [post] = await waitFor(() => receiver.to('/cancel-error').length > 0 && receiver.to('/cancel-error'), 30_000, 50, 'the onError callback');
    expect(post.json).toMatchObject({ type: 'operation.cancelled', data: { operationId: started.body.operationId, status: 'Cancelled' } });
    expect(post.headers['webhook-signature']).toBeUndefined();
    expect(receiver.to('/cancel-done')).toHaveLength(0);
  });
});
