/**
 * Job notifications end to end: the real service process sends through a real SMTP
 * server on loopback, and the job's status reports the delivery.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { quietPeriod } from '../support/wait-for.js';

interface ReceivedMail { readonly to: string[]; readonly data: string }

const received: ReceivedMail[] = [];
let smtp: SMTPServer;
let service: ServiceProcess;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  service = await startServiceProcess({ SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: 'jobs@example.test', NOTIFICATION_SEND_INTERVAL_MS: '200' });
});

afterAll(async () => {
  await service?.stop();
  if (service) removeDataDir(service.dataDir);
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
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
