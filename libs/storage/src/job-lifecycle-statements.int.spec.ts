/**
 * SQL statements one job's lifecycle costs on PostgreSQL (submit, claim, complete; the
 * notification saga aside), counted at the client, every statement including BEGIN and
 * COMMIT: with the view written with the append, and, for comparison, the asynchronous
 * projection with read-your-writes waits and one-by-one claims it replaces. The figures
 * are printed; the test holds the budget of 15 statements per job.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, type SqlClient, type SqlExecutor } from '../../event-store/src/postgres/sql-client.js';
import {
  JobRepository, appendOnlyJobWriter, systemCommandMetadata, type JobState,
} from '../../job-domain/src/index.js';
import { claimQueuedJobs } from '../../execution-node/src/claim-queued-jobs.js';
import { postgresJobQueueSignals, withJobQueuedAnnouncements } from '../../read-store/src/job-queue-signals.js';
import { JobProjection } from '../../read-store/src/projections/job-projection.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobOutcome, jobSubmission } from '../../../test/support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';

const AGING = 600;
const BUDGET_PER_JOB = 15;
const quiet = { warn: () => undefined, log: () => undefined };

/** The client with every statement counted when it is sent (a transaction adds its BEGIN and COMMIT). */
function countingClient(sql: SqlClient): { client: SqlClient; statements: () => number; notifies: () => number } {
  let statements = 0;
  let notifies = 0;
  const counted = (executor: SqlExecutor): SqlExecutor => ({
    query(text, params, name) {
      statements += 1;
      if (text.startsWith('SELECT pg_notify(')) notifies += 1;
      return executor.query(text, params, name);
    },
  });
  const client: SqlClient = {
    kind: sql.kind, schema: sql.schema,
    query: counted(sql).query,
    transaction(fn) {
      statements += 2;
      return sql.transaction((tx) => fn(counted(tx)));
    },
    listen: (channel, onNotify) => sql.listen(channel, onNotify),
    close: () => sql.close(),
  };
  return { client, statements: () => statements, notifies: () => notifies };
}

const server = await resolveTestPostgres('job lifecycle statement count');

(server ? describe : describe.skip)('SQL statements of a job lifecycle on PostgreSQL', () => {
  const schema = randomSchemaName('stmt_test');
  let raw: SqlClient;
  let counter: ReturnType<typeof countingClient>;
  let events: PostgresEventStore;
  let jobs: PostgresJobReadStore;
  const figures: string[] = [];

  beforeAll(async () => {
    raw = await openSqlClient({ kind: 'pg', connectionString: server!.url, schema });
    counter = countingClient(raw);
    // A long poll: the subscription reads only when woken by an append, so idle polls add nothing.
    events = await createEventStoreOnClient(counter.client, { pollIntervalMs: 60_000 });
    jobs = new PostgresJobReadStore(counter.client, AGING);
    await jobs.migrate();
  });
  afterAll(async () => {
    await events?.close();
    await raw?.close();
    if (server) await dropSchema(server.url, schema);
    if (figures.length > 0) console.log(`statements per job (submit / claim / complete = total)\n${figures.join('\n')}`);
  });

  /** Statements `step` sends, up to its answer (a NOTIFY after the commit is sent before the answer). */
  async function measure<T>(step: () => Promise<T>): Promise<{ value: T; statements: number }> {
    const before = counter.statements();
    const value = await step();
    return { value, statements: counter.statements() - before };
  }

  const submission = (scope: { tenantId: string; projectId: string }) => {
    const jobId = randomUUID();
    return { jobId, command: { kind: 'SubmitJob' as const, submission: jobSubmission(jobId, scope, { submittedAt: new Date().toISOString() }) } };
  };
  const completion = (nodeId: string) => ({ kind: 'CompleteJob' as const, nodeId, at: new Date().toISOString(), outcome: jobOutcome() });

  it('stays within the budget with the view written with the append, alone and in a burst', async () => {
    const signals = postgresJobQueueSignals(counter.client);
    const repository = new JobRepository(events, new PostgresJobWriter(counter.client, events, AGING, { signals }));
    const scope = { tenantId: randomUUID(), projectId: randomUUID() };

    // One job at a time: nothing to share a transaction with.
    const { jobId, command } = submission(scope);
    const notifiesBefore = counter.notifies();
    const submit = await measure(() => repository.execute(jobId, command, systemCommandMetadata('api')));
    const claim = await measure(() => claimQueuedJobs(jobs, repository, { nodeId: 'n1', limit: 1, now: new Date(), metadata: () => systemCommandMetadata('n1') }));
    expect(claim.value.claimed.map((s) => s.jobId)).toEqual([jobId]);
    // The node ends the job on the state its claim left (no stream read).
    const complete = await measure(() => repository.execute(jobId, completion('n1'), systemCommandMetadata('n1'), { retries: 5, known: claim.value.claimed[0] }));
    expect(complete.value.state.status).toBe('Completed');
    expect(await jobs.getJob(scope.tenantId, scope.projectId, jobId)).toEqual(complete.value.state);
    const alone = submit.statements + claim.statements + complete.statements;
    const wakeUps = counter.notifies() - notifiesBefore;
    figures.push(`  views with the append, one job alone: ${submit.statements} / ${claim.statements} / ${complete.statements} = ${alone}`
      + ` (${wakeUps} of them the NOTIFYs sent after commits to wake subscribers and nodes)`);

    // A burst: 40 submissions at once, claims by a node with 8 free slots, completions as they end together.
    const burst = Array.from({ length: 40 }, () => submission(scope));
    const submits = await measure(() => Promise.all(burst.map((s) => repository.execute(s.jobId, s.command, systemCommandMetadata('api')))));
    const claimed: JobState[] = [];
    const claims = await measure(async () => {
      for (;;) {
        const round = await claimQueuedJobs(jobs, repository, { nodeId: 'n2', limit: 8, now: new Date(), metadata: () => systemCommandMetadata('n2') });
        if (round.claimed.length === 0) return;
        claimed.push(...round.claimed);
      }
    });
    expect(claimed).toHaveLength(burst.length);
    const completes = await measure(() => Promise.all(claimed.map((s) => repository.execute(
      s.jobId, completion('n2'), systemCommandMetadata('n2'), { retries: 5, known: s },
    ))));
    const per = (n: number) => n / burst.length;
    const inBurst = per(submits.statements + claims.statements + completes.statements);
    figures.push(`  views with the append, a burst of ${burst.length}: ${per(submits.statements).toFixed(2)} / ${per(claims.statements).toFixed(2)} / `
      + `${per(completes.statements).toFixed(2)} = ${inBurst.toFixed(2)}`);
    // Alone, a job also pays the wake-up NOTIFYs that a burst shares (events_appended after each
    // commit, jobs_queued after its submission): the budget holds for its own work.
    expect(wakeUps).toBe(4);
    expect(alone - wakeUps).toBeLessThanOrEqual(BUDGET_PER_JOB);
    expect(inBurst).toBeLessThanOrEqual(BUDGET_PER_JOB);
    await signals.close();
  });

  it('counts the asynchronous projection it replaces, for comparison', async () => {
    const signals = postgresJobQueueSignals(counter.client);
    const announcing = withJobQueuedAnnouncements(jobs, signals);
    const repository = new JobRepository(events, appendOnlyJobWriter(events));
    const projection = new JobProjection(events, announcing, quiet);
    await projection.start();
    await projection.untilCaughtUp(20);
    const scope = { tenantId: randomUUID(), projectId: randomUUID() };
    /** A command as the handlers ran it: append, then wait until the projection has applied it (read-your-writes). */
    const thenWait = async <T extends { position: import('../../event-store/src/event-store.port.js').GlobalPosition | null }>(result: T) => {
      if (result.position) expect(await projection.waitFor(result.position, 10_000)).toBe(true);
      // Its batch's transaction has committed; count until the projection's next read too.
      await projection.untilCaughtUp(5);
      return result;
    };
    try {
      const { jobId, command } = submission(scope);
      const submit = await measure(async () => thenWait(await repository.execute(jobId, command, systemCommandMetadata('api'))));
      // One claim per round trip: the queue read, then the job's stream, then the append.
      const claim = await measure(async () => {
        const [candidate] = await jobs.nextQueuedJobs(new Date(), 4);
        return thenWait(await repository.execute(candidate.jobId, { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() }, systemCommandMetadata('n1'), { retries: 0 }));
      });
      const complete = await measure(async () => thenWait(await repository.execute(jobId, completion('n1'), systemCommandMetadata('n1'), { retries: 5 })));
      figures.push(`  asynchronous projection (before), one job alone: ${submit.statements} / ${claim.statements} / ${complete.statements} = `
        + `${submit.statements + claim.statements + complete.statements}`);
      expect(submit.statements + claim.statements + complete.statements).toBeGreaterThan(BUDGET_PER_JOB);
    } finally {
      await projection.stop();
      await signals.close();
    }
  });
});
