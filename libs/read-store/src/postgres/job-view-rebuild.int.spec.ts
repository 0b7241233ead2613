/**
 * Blue/green rebuild of the job read model on a real store (PGlite in-process and the
 * PostgreSQL server), under a randomised concurrent workload of real commands (seeded):
 * queries during the rebuild never see a partial read model, writers keep working across
 * the switch and land in the new tables, and afterwards every document equals the fold of
 * its stream, the counts equal a recount of the views, project queues equal their folds, and
 * no job is missing or extra.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import {
  JobRepository, JobRuleViolation, ProjectQueueRepository, systemCommandMetadata, type JobCommand, type JobPriority,
} from '../../../job-domain/src/index.js';
import { jobOutcome, jobProgress, jobSubmission } from '../../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { JOB_PROJECTION, JobProjection } from '../projections/job-projection.js';
import { ProjectionRebuilds, inProcessRebuildLock, RebuildAlreadyRunningError, UnknownProjectionError } from '../projections/projection-rebuilds.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { PostgresJobViewRebuilds } from './postgres-job-view-rebuilds.js';
import { PostgresJobWriter } from './postgres-job-writer.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const AGING = 600;
const meta = () => systemCommandMetadata('test');
const quiet = { warn: () => undefined, log: () => undefined };

const OPERATIONS = ['submit', 'start', 'progress', 'complete', 'fail', 'cancel', 'confirm', 'priority', 'hold', 'release', 'pause', 'resume'] as const;
type Operation = (typeof OPERATIONS)[number];
const PRIORITIES: readonly JobPriority[] = ['Low', 'Normal', 'High'];

/** The workload, the same on every run: a seeded sample of (operation, job pick, project pick, node). */
const WORKLOAD = fc.sample(fc.record({
  operation: fc.constantFrom(...OPERATIONS), job: fc.nat({ max: 10_000 }), project: fc.nat({ max: 2 }), node: fc.constantFrom('n1', 'n2'),
}), { seed: 20260301, numRuns: 400 });

function describeRebuild(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`blue/green rebuild of the job read model on ${name}`, () => {
    let ctx: { sql: SqlClient; cleanup(): Promise<void> } | undefined;
    let events: PostgresEventStore;
    let store: PostgresJobReadStore;
    let repository: JobRepository;
    let queues: ProjectQueueRepository;
    let projection: JobProjection;
    const tenantId = randomUUID();
    const projects = [randomUUID(), randomUUID(), randomUUID()];

    beforeAll(async () => {
      ctx = await open!();
      events = await createEventStoreOnClient(ctx.sql, { pollIntervalMs: 20 });
      store = new PostgresJobReadStore(ctx.sql, AGING);
      await store.migrate();
      repository = new JobRepository(events, new PostgresJobWriter(ctx.sql, events, AGING));
      queues = new ProjectQueueRepository(events);
      // The live projection, as the leader of its role runs it (views written with the append).
      projection = new JobProjection(events, store, quiet, { jobViewsWrittenWithAppend: true });
      await projection.start();
    });
    afterAll(async () => {
      await projection?.stop();
      await events?.close();
      await ctx?.cleanup();
    });

    const rebuildsOf = (batchSize: number) => new ProjectionRebuilds({
      rebuilds: new PostgresJobViewRebuilds(ctx!.sql, events, AGING), events, store, lock: inProcessRebuildLock('test'),
      leader: async () => 'test', batchSize, logger: quiet,
    });

    const jobsIn = async (projectId: string) => (await store.listJobs({ tenantId, projectId }, { offset: 0, limit: 1 })).totalJobs;

    async function submit(ids: string[], project: number, priority: JobPriority): Promise<void> {
      const id = randomUUID();
      await repository.execute(id, { kind: 'SubmitJob', submission: jobSubmission(id, { tenantId, projectId: projects[project] }, { priority }) }, meta());
      ids.push(id);
    }

    /** One operation of the workload; refusals a race or the rules cause are part of it. */
    async function perform(step: (typeof WORKLOAD)[number], ids: string[], second: number): Promise<void> {
      const at = new Date(Date.UTC(2024, 2, 1, 12, 0, second)).toISOString();
      const jobId = ids[step.job % ids.length];
      const op: Operation = step.operation;
      if (op === 'submit') return submit(ids, step.project, PRIORITIES[step.job % PRIORITIES.length]);
      if (op === 'pause' || op === 'resume') {
        await queues.decideAndAppend(tenantId, projects[step.project], { kind: op === 'pause' ? 'PauseQueue' : 'ResumeQueue', at, actor: 'tester', reason: null }, meta());
        return;
      }
      const commands: Record<Exclude<Operation, 'submit' | 'pause' | 'resume'>, JobCommand> = {
        start: { kind: 'StartJob', nodeId: step.node, at },
        progress: { kind: 'ReportProgress', nodeId: step.node, progress: jobProgress(step.job % 100, at) },
        complete: { kind: 'CompleteJob', nodeId: step.node, at, outcome: jobOutcome() },
        fail: { kind: 'FailJob', nodeId: step.node, at, errorType: 'ExecutionError', message: 'failed in a test' },
        cancel: { kind: 'CancelJob', at, request: { reason: 'test', requestedBy: 'tester', forceTermination: false, preservePartialResults: true } },
        confirm: { kind: 'ConfirmCancellation', nodeId: step.node, at, partialOutcome: null },
        priority: { kind: 'ChangePriority', at, priority: PRIORITIES[(step.job + 1) % PRIORITIES.length], changedBy: 'tester', reason: null },
        hold: { kind: 'HoldJob', at, heldBy: 'tester', reason: null },
        release: { kind: 'ReleaseJob', at, releasedBy: 'tester', reason: null },
      };
      try {
        await repository.execute(jobId, commands[op], meta(), { retries: 2 });
      } catch (error) {
        if (!(error instanceof JobRuleViolation) && !(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }

    /** Rows of a count table summed over shards, non-zero only, as "key=n" lines. */
    async function countRows(table: string, bucket: string | null): Promise<string[]> {
      const key = `tenant_id, project_id, status, job_type, priority, submitted_by${bucket ? `, ${bucket}::text` : ''}`;
      const rows = await ctx!.sql.query<{ k: string; n: string }>(
        `SELECT concat_ws('|', ${key}) AS k, sum(jobs)::text AS n FROM ${table} GROUP BY ${key} HAVING sum(jobs) <> 0`,
      );
      return rows.map((r) => `${r.k}=${r.n}`).sort();
    }

    async function recount(bucket: string | null): Promise<string[]> {
      const expression = bucket === 'day' ? `(date_created AT TIME ZONE 'UTC')::date::text`
        : bucket === 'month' ? `date_trunc('month', date_created AT TIME ZONE 'UTC')::date::text` : null;
      const key = `tenant_id, project_id, status, job_type, priority, submitted_by${expression ? `, ${expression}` : ''}`;
      const rows = await ctx!.sql.query<{ k: string; n: string }>(`SELECT concat_ws('|', ${key}) AS k, count(*)::text AS n FROM job_views GROUP BY ${key}`);
      return rows.map((r) => `${r.k}=${r.n}`).sort();
    }

    it('rebuilds into a fresh copy under a random concurrent workload: queries never see a partial view, and the result equals the streams', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 45; i++) await submit(ids, i % 3, PRIORITIES[i % 3]);
      const before = await Promise.all(projects.map(jobsIn));
      const tableBefore = (await ctx!.sql.query<{ oid: string }>(`SELECT 'job_views'::regclass::oid::text AS oid`))[0].oid;

      const rebuilds = rebuildsOf(40);
      const { done } = await rebuilds.start(JOB_PROJECTION);
      let switched = false;
      void done.then(() => (switched = true), () => (switched = true));
      // Queries during the rebuild: a project's count never drops below what it was (submits only add).
      const lowest = [...before];
      let samples = 0;
      const sampler = (async () => {
        while (!switched) {
          const now = await Promise.all(projects.map(jobsIn));
          now.forEach((n, i) => (lowest[i] = Math.min(lowest[i], n)));
          samples += 1;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      // Eight concurrent writers, through the switch and beyond it.
      let next = 0;
      let afterSwitch = 0;
      const writer = async () => {
        while (next < WORKLOAD.length) {
          const i = next++;
          await perform(WORKLOAD[i], ids, i);
          if (switched) afterSwitch += 1;
          // PGlite answers without leaving the microtask queue: let the rebuild's steps run between operations.
          await new Promise((resolve) => setImmediate(resolve));
          if (next >= WORKLOAD.length && !switched) next = WORKLOAD.length - 40; // keep writing until it switched
        }
      };
      await Promise.all(Array.from({ length: 8 }, writer));
      const state = await done;
      await sampler;
      expect(state.phase).toBe('switched');
      expect(state.eventsFolded).toBeGreaterThan(45);
      expect(samples).toBeGreaterThan(0);
      expect(afterSwitch).toBeGreaterThan(0);
      expect(lowest).toEqual(before);
      // The read model is a new set of tables, and writers write them.
      const tableAfter = (await ctx!.sql.query<{ oid: string }>(`SELECT 'job_views'::regclass::oid::text AS oid`))[0].oid;
      expect(tableAfter).not.toBe(tableBefore);
      await submit(ids, 0, 'Normal');
      expect(await store.getJob(tenantId, projects[0], ids.at(-1)!)).toEqual(await repository.load(ids.at(-1)!));
      // Nothing of the copy's or the old tables' schemas is left.
      const leftovers = await ctx!.sql.query(
        `SELECT nspname FROM pg_namespace WHERE nspname IN (current_schema() || '_jv_next', current_schema() || '_jv_old')`,
      );
      expect(leftovers).toEqual([]);

      await projection.untilCaughtUp(20);
      // Every job stream has exactly its document, equal to its fold.
      const streams = new Set((await events.readAll({ maxCount: 1_000_000 })).filter((e) => e.streamId.startsWith('job-')).map((e) => e.streamId.slice(4)));
      const viewed = new Set((await ctx!.sql.query<{ job_id: string }>(`SELECT job_id FROM job_views`)).map((r) => r.job_id));
      expect([...viewed].sort()).toEqual([...streams].sort());
      for (const id of streams) {
        const view = (await store.getJobsByIds([id]))[0];
        expect(view).toEqual(await repository.load(id));
      }
      expect(await countRows('job_count_totals', null)).toEqual(await recount(null));
      expect(await countRows('job_count_days', 'day')).toEqual(await recount('day'));
      expect(await countRows('job_count_months', 'month')).toEqual(await recount('month'));
      for (const projectId of projects) {
        expect(await store.getProjectQueue(tenantId, projectId)).toEqual(await queues.load(tenantId, projectId));
      }
    }, 120_000);

    it('refuses a second rebuild while one runs, and an unknown projection by name', async () => {
      const rebuilds = rebuildsOf(20);
      await expect(rebuilds.start('no_such_view')).rejects.toThrow(UnknownProjectionError);
      await expect(rebuilds.start('no_such_view')).rejects.toThrow(/known: job_views/);
      const { done } = await rebuilds.start(JOB_PROJECTION);
      await expect(rebuilds.start(JOB_PROJECTION)).rejects.toThrow(RebuildAlreadyRunningError);
      expect((await done).phase).toBe('switched');
      const [status] = await rebuilds.status();
      expect(status).toMatchObject({ name: JOB_PROJECTION, leader: 'test', rebuilding: null });
      expect(status.checkpoint).toMatch(/^\d+\/\d+$/);
    }, 60_000);
  });
}

describeRebuild('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('job view rebuild suite');
describeRebuild('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'rb_test')));
