/**
 * The pipelines on real stores: PGlite in-process and the PostgreSQL server (when reachable),
 * the PostgreSQL event store and the job views written with each append, jobs driven through
 * the JobRepository as a node would drive them. Waits are on conditions, never fixed sleeps.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, classified, jobStreamId, retryFailedJob, type FailureCategory, type JobSubmittedData } from '../../job-domain/src/index.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobOutcome, jobSubmission } from '../../../test/support/job-commands.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';
import { Pipelines } from './pipelines.js';

const AGING = 600;
const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const quiet = { log: () => undefined, warn: () => undefined };

function describePipelines(name: string, open: (() => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>) | null): void {
  (open ? describe : describe.skip)(`pipelines on ${name}`, () => {
    let ctx: { sql: SqlClient; cleanup(): Promise<void> } | undefined;
    let events: PostgresEventStore;
    let views: PostgresJobReadStore;
    let repository: JobRepository;
    const running: Pipelines[] = [];
    const scope = { tenantId: `t-${randomUUID()}`, projectId: 'p' };

    beforeAll(async () => {
      ctx = await open!();
      events = await createEventStoreOnClient(ctx.sql, { pollIntervalMs: 20 });
      views = new PostgresJobReadStore(ctx.sql, AGING);
      await views.migrate();
      repository = new JobRepository(events, new PostgresJobWriter(ctx.sql, events, AGING));
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((p) => p.stop()));
    });
    afterAll(async () => {
      await events?.close();
      await ctx?.cleanup();
    });

    async function startPipelines(): Promise<Pipelines> {
      const pipelines = new Pipelines(events, views, repository, { logger: quiet });
      running.push(pipelines);
      await pipelines.start();
      return pipelines;
    }

    async function submit(overrides: Partial<JobSubmittedData> = {}) {
      const jobId = randomUUID();
      const result = await repository.execute(jobId, { kind: 'SubmitJob', submission: jobSubmission(jobId, scope, overrides) }, meta());
      return { jobId, position: result.position! };
    }
    const start = (jobId: string) => repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() }, meta());
    async function complete(jobId: string, datasetId?: string) {
      await start(jobId);
      const outcome = jobOutcome();
      const artifacts = datasetId ? [{
        artifactId: randomUUID(), fileName: 'enriched-data.csv', type: 'EnrichedDataset', title: 'Enriched', format: 'csv',
        outputType: 'data' as const, sizeBytes: 10, primary: true, datasetId,
      }] : [];
      return (await repository.execute(jobId, { kind: 'CompleteJob', nodeId: 'n1', at: new Date().toISOString(), outcome: { ...outcome, artifacts } }, meta())).position!;
    }
    async function fail(jobId: string, category: FailureCategory) {
      await start(jobId);
      return (await repository.execute(jobId, {
        kind: 'FailJob', nodeId: 'n1', at: new Date().toISOString(), errorType: 'ExecutionError', message: `failed in a test (${category})`,
        failure: classified(category),
      }, meta())).position!;
    }
    const view = async (jobId: string) => (await views.getJob(scope.tenantId, scope.projectId, jobId))!;
    const claimable = async () => (await views.nextQueuedJobDocuments(new Date(Date.now() + 60_000), 1000)).map((j) => j.jobId);
    const types = async (jobId: string) => (await events.readStream(jobStreamId(jobId))).map((e) => e.type);

    it('keeps a waiting job from every claim until its dependencies complete, also one that completed while the pipelines were stopped', async () => {
      const pipelines = await startPipelines();
      const first = await submit();
      const second = await submit();
      const waiting = await submit({ dependsOn: [first.jobId, second.jobId] });
      expect(await pipelines.waitFor(waiting.position, 10_000)).toBe(true);
      expect(await view(waiting.jobId)).toMatchObject({ status: 'Queued', waitingFor: [first.jobId, second.jobId] });
      expect(await claimable()).not.toContain(waiting.jobId);
      expect((await views.waitingDependents(first.jobId)).map((j) => j.jobId)).toEqual([waiting.jobId]);

      await pipelines.waitFor(await complete(first.jobId), 10_000);
      expect((await view(waiting.jobId)).waitingFor).toEqual([second.jobId]);
      expect(await claimable()).not.toContain(waiting.jobId);

      await pipelines.stop();
      await complete(second.jobId); // nobody is listening
      expect((await view(waiting.jobId)).waitingFor).toEqual([second.jobId]);
      await startPipelines();
      await waitFor(async () => (await view(waiting.jobId)).waitingFor?.length === 0, 10_000, 20, 'the release after the restart');
      expect(await claimable()).toContain(waiting.jobId);
      expect((await types(waiting.jobId)).filter((t) => t === 'JobDependencyMet')).toHaveLength(2);
      expect(await views.waitingJobs(null, 100)).toEqual([]);
    });

    it('waits for the retry of a dependency that is retried, and reads the dataset a DataEnrichment dependency produced', async () => {
      const pipelines = await startPipelines();
      const enrich = await submit({ jobType: 'DataEnrichment', scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30, maxAttempts: 2 } });
      const reads = await submit({ dependsOn: [enrich.jobId], parameters: { datasetId: { fromJob: enrich.jobId } } });
      const failed = await fail(enrich.jobId, 'Timeout'); // retryable, one attempt left: not failed for good
      expect(await pipelines.waitFor(failed, 10_000)).toBe(true);
      expect(await view(reads.jobId)).toMatchObject({ status: 'Queued', waitingFor: [enrich.jobId] });

      const { state: retry } = await retryFailedJob(repository, (await repository.load(enrich.jobId))!, {
        newJobId: randomUUID(), at: new Date().toISOString(), requestedBy: 'alice', reason: 'again',
      }, meta());
      await waitFor(async () => (await view(reads.jobId)).waitingFor?.[0] === retry.jobId, 10_000, 20, 'the wait to move to the retry');
      expect((await view(reads.jobId)).parameters.datasetId).toEqual({ fromJob: retry.jobId });

      const datasetId = randomUUID();
      await pipelines.waitFor(await complete(retry.jobId, datasetId), 10_000);
      expect(await view(reads.jobId)).toMatchObject({ status: 'Queued', waitingFor: [], parameters: { datasetId } });
      expect(await claimable()).toContain(reads.jobId);
    });

    it('fails the dependents of a job that failed for good, transitively, and of a cancelled one', async () => {
      const pipelines = await startPipelines();
      const root = await submit({ scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30, maxAttempts: 1 } });
      const child = await submit({ dependsOn: [root.jobId] });
      const grandchild = await submit({ dependsOn: [child.jobId] });
      await fail(root.jobId, 'Timeout'); // retryable, but its only attempt
      const failed = await waitFor(async () => {
        const v = await view(grandchild.jobId);
        return v.status === 'Failed' ? v : null;
      }, 10_000, 20, 'the grandchild to fail');
      expect(failed.failure).toMatchObject({ errorType: 'DependencyFailed', category: 'DependencyFailed', retryable: false });
      expect(failed.failure!.message).toContain(`dependency ${child.jobId} Failed (DependencyFailed)`);
      expect((await view(child.jobId)).failure!.message).toBe(`dependency ${root.jobId} Failed (Timeout): failed in a test (Timeout)`);
      expect(await types(grandchild.jobId)).toEqual(['JobSubmitted', 'JobFailed']);

      const cancelled = await submit();
      const orphan = await submit({ dependsOn: [cancelled.jobId] });
      await pipelines.waitFor(orphan.position, 10_000);
      await repository.execute(cancelled.jobId, {
        kind: 'CancelJob', at: new Date().toISOString(),
        request: { reason: 'no longer needed', forceTermination: false, preservePartialResults: false, requestedBy: 'bob' },
      }, meta());
      await waitFor(async () => (await view(orphan.jobId)).status === 'Failed', 10_000, 20, 'the orphan to fail');
      expect((await view(orphan.jobId)).failure!.message).toBe(`dependency ${cancelled.jobId} was Cancelled: no longer needed`);
    });

    it('releases at once a job whose dependencies completed before it was submitted, once', async () => {
      const pipelines = await startPipelines();
      const done = await submit();
      await complete(done.jobId);
      const late = await submit({ dependsOn: [done.jobId] });
      await pipelines.waitFor(late.position, 10_000);
      await waitFor(async () => (await view(late.jobId)).waitingFor?.length === 0, 10_000, 20, 'the release');
      // Handled again (a redelivered batch, a second runner): nothing more happens.
      await startPipelines();
      const again = await submit();
      await Promise.all(running.map((p) => p.waitFor(again.position, 10_000)));
      expect(await types(late.jobId)).toEqual(['JobSubmitted', 'JobDependencyMet']);
    });
  });
}

describePipelines('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('pipelines suite');
describePipelines('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'pipelines')));
