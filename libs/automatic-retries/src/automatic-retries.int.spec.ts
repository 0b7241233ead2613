/**
 * The automatic retries on real stores: PGlite in-process and the PostgreSQL server (when
 * reachable), the PostgreSQL event store and the job views written with each append, jobs
 * driven through the JobRepository as a node and the supervisor drive them. Delays are short
 * real ones (RETRY_BASE_SECONDS 0.05 and the like) waited on by condition.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import {
  FAILURE_CATEGORIES, JobRepository, automaticRetryJobId, jobStreamId, requestedRetryJobId, retryFailedJob,
  type FailureCategory, type JobState,
} from '../../job-domain/src/index.js';
import { seededRandom } from '../../mining/src/testing/seeded-random.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { TenantLocks } from '../../read-store/src/postgres/tenant-locks.js';
import { TenantQueueGate } from '../../read-store/src/postgres/tenant-queue-gate.js';
import { AutomaticRetries, type AutomaticRetriesOptions, type RetryPolicy } from './automatic-retries.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

const AGING = 600;
const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const quiet = { log: () => undefined, warn: () => undefined };

function describeRetries(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`automatic retries on ${name}`, () => {
    let ctx: { sql: SqlClient; cleanup(): Promise<void> } | undefined;
    let events: PostgresEventStore;
    let views: PostgresJobReadStore;
    let repository: JobRepository;
    const running: AutomaticRetries[] = [];

    beforeAll(async () => {
      ctx = await open!();
      events = await createEventStoreOnClient(ctx.sql, { pollIntervalMs: 20 });
      views = new PostgresJobReadStore(ctx.sql, AGING);
      await views.migrate();
      repository = new JobRepository(events, new PostgresJobWriter(ctx.sql, events, AGING));
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((r) => r.stop()));
    });
    afterAll(async () => {
      await events?.close();
      await ctx?.cleanup();
    });

    async function startRetries(policy: RetryPolicy, seed = 7, more: Partial<AutomaticRetriesOptions> = {}): Promise<AutomaticRetries> {
      const retries = new AutomaticRetries(events, views, repository, { policy, random: seededRandom(seed), pollSeconds: 30, logger: quiet, ...more });
      running.push(retries);
      await retries.start();
      return retries;
    }

    const scope = () => ({ tenantId: `t-${randomUUID()}`, projectId: 'p' });

    async function submit(s: { tenantId: string; projectId: string }, maxAttempts: number): Promise<string> {
      const jobId = randomUUID();
      const submission = jobSubmission(jobId, s);
      await repository.execute(jobId, { kind: 'SubmitJob', submission: { ...submission, scheduling: { ...submission.scheduling, maxAttempts } } }, meta());
      return jobId;
    }

    /** Claims the job as node n1 and fails it with `category`; the position of the JobFailed. */
    async function runAndFail(jobId: string, category: FailureCategory) {
      await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() }, meta());
      const failed = await repository.execute(jobId, {
        kind: 'FailJob', nodeId: 'n1', at: new Date().toISOString(), errorType: category === 'InvalidParameters' ? 'InvalidInput' : 'ExecutionError',
        message: `failed in a test (${category})`, failure: { category, retryable: FAILURE_CATEGORIES[category] },
      }, meta());
      return failed.position!;
    }

    const view = async (s: { tenantId: string; projectId: string }, jobId: string) => (await views.getJob(s.tenantId, s.projectId, jobId))!;
    const streamTypes = async (jobId: string) => (await events.readStream(jobStreamId(jobId))).map((e) => e.type);
    async function retriesOf(s: { tenantId: string; projectId: string }, jobId: string): Promise<JobState[]> {
      const page = await views.listJobs(s, { offset: 0, limit: 100 });
      return page.jobs.filter((j) => j.retryOf === jobId);
    }

    it('retries a retryable failure up to maxAttempts with growing delays, then dead-letters the last attempt', async () => {
      await startRetries({ baseSeconds: 0.05, maxSeconds: 5 });
      const s = scope();
      const chain = [await submit(s, 3)];
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const jobId = chain[attempt - 1];
        const failedAt = Date.now();
        await runAndFail(jobId, attempt === 2 ? 'NodeLost' : 'Timeout');
        if (attempt === 3) break;
        const retried = await waitFor(async () => {
          const v = await view(s, jobId);
          return v.retriedBy ? v : null;
        }, 10_000, 10, `attempt ${attempt + 1} of ${jobId}`);
        const retry = await view(s, retried.retriedBy!);
        expect(retry).toMatchObject({ retryOf: jobId, attempt: attempt + 1, status: 'Queued', scheduling: { maxAttempts: 3, scheduledTime: null } });
        expect(retry.jobId).toBe(automaticRetryJobId(jobId, attempt + 1));
        const [scheduled] = (await events.readStream(jobStreamId(jobId))).filter((e) => e.type === 'JobRetryScheduled');
        const data = scheduled.data as { nextRetryAt: string; delaySeconds: number };
        // Not submitted before its due time.
        expect(Date.parse(retry.submittedAt)).toBeGreaterThanOrEqual(Date.parse(data.nextRetryAt));
        expect(Date.parse(data.nextRetryAt)).toBeGreaterThanOrEqual(failedAt);
        delays.push(data.delaySeconds);
        expect(retried.nextRetryAt).toBeNull();
        chain.push(retry.jobId);
      }
      expect(delays[0]).toBeGreaterThanOrEqual(0.025);
      expect(delays[0]).toBeLessThanOrEqual(0.05);
      expect(delays[1]).toBeGreaterThanOrEqual(0.05);
      expect(delays[1]).toBeLessThanOrEqual(0.1);
      const last = await waitFor(async () => {
        const v = await view(s, chain[2]);
        return v.deadLettered ? v : null;
      }, 10_000, 10, 'the last attempt to be dead-lettered');
      expect(last.deadLettered!.reason).toContain('attempt 3 of 3');
      expect(last.retriedBy).toBeNull();
      expect(await streamTypes(chain[2])).toEqual(['JobSubmitted', 'JobStarted', 'JobFailed', 'JobDeadLettered']);
      expect(await views.countDeadLettered(s.tenantId)).toBe(1);
      const listed = await views.listJobs({ ...s, status: 'Failed', deadLettered: true }, { offset: 0, limit: 10 });
      expect(listed.jobs.map((j) => j.jobId)).toEqual([chain[2]]);
      expect(listed.totalJobs).toBe(1);
      const others = await views.listJobs({ ...s, deadLettered: false }, { offset: 0, limit: 10 });
      expect(others.jobs.map((j) => j.jobId).sort()).toEqual([chain[0], chain[1]].sort());
    });

    it("a job's own retry policy sets the delays (exactly, without jitter) and the attempts, for the job and its retries", async () => {
      await startRetries({ baseSeconds: 60, maxSeconds: 60 }); // the service's own back-off would wait 30–60 s
      const s = scope();
      const jobId = randomUUID();
      const submission = jobSubmission(jobId, s);
      const retryPolicy = { maxRetries: 2, retryDelay: 0.1, backoffMultiplier: 3 };
      await repository.execute(jobId, {
        kind: 'SubmitJob', submission: { ...submission, scheduling: { ...submission.scheduling, maxAttempts: 3, retryPolicy } },
      }, meta());
      const chain: string[] = [jobId];
      for (let attempt = 1; attempt <= 2; attempt++) {
        const current = chain[attempt - 1];
        await runAndFail(current, 'RunnerCrashed');
        const retriedBy = await waitFor(async () => (await view(s, current)).retriedBy, 10_000, 10, `attempt ${attempt + 1}`);
        const [scheduled] = (await events.readStream(jobStreamId(current))).filter((e) => e.type === 'JobRetryScheduled');
        const data = scheduled.data as { scheduledAt: string; nextRetryAt: string; delaySeconds: number };
        expect(data.delaySeconds).toBeCloseTo(0.1 * 3 ** (attempt - 1), 9);
        expect(Date.parse(data.nextRetryAt) - Date.parse(data.scheduledAt)).toBe(Math.round(data.delaySeconds * 1000));
        expect((await view(s, retriedBy!)).scheduling).toMatchObject({ maxAttempts: 3, retryPolicy });
        chain.push(retriedBy!);
      }
      await runAndFail(chain[2], 'RunnerCrashed');
      const last = await waitFor(async () => {
        const v = await view(s, chain[2]);
        return v.deadLettered ? v : null;
      }, 10_000, 10, 'the last attempt to be dead-lettered');
      expect(last.deadLettered!.reason).toContain('attempt 3 of 3');
    });

    it('neither retries nor dead-letters a failure that is not retryable', async () => {
      const retries = await startRetries({ baseSeconds: 0.05, maxSeconds: 1 });
      const s = scope();
      const jobId = await submit(s, 3);
      const position = await runAndFail(jobId, 'InvalidParameters');
      expect(await retries.waitFor(position, 10_000)).toBe(true);
      const v = await view(s, jobId);
      expect(v).toMatchObject({ status: 'Failed', nextRetryAt: null, retriedBy: null, deadLettered: null });
      expect(v.failure).toMatchObject({ category: 'InvalidParameters', retryable: false });
      expect(await streamTypes(jobId)).toEqual(['JobSubmitted', 'JobStarted', 'JobFailed']);
    });

    it('keeps a scheduled retry across a restart of the retries: the new instance retries it exactly once', async () => {
      const first = await startRetries({ baseSeconds: 3, maxSeconds: 3 }); // due 1.5–3 s after the failure
      const s = scope();
      const jobId = await submit(s, 2);
      await runAndFail(jobId, 'TransientIO');
      const scheduled = await waitFor(async () => (await view(s, jobId)).nextRetryAt, 10_000, 10, 'the retry to be scheduled');
      await first.stop();
      expect(Date.now()).toBeLessThan(Date.parse(scheduled)); // stopped before it was due
      expect((await view(s, jobId)).retriedBy).toBeNull();
      await startRetries({ baseSeconds: 3, maxSeconds: 3 }, 99);
      const retriedBy = await waitFor(async () => (await view(s, jobId)).retriedBy, 10_000, 20, 'the retry after the restart');
      expect(retriedBy).toBe(automaticRetryJobId(jobId, 2));
      expect((await retriesOf(s, jobId)).map((j) => j.jobId)).toEqual([retriedBy]);
      expect((await streamTypes(jobId)).filter((t) => t === 'JobRetryScheduled' || t === 'JobRetried')).toEqual(['JobRetryScheduled', 'JobRetried']);
    });

    it('two instances racing schedule once and submit one retry', async () => {
      await Promise.all([startRetries({ baseSeconds: 0.05, maxSeconds: 1 }, 1), startRetries({ baseSeconds: 0.05, maxSeconds: 1 }, 2)]);
      const s = scope();
      const ids = await Promise.all([submit(s, 2), submit(s, 2), submit(s, 2)]);
      await Promise.all(ids.map((id) => runAndFail(id, 'Timeout')));
      for (const jobId of ids) {
        const retriedBy = await waitFor(async () => (await view(s, jobId)).retriedBy, 10_000, 10, `the retry of ${jobId}`);
        expect(retriedBy).toBe(automaticRetryJobId(jobId, 2));
        expect((await retriesOf(s, jobId)).map((j) => j.jobId)).toEqual([retriedBy]);
        expect((await streamTypes(jobId)).filter((t) => t === 'JobRetryScheduled' || t === 'JobRetried')).toEqual(['JobRetryScheduled', 'JobRetried']);
      }
    });

    it('holds a due retry back while its tenant is at its queued cap, across a restart, and opens it once there is room', async () => {
      const s = scope();
      // Server or not, the in-process chain is what one process needs; the lock connection's part is in the gate's own suite.
      const locks = new TenantLocks(null);
      const logged: string[] = [];
      const logger = { log: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) };
      const queuedQuota = { gate: new TenantQueueGate(ctx!.sql, locks), limitOf: (tenantId: string) => (tenantId === s.tenantId ? 1 : null) };
      let retries = await startRetries({ baseSeconds: 0.05, maxSeconds: 0.1 }, 7, { queuedQuota, logger });
      const jobId = await submit(s, 2);
      await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() }, meta());
      const blocker = await submit(s, 1); // Queued: the tenant is at its cap of 1
      await repository.execute(jobId, {
        kind: 'FailJob', nodeId: 'n1', at: new Date().toISOString(), errorType: 'ExecutionError', message: 'failed in a test',
        failure: { category: 'Timeout', retryable: true },
      }, meta());
      const waits = () => logged.some((m) => m.includes(`job ${jobId}: automatic retry waits`) && m.includes('maxQueuedJobs 1'));
      await waitFor(waits, 10_000, 10, 'the retry to wait for room');
      const due = await view(s, jobId);
      expect(due).toMatchObject({ status: 'Failed', retriedBy: null });
      expect(Date.parse(due.nextRetryAt!)).toBeLessThanOrEqual(Date.now()); // due, and still due: not lost, not opened
      expect((await views.dueRetries(new Date(), 100)).map((j) => j.jobId)).toContain(jobId);
      expect(await retriesOf(s, jobId)).toEqual([]);

      // A restart finds it due and still waiting.
      await retries.stop();
      logged.length = 0;
      retries = await startRetries({ baseSeconds: 0.05, maxSeconds: 0.1 }, 8, { queuedQuota, logger });
      await waitFor(waits, 10_000, 10, 'the retry to wait for room after the restart');
      expect((await view(s, jobId)).retriedBy).toBeNull();

      // Room opens: the retry goes in, once, and the tenant is at its cap again.
      await repository.execute(blocker, {
        kind: 'CancelJob', at: new Date().toISOString(), request: { reason: 'make room', forceTermination: false, preservePartialResults: false, requestedBy: 'test' },
      }, meta());
      const retriedBy = await waitFor(async () => (await view(s, jobId)).retriedBy, 10_000, 10, 'the retry once there is room');
      expect(retriedBy).toBe(automaticRetryJobId(jobId, 2));
      expect((await retriesOf(s, jobId)).map((j) => [j.jobId, j.status])).toEqual([[retriedBy, 'Queued']]);
      expect(await queuedQuota.gate.queueLoad.queuedJobs(s.tenantId)).toBe(1);
      await retries.stop();
      await locks.close();
    });

    it('a retry by request of a job with a pending automatic retry takes its place: one retry in all', async () => {
      const retries = await startRetries({ baseSeconds: 60, maxSeconds: 60 });
      const s = scope();
      const jobId = await submit(s, 3);
      await runAndFail(jobId, 'Timeout');
      await waitFor(async () => (await view(s, jobId)).nextRetryAt, 10_000, 10, 'the retry to be scheduled');
      const old = (await repository.load(jobId))!;
      const manual = await retryFailedJob(repository, old, {
        newJobId: requestedRetryJobId(old), at: new Date().toISOString(), requestedBy: 'alice', reason: 'by hand',
      }, meta());
      expect(manual.state.jobId).toBe(automaticRetryJobId(jobId, 2));
      expect(await view(s, jobId)).toMatchObject({ nextRetryAt: null, retriedBy: manual.state.jobId });
      expect((await views.dueRetries(new Date(Date.now() + 120_000), 100)).map((j) => j.jobId)).not.toContain(jobId);
      expect(await views.nextRetryDue()).toBeNull();
      await retries.stop();
    });
  });
}

describeRetries('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('automatic retries suite');
describeRetries('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'auto_retries')));
