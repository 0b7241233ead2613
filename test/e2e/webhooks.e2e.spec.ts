/**
 * Webhooks end to end: an API process and a separate worker process on one PostgreSQL
 * schema, a real HTTP receiver on 127.0.0.1 (which the processes' WEBHOOK_ALLOWED_HOSTS
 * opens explicitly). The receiver checks signatures with the standardwebhooks library; the
 * job status shows the deliveries and never the secret.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('webhooks end-to-end suite');
const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
const secret = `whsec_${randomBytes(32).toString('base64')}`;

(server ? describe : describe.skip)('webhooks across an API and a worker process', () => {
  const schema = randomSchemaName('e2e_webhooks');
  let service: ServiceProcess;
  let worker: WorkerProcess;
  let receiver: WebhookReceiver;
  let token: string;
  let datasetId: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const env = { DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', NOTIFICATION_SEND_INTERVAL_MS: '200' };
    service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0', NODE_ID: 'webhooks-api' });
    worker = await startWorkerProcess('webhooks-worker', { ...env, DATA_DIR: service.dataDir });
    token = await service.token(tenant, [project], 'analyst');
    datasetId = await uploadDataset(service, token, base);
  });

  afterAll(async () => {
    await worker?.stop();
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    await receiver?.close();
    if (server) await dropSchema(server.url, schema);
  });

  const submit = (body: Record<string, unknown>) => api(service.url, token, 'POST', `${base}/execution/job`, {
    jobName: 'Webhook job', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' }, ...body,
  });
  const statusOf = async (jobId: string) => (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;

  it('a completed job posts job.completed, signed, and its status shows the delivery (and never the secret)', async () => {
    const submitted = await submit({ notifications: { webhooks: [{ url: `${receiver.url}/done`, secret }] } });
    expect(submitted.status).toBe(201);
    const jobId: string = submitted.body.jobId;
    const job = await waitFor(async () => {
      const status = await statusOf(jobId);
      return status.notifications.deliveries?.[0]?.status === 'delivered' ? status : null;
    }, 60_000, 100, 'the webhook delivery');

    const [post] = receiver.to('/done');
    expect(receiver.to('/done')).toHaveLength(1);
    expect(() => new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).not.toThrow();
    expect(post.json).toMatchObject({
      type: 'job.completed',
      data: { tenantId: tenant, projectId: project, jobId, jobName: 'Webhook job', jobType: 'Analysis', status: 'Completed', error: null },
    });
    expect(post.json.data.resultsUrl).toBe(`${base}/execution/job/${jobId}/results`);
    expect(post.json.data.recordsProcessed).toBe(job.metrics.recordsProcessed);

    expect(job.status).toBe('Completed');
    expect(job.notifications).toMatchObject({
      onCompletion: false, onFailure: false, onCancellation: false, emailRecipients: [],
      webhooks: [{ url: `${receiver.url}/done`, secretSet: true }],
    });
    expect(job.notifications.deliveries).toEqual([expect.objectContaining({
      channel: 'webhook', target: `${receiver.url}/done`, recipientCount: null, signed: true, event: 'job.completed', status: 'delivered',
      attempts: 1, lastResponseStatus: 204, lastError: null, nextAttemptAt: null,
    })]);
    expect(job.notifications.deliveries[0].attemptLog).toEqual([expect.objectContaining({ responseStatus: 204, error: null })]);
    expect(post.headers['webhook-id']).toBeTruthy();
    expect(job.notificationDelivery).toBeUndefined(); // no e-mail recipients
    const secretPart = secret.slice('whsec_'.length);
    expect(JSON.stringify(job)).not.toContain(secretPart);
    const list = await api(service.url, token, 'GET', `${base}/execution/jobs`);
    expect(JSON.stringify(list.body)).not.toContain(secretPart);
    expect(worker.output() + service.output()).not.toContain(secretPart);
  });

  it('a cancelled job posts job.cancelled', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const submitted = await submit({ scheduling: { scheduledTime: later }, notifications: { webhooks: [{ url: `${receiver.url}/cancelled` }] } });
    expect(submitted.status).toBe(201);
    const jobId: string = submitted.body.jobId;
    const cancelled = await api(service.url, token, 'DELETE', `${base}/execution/job/${jobId}`, { reason: 'not needed' });
    expect(cancelled.status).toBe(200);
    await waitFor(() => receiver.to('/cancelled').length > 0, 30_000, 100, 'the job.cancelled message');
    const [post] = receiver.to('/cancelled');
    expect(post.json).toMatchObject({ type: 'job.cancelled', data: { jobId, status: 'Cancelled', cancellation: { reason: 'not needed' } } });
    expect(post.headers['webhook-signature']).toBeUndefined();
    const status = await waitFor(async () => {
      const s = await statusOf(jobId);
      return s.notifications.deliveries?.[0]?.status === 'delivered' ? s : null;
    }, 10_000, 100, 'the delivery to show');
    expect(status.notifications.deliveries[0]).toMatchObject({ event: 'job.cancelled', signed: false });
    expect(status.notifications.webhooks).toEqual([{ url: `${receiver.url}/cancelled`, secretSet: false }]);
  });

  it('refuses bad webhooks with a 400 naming each field', async () => {
    const res = await submit({
      notifications: {
        webhooks: [
          { url: 'ftp://hooks.example.com/x' },
          { url: 'http://169.254.169.254/latest/meta-data/' },
          { url: `${receiver.url}/ok`, secret: 'whsec_short' },
          { url: `${receiver.url}/ok`, secret: 'not-a-whsec-secret-at-all-really' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'notifications.webhooks[0].url', 'notifications.webhooks[1].url', 'notifications.webhooks[2].secret', 'notifications.webhooks[3].secret',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('not-a-whsec-secret');
    const notArray = await submit({ notifications: { webhooks: 'https://hooks.example.com' } });
    expect(notArray.status).toBe(400);
    expect(notArray.body.errors.map((e: { field: string }) => e.field)).toContain('notifications.webhooks');
    const notFlag = await submit({ notifications: { onCancellation: 'yes' } });
    expect(notFlag.status).toBe(400);
    expect(notFlag.body.errors.map((e: { field: string }) => e.field)).toEqual(['notifications.onCancellation']);
  });
});

(server ? describe : describe.skip)('webhooks with the default WEBHOOK_ALLOWED_HOSTS', () => {
  const schema = randomSchemaName('e2e_webhooks_default');
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startServiceProcess({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '0', NODE_ID: 'webhooks-default' });
  });

  afterAll(async () => {
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (server) await dropSchema(server.url, schema);
  });

  it('refuses loopback, private and metadata addresses at submit (400 naming the URL field)', async () => {
    const token = await service.token(tenant, [project], 'analyst');
    const datasetId = await uploadDataset(service, token, base);
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'Internal', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      notifications: { webhooks: [{ url: 'http://127.0.0.1:8080/hook' }, { url: 'http://10.0.0.5/hook' }, { url: 'http://[::1]/' }, { url: 'http://169.254.169.254/latest/meta-data/' }, { url: 'https://hooks.example.com/ok' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'notifications.webhooks[0].url', message: expect.stringContaining('loopback') },
      { field: 'notifications.webhooks[1].url', message: expect.stringContaining('private') },
      { field: 'notifications.webhooks[2].url', message: expect.stringContaining('loopback') },
      { field: 'notifications.webhooks[3].url', message: expect.stringContaining('link-local') },
    ]);
  });
});
