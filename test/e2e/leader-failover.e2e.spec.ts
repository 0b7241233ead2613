/**
 * One active consumer per role across processes: two API processes and a worker on one
 * PostgreSQL schema. Each role (job projection, notifications, supervisor) is led by
 * exactly one process, as the server's lock table shows; when that process is killed
 * (SIGKILL) a follower takes every role over within seconds, and jobs and their e-mails
 * keep flowing: every job completes, every e-mail arrives exactly once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSqlClient, type SqlClient } from '../../libs/event-store/src/postgres/sql-client.js';
import { readRoleLeaders, type RoleLeader } from '../../libs/lifecycle/src/postgres-leader-election.js';
import { LEADER_ROLES } from '../../libs/lifecycle/src/leader-election.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('leader fail-over end-to-end suite');
const LEADER_CHECK_SECONDS = 1;


function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

(server ? describe : describe.skip)('leader fail-over between processes on PostgreSQL', () => {
  const schema = randomSchemaName('e2e_leaders');
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let smtp: SmtpCapture;
  let received: SmtpCapture['received'] = [];
  let filesDir: string;
  let observer: SqlClient;
  let apiA: ServiceProcess;
  let apiB: ServiceProcess;
  let worker: WorkerProcess;
  let token: string;
  let datasetId: string;

  const leaders = (): Promise<RoleLeader[]> => readRoleLeaders(observer);

  async function submit(service: ServiceProcess, name: string): Promise<{ jobId: string; ms: number }> {
    const startedAt = performance.now();
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: name, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      notifications: { onCompletion: true, onFailure: true, emailRecipients: ['owner@company.test'] },
    });
    const ms = performance.now() - startedAt;
    expect(res.status).toBe(201);
    // Read-your-writes on whichever process answered: the job is visible at once.
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${res.body.jobId}`)).status).toBe(200);
    return { jobId: res.body.jobId, ms };
  }

  async function completedWithMail(service: ServiceProcess, jobId: string) {
    return waitFor(async () => {
      const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
      if (['Failed', 'Cancelled'].includes(job.status)) throw new Error(`job ${jobId} ended ${job.status}`);
      return job.status === 'Completed' && job.notificationDelivery?.[0]?.status === 'sent' ? job : null;
    }, 60_000, 100, `job ${jobId} to complete and its e-mail to be sent`);
  }

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    received = smtp.received;
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'leaders-files-'));
    const env = {
      DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, FILES_DIR: filesDir, LEADER_CHECK_SECONDS: String(LEADER_CHECK_SECONDS),
      HEARTBEAT_SECONDS: '1', LEASE_SECONDS: '3', SMTP_URL: smtp.url,
      SMTP_FROM: 'jobs@example.test', NOTIFICATION_SEND_INTERVAL_MS: '200',
    };
    // The APIs run no job themselves: the worker runs them all.
    apiA = await startServiceProcess({ ...env, PGAPPNAME: 'api-a', EMBEDDED_WORKER_CAPACITY: '0' });
    apiB = await startServiceProcess({ ...env, PGAPPNAME: 'api-b', EMBEDDED_WORKER_CAPACITY: '0' });
    worker = await startWorkerProcess('leaders-node', { ...env, PGAPPNAME: 'worker', DATA_DIR: apiA.dataDir, WORKER_CAPACITY: '2' });
    observer = await openSqlClient({ kind: 'pg', connectionString: server!.url, schema });
    token = await apiA.token(tenant, [project]);
    datasetId = await uploadDataset(apiA, token, base);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await apiA?.stop('SIGKILL');
    await apiB?.stop();
    for (const service of [apiA, apiB]) if (service) removeDataDir(service.dataDir);
    await observer?.close();
    await dropSchema(server!.url, schema).catch(() => undefined);
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
    await smtp?.close();
  });

  it('leads each role in one process, fails over within seconds of a SIGKILL, and loses or repeats no job or e-mail', async () => {
    // The first process to start leads every role; the others follow.
    expect((await leaders()).map((l) => [l.role, l.applicationName])).toEqual([...LEADER_ROLES].sort().map((role) => [role, 'api-a']));
    expect(apiA.output()).toMatch(/leader: .* now leads job-projection/);
    expect(apiB.output()).not.toMatch(/now leads/);
    expect(worker.output()).not.toMatch(/now leads/);

    // Commands answered by the process leading the projection and by one that does not.
    const onLeader: number[] = [];
    const onFollower: number[] = [];
    const before: string[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await submit(apiA, `on the leader ${i}`);
      const b = await submit(apiB, `on a follower ${i}`);
      onLeader.push(a.ms);
      onFollower.push(b.ms);
      before.push(a.jobId, b.jobId);
    }
    console.log(`submit latency (read-your-writes included), median of 4: projection leader ${median(onLeader).toFixed(1)} ms, follower ${median(onFollower).toFixed(1)} ms`);
    for (const jobId of before) await completedWithMail(apiB, jobId);

    const killedAt = Date.now();
    await apiA.stop('SIGKILL');
    const taken = await waitFor(async () => {
      const now = await leaders();
      return now.every((l) => l.applicationName === 'api-b' || l.applicationName === 'worker') ? now : null;
    }, 15_000, 50, 'a follower to lead every role');
    const failOverMs = Date.now() - killedAt;
    console.log(`fail-over after SIGKILL of the leader: ${failOverMs} ms (${taken.map((l) => `${l.role}: ${l.applicationName}`).join(', ')})`);
    expect(failOverMs).toBeLessThan((LEADER_CHECK_SECONDS + 3) * 1000);

    const after: string[] = [];
    for (let i = 0; i < 4; i++) after.push((await submit(apiB, `after the fail-over ${i}`)).jobId);
    for (const jobId of after) await completedWithMail(apiB, jobId);

    for (const jobId of [...before, ...after]) {
      const mails = received.filter((m) => m.data.includes(jobId));
      expect(mails).toHaveLength(1);
      const job = (await api(apiB.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
      expect(job.notificationDelivery).toEqual([expect.objectContaining({ kind: 'completed', status: 'sent', attempts: 1 })]);
    }
    expect(received).toHaveLength(before.length + after.length);
    // One runner per consumer: no batch was refused for losing the checkpoint race.
    for (const output of [apiA.output(), apiB.output(), worker.output()]) expect(output).not.toContain('another runner moved the checkpoint');
  }, 180_000);
});
