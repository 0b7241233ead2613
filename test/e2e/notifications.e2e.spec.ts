/**
 * Job notifications end to end: the real service process sends through a real SMTP
 * server on loopback, and the job's status reports the delivery.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { quietPeriod } from '../support/wait-for.js';

let smtp: SmtpCapture;
let received: SmtpCapture['received'];
let service: ServiceProcess;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  received = smtp.received;
  service = await startServiceProcess({ SMTP_URL: smtp.url, SMTP_FROM: 'jobs@example.test', NOTIFICATION_SEND_INTERVAL_MS: '200' });
});

afterAll(async () => {
  await service?.stop();
  if (service) removeDataDir(service.dataDir);
  await smtp?.close();
});

describe('job notifications', () => {
  it('emails the recipients when a job completes, and reports the delivery in its status', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project], 'analyst');
    const datasetId = await uploadDataset(service, token, base);
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'Notify me', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      notifications: { onCompletion: true, onFailure: true, emailRecipients: ['analyst@company.test', 'lead@company.test'] },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId;
    const done = await waitFor(async () => {
      const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
      return job.notificationDelivery?.[0]?.status === 'sent' ? job : null;
    }, 45_000, 200);
    expect(done.status).toBe('Completed');
    expect(done.notificationDelivery).toEqual([expect.objectContaining({ kind: 'completed', status: 'sent', attempts: 1 })]);
    const mails = received.filter((m) => m.data.includes(jobId));
    expect(mails).toHaveLength(1);
    expect(mails[0].to.sort()).toEqual(['analyst@company.test', 'lead@company.test']);
    expect(mails[0].data).toContain('Notify me');
    expect(mails[0].data).toContain('jobs@example.test');
  });

  it('sends nothing for a job without recipients', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project], 'analyst');
    const datasetId = await uploadDataset(service, token, base);
    const jobId = (await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'Quiet', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      notifications: { onCompletion: true, onFailure: true, emailRecipients: [] },
    })).body.jobId;
    const done = await waitFor(async () => {
      const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
      return job.status === 'Completed' ? job : null;
    }, 45_000);
    expect(done.notificationDelivery).toBeUndefined();
    // The subject is that nothing arrives: five send intervals (200 ms) without a message.
    await quietPeriod(1000);
    expect(received.filter((m) => m.data.includes(jobId))).toHaveLength(0);
  });
});
