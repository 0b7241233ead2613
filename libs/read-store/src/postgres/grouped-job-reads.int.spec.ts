/**
 * Status reads of concurrent requests share statements (GroupedJobReads) on PGlite and the
 * PostgreSQL server: each request still gets its own job, only within its tenant and
 * project, as of a read that started after the request, and the queue positions a
 * one-job-at-a-time read gives.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import { decide, evolve, type JobCommand, type JobState } from '../../../job-domain/src/index.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { QUEUE_POSITION } from './job-read-store.schema.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { writeJobDocuments } from './write-job-documents.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const AGING = 600;

function run(state: JobState | null, command: JobCommand, at: string): JobState {
  let next = state;
  for (const event of decide(command, state)) next = evolve(next, event, (next?.revision ?? -1) + 1, at);
  return next!;
}

function submitted(tenantId: string, projectId: string, i: number): JobState {
  const jobId = randomUUID();
  const submittedAt = new Date(Date.UTC(2024, 4, 6) + i * 1000).toISOString();
  return run(null, { kind: 'SubmitJob', submission: {
    jobId, tenantId, projectId, jobName: `job ${i}`, jobDescription: '',
    jobType: 'Analysis', priority: i % 3 === 0 ? 'High' : 'Normal',
    resource: { resourceType: 'dataset', resourceId: jobId, resourceName: 'orders.csv' }, parameters: {},
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: 'user', submittedAt, retryOf: null, attempt: 1,
  } }, submittedAt);
}

function describeGroupedReads(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`grouped status reads: ${name}`, () => {
    let subject: { sql: SqlClient; cleanup(): Promise<void> };
    let store: PostgresJobReadStore;
    const tenants = [randomUUID(), randomUUID()];
    const projects = [randomUUID(), randomUUID()];
    const jobs: JobState[] = [];
    beforeAll(async () => {
      subject = await open!();
      store = new PostgresJobReadStore(subject.sql, AGING);
      await store.migrate();
      for (let i = 0; i < 40; i++) jobs.push(submitted(tenants[i % 2], projects[(i >> 1) % 2], i));
      await subject.sql.transaction((tx) => writeJobDocuments(tx, jobs, AGING));
    });
    afterAll(() => subject?.cleanup());

    it('answers each of many concurrent requests with its own job, and nothing outside its tenant and project', async () => {
      const asked = jobs.flatMap((job) => [
        { tenantId: job.tenantId, projectId: job.projectId, jobId: job.jobId, expected: job.jobId as string | null },
        { tenantId: job.tenantId === tenants[0] ? tenants[1] : tenants[0], projectId: job.projectId, jobId: job.jobId, expected: null },
        { tenantId: job.tenantId, projectId: job.projectId === projects[0] ? projects[1] : projects[0], jobId: job.jobId, expected: null },
        { tenantId: job.tenantId, projectId: job.projectId, jobId: randomUUID(), expected: null },
      ]);
      const answers = await Promise.all(asked.map((a) => store.getJob(a.tenantId, a.projectId, a.jobId)));
      expect(answers.map((doc) => doc?.jobId ?? null)).toEqual(asked.map((a) => a.expected));
      expect(answers.filter((doc) => doc !== null).every((doc, i) => doc!.revision === jobs[i].revision)).toBe(true);
    });

    it('sees a write committed before the request, while other reads are in flight', async () => {
      const job = jobs[0];
      const started = run(job, { kind: 'StartJob', nodeId: 'node-1', at: '2024-06-01T00:00:00.000Z' }, '2024-06-01T00:00:00.000Z');
      const busy = Array.from({ length: 50 }, (_, i) => store.getJob(jobs[i % jobs.length].tenantId, jobs[i % jobs.length].projectId, jobs[i % jobs.length].jobId));
      await subject.sql.transaction((tx) => writeJobDocuments(tx, [started], AGING));
      const [seen] = await Promise.all([store.getJob(job.tenantId, job.projectId, job.jobId), ...busy]);
      expect(seen?.status).toBe('Running');
      expect(seen?.revision).toBe(started.revision);
    });

    it('gives the queue positions that reading each job alone gives', async () => {
      const now = new Date('2024-06-02T00:00:00.000Z');
      const queued = jobs.slice(1);
      const alone: (number | null)[] = [];
      for (const job of queued) {
        const rows = await subject.sql.query<{ position: string | number }>(QUEUE_POSITION, [now.toISOString(), AGING, null, [job.jobId]]);
        alone.push(rows.length ? Number(rows[0].position) : null);
      }
      const grouped = await Promise.all(queued.map((job) => store.queuePosition(job.jobId, now)));
      expect(grouped).toEqual(alone);
      expect(new Set(grouped).size).toBe(queued.length); // every queued job has a place of its own
      expect(await store.queuePosition(jobs[0].jobId, now)).toBeNull(); // running: no place
    });
  });
}

describeGroupedReads('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});
const server = await resolveTestPostgres('grouped status reads suite');
describeGroupedReads('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'grouped_reads')));
