/**
 * The schedule firer on a real store (PGlite in-process and the PostgreSQL server) with a
 * clock the test moves: two firers racing on the same due time submit one job; a job
 * submitted before a crash is recorded, not submitted again; overlap policies; a quota's
 * refusal is recorded as a skipped firing; catch-up after downtime.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, systemCommandMetadata } from '../../job-domain/src/index.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { PostgresTenantQueueLoad } from '../../read-store/src/postgres/tenant-queue-load.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import {
  PostgresScheduleStore, ScheduleFirer, ScheduleRepository, scheduleCommandMetadata, scheduledJobId, scheduleStreamId,
  type ScheduleDefinition, type ScheduledJobLauncher,
} from './index.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

const AGING = 600;
const START = Date.parse('2026-02-02T08:00:00.000Z');

interface FirerStack {
  readonly sql: SqlClient;
  readonly events: PostgresEventStore;
  readonly jobs: PostgresJobReadStore;
  readonly jobRepository: JobRepository;
  readonly store: PostgresScheduleStore;
  readonly schedules: ScheduleRepository;
  firer(clock: () => number, maxQueuedJobs?: number): ScheduleFirer;
  close(): Promise<void>;
}

async function stackOn(sql: SqlClient, ownsClient: boolean): Promise<FirerStack> {
  const events = await createEventStoreOnClient(sql);
  const jobs = new PostgresJobReadStore(sql, AGING, null);
  await jobs.migrate();
  const store = new PostgresScheduleStore(sql, events);
  await store.migrate();
  const jobRepository = new JobRepository(events, new PostgresJobWriter(sql, events, AGING));
  const schedules = new ScheduleRepository(events, store);
  const load = new PostgresTenantQueueLoad(sql);
  /** Submits like the API's submit does, with a queued cap when given. */
  const launcher = (maxQueuedJobs?: number): ScheduledJobLauncher => ({
    async submit(schedule, fireTime, jobId) {
      if (maxQueuedJobs !== undefined && (await load.queuedJobs(schedule.tenantId)) >= maxQueuedJobs) return { refused: `quota maxQueuedJobs ${maxQueuedJobs} reached` };
      try {
        await jobRepository.execute(jobId, {
          kind: 'SubmitJob',
          submission: { ...jobSubmission(jobId, schedule, { jobName: String(schedule.definition.jobTemplate.jobName) }), schedule: { scheduleId: schedule.scheduleId, fireTime } },
        }, systemCommandMetadata('firer'), { retries: 0 });
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
      return { jobId };
    },
    async statusOf(schedule, jobId) {
      return (await jobs.getJob(schedule.tenantId, schedule.projectId, jobId))?.status ?? null;
    },
    async cancel(_schedule, jobId, reason) {
      await jobRepository.execute(jobId, {
        kind: 'CancelJob', at: new Date().toISOString(), request: { reason, forceTermination: false, preservePartialResults: true, requestedBy: 'firer' },
      }, systemCommandMetadata('firer'));
    },
  });
  return {
    sql, events, jobs, jobRepository, store, schedules,
    firer: (clock, maxQueuedJobs) => new ScheduleFirer(schedules, store, launcher(maxQueuedJobs), { now: () => new Date(clock()) }),
    async close() {
      await events.close();
      if (ownsClient) await sql.close();
    },
  };
}

type OpenPair = () => Promise<{ a: FirerStack; b: FirerStack; cleanup(): Promise<void> }>;

function describeFirer(name: string, openPair: OpenPair | null): void {
  (openPair ? describe : describe.skip)(`schedule firer on ${name}`, () => {
    let pair: Awaited<ReturnType<OpenPair>> | undefined;
    beforeAll(async () => {
      pair = await openPair!();
    });
    afterAll(async () => {
      await pair?.cleanup();
    });

    async function create(stack: FirerStack, at: number, overrides: Partial<ScheduleDefinition> = {}) {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const scheduleId = randomUUID();
      const definition: ScheduleDefinition = {
        name: 'every minute', cron: null, intervalSeconds: 60, timeZone: 'UTC', jobTemplate: { jobName: 'scheduled' },
        overlapPolicy: 'queue', catchUp: 'none', ...overrides,
      };
      await stack.schedules.decideAndAppend(scheduleId, {
        kind: 'CreateSchedule', scheduleId, ...scope, definition, by: 'alice', at: new Date(at).toISOString(),
      }, scheduleCommandMetadata('alice'));
      return { scheduleId, createdAt: new Date(at).toISOString(), ...scope };
    }

    async function scheduleJobs(stack: FirerStack, scope: { tenantId: string; projectId: string }) {
      return (await stack.jobs.listJobs({ tenantId: scope.tenantId, projectId: scope.projectId }, { offset: 0, limit: 100 })).jobs;
    }

    it('two firers racing on the same due time submit one job and record the firing once', async () => {
      const { a, b } = pair!;
      let clock = START;
      const s = await create(a, clock);
      expect(await a.store.dueScheduleIds(new Date(clock), 10)).not.toContain(s.scheduleId);
      clock += 60_000;
      const [firedA, firedB] = await Promise.all([a.firer(() => clock).fireSchedule(s.scheduleId), b.firer(() => clock).fireSchedule(s.scheduleId)]);
      expect(firedA + firedB).toBe(1);
      const fireTime = new Date(START + 60_000).toISOString();
      const stream = await a.events.readStream(scheduleStreamId(s.scheduleId));
      expect(stream.map((e) => e.type)).toEqual(['ScheduleCreated', 'ScheduleFired']);
      const jobs = await scheduleJobs(a, s);
      expect(jobs.map((j) => j.jobId)).toEqual([scheduledJobId(s.scheduleId, fireTime)]);
      expect(jobs[0].schedule).toEqual({ scheduleId: s.scheduleId, fireTime });
      // Looking again at the same time, from either firer, does nothing.
      expect(await a.firer(() => clock).fireDue()).toBe(0);
      expect(await b.firer(() => clock).fireDue()).toBe(0);
      const view = await b.store.get(s.tenantId, s.projectId, s.scheduleId);
      expect(view).toMatchObject({ lastFiredAt: fireTime, lastJobId: jobs[0].jobId, revision: 1 });
      // The next fire time is due a minute later, and only then.
      expect(await a.store.dueScheduleIds(new Date(clock + 59_000), 1000)).not.toContain(s.scheduleId);
      expect(await a.store.dueScheduleIds(new Date(clock + 60_000), 1000)).toContain(s.scheduleId);
    });

    it('records the job a firer submitted before it stopped, instead of submitting another', async () => {
      const { a, b } = pair!;
      const s = await create(a, START, { overlapPolicy: 'skip' });
      const fireTime = new Date(START + 60_000).toISOString();
      const state = (await a.schedules.load(s.scheduleId))!;
      // A firer submitted the job, then died before recording it.
      const jobId = scheduledJobId(s.scheduleId, fireTime);
      await a.jobRepository.execute(jobId, { kind: 'SubmitJob', submission: { ...jobSubmission(jobId, state), schedule: { scheduleId: s.scheduleId, fireTime } } }, systemCommandMetadata('dead firer'));
      expect(await b.firer(() => START + 61_000).fireSchedule(s.scheduleId)).toBe(1);
      expect((await b.schedules.load(s.scheduleId))!.recentFirings[0]).toMatchObject({ fireTime, jobId, skippedReason: null });
      expect(await scheduleJobs(a, s)).toHaveLength(1);
    });

    it('overlapPolicy skip records a skipped firing while the previous job is queued; cancelPrevious cancels it first', async () => {
      const { a } = pair!;
      const skip = await create(a, START, { overlapPolicy: 'skip' });
      expect(await a.firer(() => START + 60_000).fireSchedule(skip.scheduleId)).toBe(1);
      expect(await a.firer(() => START + 120_000).fireSchedule(skip.scheduleId)).toBe(1);
      const skipped = (await a.schedules.load(skip.scheduleId))!;
      expect(skipped.recentFirings[0]).toMatchObject({ fireTime: new Date(START + 120_000).toISOString(), jobId: null, skippedReason: expect.stringContaining('still Queued') });
      expect(await scheduleJobs(a, skip)).toHaveLength(1);

      const cancel = await create(a, START, { overlapPolicy: 'cancelPrevious' });
      await a.firer(() => START + 60_000).fireSchedule(cancel.scheduleId);
      await a.firer(() => START + 120_000).fireSchedule(cancel.scheduleId);
      const state = (await a.schedules.load(cancel.scheduleId))!;
      const first = scheduledJobId(cancel.scheduleId, new Date(START + 60_000).toISOString());
      expect(state.recentFirings[0]).toMatchObject({ jobId: scheduledJobId(cancel.scheduleId, new Date(START + 120_000).toISOString()), cancelledJobId: first });
      expect((await a.jobs.getJob(cancel.tenantId, cancel.projectId, first))?.status).toBe('Cancelled');
    });

    it('records a firing refused by the queued-jobs quota as skipped, with the reason', async () => {
      const { a } = pair!;
      const s = await create(a, START, { overlapPolicy: 'queue', intervalSeconds: 10 });
      const firer = a.firer(() => START + 30_000, 2);
      await firer.fireSchedule(s.scheduleId);
      const state = (await a.schedules.load(s.scheduleId))!;
      expect(state.recentFirings.map((f) => [f.jobId !== null, f.skippedReason])).toEqual([
        [false, 'quota maxQueuedJobs 2 reached'], [true, null], [true, null],
      ]);
      expect(await scheduleJobs(a, s)).toHaveLength(2);
    });

    it('catchUp one fires once for the fire times missed while no firer ran', async () => {
      const { a } = pair!;
      const s = await create(a, START, { catchUp: 'one', intervalSeconds: 1 });
      // An hour of downtime: 3600 fire times missed.
      expect(await a.firer(() => START + 3_600_500).fireDue()).toBeGreaterThanOrEqual(2);
      const state = (await a.schedules.load(s.scheduleId))!;
      expect(state.recentFirings.map((f) => f.fireTime)).toEqual([new Date(START + 3_600_000).toISOString(), new Date(START + 3_599_000).toISOString()]);
      expect(state.recentFirings[1]).toMatchObject({ jobId: null, missedCount: 3599 });
      expect(await scheduleJobs(a, s)).toHaveLength(1);
    });

    it('wakes at the due time when started, and when a schedule changes', async () => {
      const { a } = pair!;
      const firer = new ScheduleFirer(a.schedules, a.store, {
        submit: async (_s, _t, jobId) => ({ jobId }), statusOf: async () => null, cancel: async () => undefined,
      }, { pollIntervalMs: 60_000 });
      await firer.start();
      try {
        const s = await create(a, Date.now(), { intervalSeconds: 1 });
        // Created after the firer armed its poll of a minute: only the change's wake-up gets it fired in time.
        const fired = await waitFor(async () => (await a.schedules.load(s.scheduleId))!.lastFiredAt, 10_000, 50, 'the firing');
        expect(Date.parse(fired)).toBeGreaterThan(Date.parse(s.createdAt));
      } finally {
        await firer.stop();
      }
    });
  });
}

describeFirer('PGlite', async () => {
  const sql = await openMemoryPglite();
  const a = await stackOn(sql, false);
  const b = await stackOn(sql, false);
  return { a, b, async cleanup() { await a.close(); await b.close(); await sql.close(); } };
});

const server = await resolveTestPostgres('schedule firer suite');
describeFirer('PostgreSQL', server && (async () => {
  const schema = randomSchemaName('schedule_test');
  const a = await stackOn(await openSqlClient({ kind: 'pg', connectionString: server.url, schema }), true);
  const b = await stackOn(await openSqlClient({ kind: 'pg', connectionString: server.url, schema }), true);
  return { a, b, async cleanup() { await a.close(); await b.close(); await dropSchema(server.url, schema); } };
}));
