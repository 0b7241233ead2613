/**
 * The job projection on a real store (PGlite in-process and the PostgreSQL server):
 * documents equal a fold of the streams, the checkpoint moves in the same transaction,
 * two runners never apply a batch twice, and a rebuild from 0 gives the same documents.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { comparePositions } from '../../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import { JobRepository, ProjectQueueRepository, type JobSubmittedData } from '../../../job-domain/src/index.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { JOB_PROJECTION, JobProjection } from '../projections/job-projection.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
const tenantId = randomUUID();
const projectId = randomUUID();

function submission(jobId: string, priority: JobSubmittedData['priority'], submittedAt: string): JobSubmittedData {
  return {
    jobId, tenantId, projectId, jobName: `job ${jobId.slice(0, 4)}`, jobDescription: null, jobType: 'Analysis', priority,
    resource: null, parameters: { datasetId: randomUUID() },
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 1 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: 'tester', submittedAt, retryOf: null, attempt: 1,
  };
}

/** Events of job streams in the store: what the projection folds. */
async function jobEventCount(events: PostgresEventStore): Promise<number> {
  return (await events.readAll({ maxCount: 100_000 })).filter((e) => e.streamId.startsWith('job-')).length;
}

/** `open` is null when the suite's server is absent (said loudly): its tests are reported skipped. */
function describeProjection(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`job projection on ${name}`, () => {
    let ctx: { sql: SqlClient; cleanup(): Promise<void> } | undefined;
    let events: PostgresEventStore;
    let store: PostgresJobReadStore;
    let repository: JobRepository;

    beforeAll(async () => {
      ctx = await open!();
      events = await createEventStoreOnClient(ctx.sql, { pollIntervalMs: 20 });
      store = new PostgresJobReadStore(ctx.sql, 600);
      await store.migrate();
      repository = new JobRepository(events);
    });
    afterAll(async () => {
      await events?.close();
      await ctx?.cleanup();
    });

    it('projects every job, keeps the checkpoint with the documents, and orders the queue', async () => {
      const t0 = Date.parse('2024-01-20T10:00:00Z');
      const ids: string[] = Array.from({ length: 30 }, () => randomUUID());
      const priorities = ['Low', 'Normal', 'High', 'Critical'] as const;
      let last = null;
      for (const [i, id] of ids.entries()) {
        last = await repository.execute(id, { kind: 'SubmitJob', submission: submission(id, priorities[i % 4], new Date(t0 + i * 1000).toISOString()) }, meta);
      }
      const started = await repository.execute(ids[0], { kind: 'StartJob', nodeId: 'n1', at: new Date(t0 + 60_000).toISOString() }, meta);
      // Two runners at once: each batch is applied by exactly one of them.
      const a = new JobProjection(events, store, { warn: () => undefined });
      const b = new JobProjection(events, store, { warn: () => undefined });
      await Promise.all([a.start(), b.start()]);
      expect(await a.waitFor(started.position!, 15_000)).toBe(true);
      expect(await b.waitFor(started.position!, 15_000)).toBe(true);
      await Promise.all([a.stop(), b.stop()]);
      // Each runner counts the events it folded in batches whose checkpoint it moved: together
      // exactly every event once (a batch applied twice would count its events twice).
      expect(a.jobEventsAppliedSinceRebuild + b.jobEventsAppliedSinceRebuild).toBe(await jobEventCount(events));
      expect(await jobEventCount(events)).toBe(ids.length + 1);
      expect(comparePositions(await store.loadCheckpoint(JOB_PROJECTION), last!.position!)).toBeGreaterThan(0);

      for (const id of ids) {
        const doc = await store.getJob(tenantId, projectId, id);
        expect(doc).toEqual(await repository.load(id));
      }
      const page = await store.listJobs({ tenantId, projectId }, { offset: 0, limit: 100 });
      expect(page.totalJobs).toBe(30);
      expect(page.countsByStatus).toMatchObject({ Queued: 29, Running: 1 });
      // Newest first.
      expect(page.jobs[0].jobId).toBe(ids[29]);
      const high = await store.listJobs({ tenantId, projectId, priority: 'High' }, { offset: 0, limit: 100 });
      expect(high.totalJobs).toBe(ids.filter((_, i) => i % 4 === 2).length);

      // Claim order: Critical first (FIFO), then High, ... (all submitted within 30 s, far less than one aging step).
      const queue = await store.nextQueuedJobs(new Date(t0 + 120_000), 100);
      const order = queue.filter((q) => ids.includes(q.jobId)).map((q) => q.priority);
      expect(order.slice(0, 7)).toEqual(Array(7).fill('Critical'));
      expect(order.at(-1)).toBe('Low');
      expect(await store.queuePosition(queue[0].jobId, new Date(t0 + 120_000))).toBe(1);
      // Another node's claim of a job that the read store still shows as queued fails on the revision.
      await expect(repository.execute(ids[0], { kind: 'StartJob', nodeId: 'n2', at: new Date().toISOString() }, meta, { retries: 0, known: (await store.getJob(tenantId, projectId, ids[1]))! })).rejects.toThrow();
    });

    it('projects a project queue\'s stream: paused jobs are skipped until it resumes, and a rebuild replays it', async () => {
      const scope = { tenantId, projectId: randomUUID() };
      const queues = new ProjectQueueRepository(events);
      const id = randomUUID();
      await repository.execute(id, { kind: 'SubmitJob', submission: { ...submission(id, 'Critical', new Date().toISOString()), ...scope } }, meta);
      const paused = await queues.decideAndAppend(scope.tenantId, scope.projectId, { kind: 'PauseQueue', at: new Date().toISOString(), actor: 'olivia', reason: 'maintenance' }, meta);
      expect(paused.events.map((e) => e.type)).toEqual(['QueuePaused']);
      // Pausing again decides nothing: no event, no position to wait for.
      expect((await queues.decideAndAppend(scope.tenantId, scope.projectId, { kind: 'PauseQueue', at: new Date().toISOString(), actor: 'otto', reason: null }, meta)).position).toBeNull();
      const projection = new JobProjection(events, store, { warn: () => undefined });
      await projection.start();
      expect(await projection.waitFor(paused.position!, 15_000)).toBe(true);
      expect(await store.getProjectQueue(scope.tenantId, scope.projectId)).toMatchObject({ status: 'Paused', revision: 0, pause: { pausedBy: 'olivia', reason: 'maintenance' } });
      expect((await store.nextQueuedJobs(new Date(), 1000)).map((q) => q.jobId)).not.toContain(id);

      const resumed = await queues.decideAndAppend(scope.tenantId, scope.projectId, { kind: 'ResumeQueue', at: new Date().toISOString(), actor: 'olivia', reason: null }, meta);
      expect(await projection.waitFor(resumed.position!, 15_000)).toBe(true);
      expect(await store.getProjectQueue(scope.tenantId, scope.projectId)).toMatchObject({ status: 'Active', revision: 1, pause: null });
      expect((await store.nextQueuedJobs(new Date(), 1000)).map((q) => q.jobId)).toContain(id);

      await projection.rebuild();
      const head = (await events.readAll({ maxCount: 100000 })).at(-1)!.position;
      expect(await projection.waitFor(head, 15_000)).toBe(true);
      await projection.stop();
      expect(await store.getProjectQueue(scope.tenantId, scope.projectId)).toEqual(await queues.load(scope.tenantId, scope.projectId));
      await repository.execute(id, { kind: 'CancelJob', at: new Date().toISOString(), request: { reason: null, forceTermination: false, preservePartialResults: false, requestedBy: 'test' } }, meta);
    });

    it('rebuilds from position 0 to the same documents', async () => {
      // Jobs of its own scope, projected before the rebuild.
      const scope = { tenantId, projectId: randomUUID() };
      const t0 = Date.parse('2024-02-01T10:00:00Z');
      for (let i = 0; i < 5; i++) {
        const id = randomUUID();
        await repository.execute(id, { kind: 'SubmitJob', submission: { ...submission(id, 'Normal', new Date(t0 + i * 1000).toISOString()), ...scope } }, meta);
        if (i % 2 === 0) await repository.execute(id, { kind: 'StartJob', nodeId: 'n1', at: new Date(t0 + 60_000).toISOString() }, meta);
      }
      const projection = new JobProjection(events, store, { warn: () => undefined });
      await projection.start();
      await projection.untilCaughtUp(20);
      const before = await store.listJobs(scope, { offset: 0, limit: 100 });
      expect(before.totalJobs).toBe(5);
      await projection.rebuild();
      const head = (await events.readAll({ maxCount: 100000 })).at(-1)!.position;
      expect(await projection.waitFor(head, 15_000)).toBe(true);
      await projection.stop();
      // The replay folded every event from position 0, not just what was left.
      expect(projection.jobEventsAppliedSinceRebuild).toBe(await jobEventCount(events));
      const after = await store.listJobs(scope, { offset: 0, limit: 100 });
      expect(after.jobs).toEqual(before.jobs);
    });
  });
}

describeProjection('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('read store / projection suite');
describeProjection('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'rs_test')));
