/**
 * Views written with the append, on a real store (PGlite in-process and the PostgreSQL
 * server): the view always equals the fold of the stream, whatever commands race; a
 * group's wrong-revision item fails alone; a rebuild from position 0 racing with commands
 * ends with the same views as the streams say.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import {
  JobRepository, JobRuleViolation, jobStreamId, systemCommandMetadata, type JobCommand,
} from '../../../job-domain/src/index.js';
import { jobOutcome, jobProgress, jobSubmission } from '../../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { JobProjection } from '../projections/job-projection.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { PostgresJobWriter } from './postgres-job-writer.js';
import { writeJobDocuments } from './write-job-documents.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const AGING = 600;
const meta = () => systemCommandMetadata('test');
const quiet = { warn: () => undefined, log: () => undefined };

type CommandKind = 'start' | 'progress' | 'complete' | 'fail' | 'cancel' | 'confirm' | 'requeue';
const COMMAND_KINDS: readonly CommandKind[] = ['start', 'progress', 'complete', 'fail', 'cancel', 'confirm', 'requeue'];

function command(kind: CommandKind, nodeId: string, at: string): JobCommand {
  switch (kind) {
    case 'start': return { kind: 'StartJob', nodeId, at };
    case 'progress': return { kind: 'ReportProgress', nodeId, progress: jobProgress(40, at) };
    case 'complete': return { kind: 'CompleteJob', nodeId, at, outcome: jobOutcome() };
    case 'fail': return { kind: 'FailJob', nodeId, at, errorType: 'ExecutionError', message: 'failed in a test' };
    case 'cancel': return { kind: 'CancelJob', at, request: { reason: 'test', requestedBy: 'tester', forceTermination: false, preservePartialResults: true } };
    case 'confirm': return { kind: 'ConfirmCancellation', nodeId, at, partialOutcome: null };
    case 'requeue': return { kind: 'RequeueJob', at, nodeId, reason: 'test', nodeLost: true, maxLostAttempts: 5 };
  }
}

/** Runs a command, accepting the refusals a race may cause (the rules or another writer said no). */
async function tryCommand(repository: JobRepository, jobId: string, c: JobCommand): Promise<void> {
  try {
    await repository.execute(jobId, c, meta(), { retries: 2 });
  } catch (error) {
    if (!(error instanceof JobRuleViolation) && !(error instanceof WrongExpectedRevisionError)) throw error;
  }
}

function describeWriter(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`job views written with the append on ${name}`, () => {
    let ctx: { sql: SqlClient; cleanup(): Promise<void> } | undefined;
    let events: PostgresEventStore;
    let store: PostgresJobReadStore;
    let writer: PostgresJobWriter;
    let repository: JobRepository;

    beforeAll(async () => {
      ctx = await open!();
      events = await createEventStoreOnClient(ctx.sql, { pollIntervalMs: 20 });
      store = new PostgresJobReadStore(ctx.sql, AGING);
      await store.migrate();
      writer = new PostgresJobWriter(ctx.sql, events, AGING);
      repository = new JobRepository(events, writer);
    });
    afterAll(async () => {
      await events?.close();
      await ctx?.cleanup();
    });

    async function submitJobs(scope: { tenantId: string; projectId: string }, count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => randomUUID());
      await Promise.all(ids.map((id) => repository.execute(id, { kind: 'SubmitJob', submission: jobSubmission(id, scope) }, meta())));
      return ids;
    }

    async function expectViewsEqualStreams(scope: { tenantId: string; projectId: string }, ids: readonly string[]): Promise<void> {
      for (const id of ids) {
        const folded = await repository.load(id);
        expect(folded).not.toBeNull();
        expect(await store.getJob(scope.tenantId, scope.projectId, id)).toEqual(folded);
      }
    }

    it('answers each command with its view already committed, equal to the fold of the stream', async () => {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const [id] = await submitJobs(scope, 1);
      const started = await repository.execute(id, { kind: 'StartJob', nodeId: 'n1', at: '2024-03-01T10:01:00.000Z' }, meta());
      // No projection runs here: what the query sees was written by the command itself.
      expect(await store.getJob(scope.tenantId, scope.projectId, id)).toEqual(started.state);
      expect(started.state).toEqual(await repository.load(id));
      expect(started.state.claimRecordedAt).toBe((await events.readStream(jobStreamId(id)))[1].recordedAt);
    });

    it('never lets an older document replace a newer one (a replay interleaved with commands)', async () => {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const [id] = await submitJobs(scope, 1);
      const submitted = (await repository.load(id))!;
      const started = await repository.execute(id, { kind: 'StartJob', nodeId: 'n1', at: '2024-03-01T10:01:00.000Z' }, meta());
      // A replay that folded only the first event writes its document after the command's.
      await writeJobDocuments(ctx!.sql, [submitted], AGING);
      expect(await store.getJob(scope.tenantId, scope.projectId, id)).toEqual(started.state);
      // Of one job's versions in one write, the highest revision is kept, in any order.
      const progressed = await repository.execute(id, { kind: 'ReportProgress', nodeId: 'n1', progress: jobProgress(10, '2024-03-01T10:01:05.000Z') }, meta());
      await writeJobDocuments(ctx!.sql, [progressed.state, started.state, submitted], AGING);
      expect(await store.getJob(scope.tenantId, scope.projectId, id)).toEqual(progressed.state);
    });

    it('fails a wrong-revision item of a group alone and commits the others with their views', async () => {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const ids = await submitJobs(scope, 3);
      const stale = (await repository.load(ids[1]))!;
      await repository.execute(ids[1], { kind: 'StartJob', nodeId: 'other', at: '2024-03-01T10:01:00.000Z' }, meta());
      const states = [(await repository.load(ids[0]))!, stale, (await repository.load(ids[2]))!];
      const outcomes = await repository.decideAndAppendEach(states.map((state) => ({
        state, command: { kind: 'StartJob', nodeId: 'n1', at: '2024-03-01T10:02:00.000Z' }, metadata: meta(),
      })));
      expect(outcomes[1]).toBeInstanceOf(WrongExpectedRevisionError);
      for (const i of [0, 2]) {
        const outcome = outcomes[i];
        if (outcome instanceof Error) throw outcome;
        expect(outcome.state).toMatchObject({ status: 'Running', nodeId: 'n1', revision: 1 });
      }
      // One transaction for the two that went in: their events share the commit position (the xid).
      const [a, c] = [await events.readStream(jobStreamId(ids[0])), await events.readStream(jobStreamId(ids[2]))];
      expect(a[1].position.commit).toBe(c[1].position.commit);
      // The refused item's document was not written: its view is the other node's claim.
      expect(await store.getJob(scope.tenantId, scope.projectId, ids[1])).toMatchObject({ nodeId: 'other', revision: 1 });
      await expectViewsEqualStreams(scope, ids);
    });

    it('groups concurrent commands into shared transactions, each keeping its own outcome', async () => {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const ids = await submitJobs(scope, 6);
      const single = new PostgresJobWriter(ctx!.sql, events, AGING, { concurrency: 1 });
      const grouped = new JobRepository(events, single);
      const stale = (await repository.load(ids[5]))!;
      await repository.execute(ids[5], { kind: 'StartJob', nodeId: 'other', at: '2024-03-01T10:01:00.000Z' }, meta());
      // With one transaction in flight, the next five queue up and go together.
      const outcomes = await Promise.allSettled(ids.map((id, i) => grouped.execute(
        id, { kind: 'StartJob', nodeId: 'n1', at: '2024-03-01T10:02:00.000Z' }, meta(), { retries: 0, known: i === 5 ? stale : undefined },
      )));
      expect(outcomes.slice(0, 5).every((o) => o.status === 'fulfilled')).toBe(true);
      expect(outcomes[5].status === 'rejected' && outcomes[5].reason instanceof WrongExpectedRevisionError).toBe(true);
      const commits = new Set<bigint>();
      for (const id of ids.slice(0, 5)) commits.add((await events.readStream(jobStreamId(id)))[1].position.commit);
      expect(commits.size).toBeLessThan(5);
      await expectViewsEqualStreams(scope, ids);
    });

    it('keeps every view equal to the fold of its stream after random concurrent commands', async () => {
      await fc.assert(fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.record({
          job: fc.nat({ max: 3 }), kind: fc.constantFrom(...COMMAND_KINDS), node: fc.constantFrom('n1', 'n2'),
        }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        async (jobCount, waves) => {
          const scope = { tenantId: randomUUID(), projectId: randomUUID() };
          const ids = await submitJobs(scope, jobCount);
          let second = 0;
          for (const wave of waves) {
            await Promise.all(wave.map((c) => tryCommand(
              repository, ids[c.job % jobCount], command(c.kind, c.node, new Date(Date.UTC(2024, 2, 1, 11, 0, second++)).toISOString()),
            )));
          }
          await expectViewsEqualStreams(scope, ids);
        },
      ), { numRuns: 12 });
    });

    it('ends a rebuild racing with commands with every view equal to its stream', async () => {
      const scope = { tenantId: randomUUID(), projectId: randomUUID() };
      const ids = await submitJobs(scope, 12);
      const projection = new JobProjection(events, store, quiet);
      let rebuilt = false;
      let roundsDuringRebuild = 0;
      const writes = (async () => {
        let second = 0;
        for (let round = 0; round < 14; round++) {
          await Promise.all(ids.map((id, i) => tryCommand(
            repository, id, command(COMMAND_KINDS[(round + i) % COMMAND_KINDS.length], 'n1', new Date(Date.UTC(2024, 2, 1, 12, 0, second++)).toISOString()),
          )));
          if (!rebuilt) roundsDuringRebuild += 1;
          // PGlite answers without leaving the microtask queue: let the replay's timers run between rounds.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await projection.rebuildOnce().finally(() => (rebuilt = true));
      await writes;
      expect(roundsDuringRebuild).toBeGreaterThan(0);
      expect(projection.jobEventsAppliedSinceRebuild).toBeGreaterThan(ids.length);
      await expectViewsEqualStreams(scope, ids);
      const page = await store.listJobs(scope, { offset: 0, limit: 100 });
      expect(page.totalJobs).toBe(ids.length);
      // A second replay, with nothing racing, changes none of them.
      await projection.rebuildOnce();
      expect((await store.listJobs(scope, { offset: 0, limit: 100 })).jobs).toEqual(page.jobs);
    });
  });
}

describeWriter('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('job writer suite');
describeWriter('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'jw_test')));
