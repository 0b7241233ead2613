/**
 * The contract every JobReadStore adapter satisfies, exercised on the port directly with
 * job documents built by the domain's own `decide` + `evolve`. Each adapter's
 * `*.int.spec.ts` calls `describeJobReadStoreContract` with a factory that opens a fresh,
 * empty store for the suite; each test empties it through the port before it runs.
 * A caller whose server is not available passes null instead of a factory: every test is
 * then reported skipped (the caller has said so loudly), never counted as passed.
 *
 * Stores are created with 600 s of aging per priority level and no per-tenant cap, but
 * for the cap's own tests, which open a second store with a cap of 2.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { START_POSITION, comparePositions, type EventStore, type GlobalPosition } from '../../event-store/src/event-store.port.js';
import {
  decide, evolve, evolveQueue,
  type JobCommand, type JobOutcome, type JobPriority, type JobState, type JobSubmittedData, type JobType, type ProjectQueueState,
} from '../../job-domain/src/index.js';
import { JobRepository, ProjectQueueRepository, systemCommandMetadata } from '../../job-domain/src/index.js';
import type { JobViewRebuilds } from './job-view-rebuilds.port.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { JobViewRebuild } from './projections/job-view-rebuild.js';
import { CheckpointMovedError, type ExecutionNodeHeartbeat, type JobListFilter, type JobReadStore } from './read-store.port.js';

export interface JobReadStoreContractSubject {
  readonly store: JobReadStore;
  /** The store's blue/green rebuilds, folding the events of `events` (an event store of the suite's own). */
  readonly rebuilds: { readonly rebuilds: JobViewRebuilds; readonly events: EventStore };
  cleanup(): Promise<void>;
}

export interface JobReadStoreContractOptions {
  /** Per-tenant cap of running jobs the store enforces in claim order (null = none). */
  readonly tenantMaxRunningJobs: number | null;
  /** Tenants with a cap of their own (null = none), instead of tenantMaxRunningJobs. */
  readonly runningCapsByTenant?: Readonly<Record<string, number | null>>;
}

/** Opens a fresh, empty store of its own on every call. */
export type JobReadStoreContractFactory = (options: JobReadStoreContractOptions) => Promise<JobReadStoreContractSubject>;

export const CONTRACT_AGING_SECONDS_PER_LEVEL = 600;

const T0 = Date.parse('2024-05-06T08:00:00.000Z');
/** An ISO time `seconds` after T0. */
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** Runs a command through decide + evolve, as the write side and the projection do. */
function run(state: JobState | null, command: JobCommand, recordedAt: string): JobState {
  let next = state;
  for (const event of decide(command, state)) next = evolve(next, event, (next?.revision ?? -1) + 1, recordedAt);
  if (!next) throw new Error(`${command.kind} produced no state`);
  return next;
}

interface SubmitOptions {
  readonly jobId?: string;
  readonly tenantId?: string;
  readonly projectId?: string;
  readonly jobType?: JobType;
  readonly priority?: JobPriority;
  readonly submittedBy?: string;
  readonly submittedAt?: string;
  readonly scheduledTime?: string | null;
  readonly timeoutMinutes?: number;
  readonly parameters?: Record<string, unknown>;
}

function submitted(o: SubmitOptions = {}): JobState {
  const jobId = o.jobId ?? randomUUID();
  const submission: JobSubmittedData = {
    jobId, tenantId: o.tenantId ?? 'tenant-a', projectId: o.projectId ?? 'project-1', jobName: `job ${jobId.slice(0, 8)}`,
    jobDescription: 'contract job', jobType: o.jobType ?? 'ProcessMining', priority: o.priority ?? 'Normal',
    resource: { resourceType: 'dataset', resourceId: randomUUID(), resourceName: 'orders.csv' },
    parameters: o.parameters ?? { datasetId: randomUUID(), threshold: 0.8, columns: ['case', 'activity'] },
    scheduling: { executeImmediately: !o.scheduledTime, scheduledTime: o.scheduledTime ?? null, timeoutMinutes: o.timeoutMinutes ?? 30 },
    notifications: { onCompletion: true, onFailure: false, emailRecipients: ['ops@example.com'] },
    submittedBy: o.submittedBy ?? 'alice', submittedAt: o.submittedAt ?? at(0), retryOf: null, attempt: 1,
  };
  return run(null, { kind: 'SubmitJob', submission }, submission.submittedAt);
}

const started = (job: JobState, seconds: number, nodeId = 'node-1') =>
  run(job, { kind: 'StartJob', nodeId, at: at(seconds) }, at(seconds));

function outcome(wallTimeSeconds: number): JobOutcome {
  return {
    recordsProcessed: 100, totalRecords: 100, dataQualityScore: 0.97,
    dataValidation: { totalRecords: 100, validRecords: 98, duplicatesRemoved: 1, invalidRecords: 1 },
    warnings: [{ type: 'MissingTimestamp', message: 'rows without a timestamp', count: 1 }],
    processingErrors: [],
    artifacts: [{
      artifactId: randomUUID(), fileName: 'report.html', type: 'Report', title: 'Report', format: 'html',
      outputType: 'reports', sizeBytes: 2048, primary: true,
    }],
    execution: { cpuTimeSeconds: 1.5, wallTimeSeconds, peakMemoryBytes: 5_000_000_000, diskIoOperations: 12, diskBytesWritten: 4096 },
  };
}

const completed = (job: JobState, seconds: number) =>
  run(job, { kind: 'CompleteJob', nodeId: job.nodeId!, at: at(seconds), outcome: outcome(seconds) }, at(seconds));
const failed = (job: JobState, seconds: number) =>
  run(job, { kind: 'FailJob', nodeId: job.nodeId, at: at(seconds), errorType: 'ExecutionError', message: 'boom' }, at(seconds));
const cancelled = (job: JobState, seconds: number) =>
  run(job, { kind: 'CancelJob', at: at(seconds), request: { requestedBy: 'alice', reason: 'no longer needed', forceTermination: false, preservePartialResults: false } }, at(seconds));
const requeued = (job: JobState, seconds: number) =>
  run(job, { kind: 'RequeueJob', nodeId: job.nodeId!, at: at(seconds), reason: 'node lost', nodeLost: true, maxLostAttempts: 3 }, at(seconds));

const held = (job: JobState, seconds: number) =>
  run(job, { kind: 'HoldJob', at: at(seconds), heldBy: 'olivia', reason: 'waiting for data' }, at(seconds));
const released = (job: JobState, seconds: number) =>
  run(job, { kind: 'ReleaseJob', at: at(seconds), releasedBy: 'olivia', reason: null }, at(seconds));
const reprioritized = (job: JobState, priority: JobPriority, seconds: number) =>
  run(job, { kind: 'ChangePriority', at: at(seconds), priority, changedBy: 'olivia', reason: null }, at(seconds));

/** A project queue after `events` (each 'pause' or 'resume'), as the projection folds it. */
function projectQueue(tenantId: string, projectId: string, ...events: ('pause' | 'resume')[]): ProjectQueueState {
  let state: ProjectQueueState | null = null;
  events.forEach((kind, revision) => {
    const scope = { tenantId, projectId, reason: 'maintenance' };
    state = evolveQueue(state, kind === 'pause'
      ? { type: 'QueuePaused', data: { ...scope, pausedBy: 'olivia', pausedAt: at(revision) } }
      : { type: 'QueueResumed', data: { ...scope, resumedBy: 'olivia', resumedAt: at(revision) } }, revision, at(revision));
  });
  return state!;
}

function heartbeat(nodeId: string, overrides: Partial<ExecutionNodeHeartbeat> = {}): ExecutionNodeHeartbeat {
  return {
    nodeId, jobCapacity: 4, activeJobs: 1, cpuPercent: 37.5, cpuCores: 8, memoryUsedBytes: 6 * 1024 ** 3,
    memoryTotalBytes: 64 * 1024 ** 3, diskAvailableBytes: 500 * 1024 ** 3, draining: false, runningJobIds: [], ...overrides,
  };
}

const ids = (jobs: readonly { jobId: string }[]) => jobs.map((j) => j.jobId);
const sortedIds = (jobs: readonly { jobId: string }[]) => ids(jobs).sort();

export function describeJobReadStoreContract(name: string, factory: JobReadStoreContractFactory | null): void {
  (factory ? describe : describe.skip)(`JobReadStore contract: ${name}`, () => {
    let subject: JobReadStoreContractSubject | undefined;
    let store: JobReadStore;
    let projection = 'jobs';
    let tests = 0;
    let position = START_POSITION;
    let step = 0n;

    beforeAll(async () => {
      subject = await factory!({ tenantMaxRunningJobs: null });
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });
    // Each test starts empty through the port itself: a projection name of its own, no
    // documents (queue and statistics queries span all tenants), no nodes.
    beforeEach(async () => {
      tests += 1;
      projection = `jobs-${tests}`;
      position = START_POSITION;
      await store.resetJobProjection(projection);
      for (const node of await store.listNodes()) await store.removeNode(node.nodeId);
    });

    /** Writes documents as the job projection does: moving its checkpoint one step on. */
    async function put(...documents: JobState[]): Promise<GlobalPosition> {
      return putWithQueues(documents, []);
    }

    async function putWithQueues(documents: readonly JobState[], queues: readonly ProjectQueueState[]): Promise<GlobalPosition> {
      step += 1n;
      const next = { commit: 1000n + step, prepare: 1000n + step };
      await store.applyJobDocuments(projection, position, next, documents, queues);
      position = next;
      return next;
    }

    describe('checkpoint', () => {
      it('starts at START_POSITION and moves with each write, per projection', async () => {
        expect(await store.loadCheckpoint(projection)).toEqual(START_POSITION);
        const first = { commit: 5n, prepare: 3n };
        await store.applyJobDocuments(projection, START_POSITION, first, []);
        expect(await store.loadCheckpoint(projection)).toEqual(first);
        // Beyond a signed 64-bit integer: KurrentDB commit positions are unsigned.
        const huge = { commit: 18_446_744_073_709_551_000n, prepare: 9_223_372_036_854_775_807n };
        await store.applyJobDocuments(projection, first, huge, [submitted()]);
        expect(await store.loadCheckpoint(projection)).toEqual(huge);
        expect(await store.loadCheckpoint(`${projection}-other`)).toEqual(START_POSITION);
        await store.applyJobDocuments(`${projection}-other`, START_POSITION, { commit: 1n, prepare: 1n }, []);
        expect(await store.loadCheckpoint(projection)).toEqual(huge);
      });

      it('moves from START_POSITION even when the checkpoint was never loaded', async () => {
        const job = submitted();
        await store.applyJobDocuments(projection, START_POSITION, { commit: 7n, prepare: 7n }, [job]);
        expect(await store.loadCheckpoint(projection)).toEqual({ commit: 7n, prepare: 7n });
        expect(await store.getJob(job.tenantId, job.projectId, job.jobId)).toEqual(job);
      });

      it('rejects a stale expected checkpoint with CheckpointMovedError and writes nothing', async () => {
        expect(await store.loadCheckpoint(projection)).toEqual(START_POSITION);
        const kept = submitted();
        const moved = { commit: 10n, prepare: 4n };
        await store.applyJobDocuments(projection, START_POSITION, moved, [kept]);

        const lost = submitted();
        const update = started(kept, 60);
        const stale = store.applyJobDocuments(projection, START_POSITION, { commit: 11n, prepare: 1n }, [lost, update]);
        await expect(stale).rejects.toBeInstanceOf(CheckpointMovedError);
        await expect(stale).rejects.toMatchObject({ consumer: projection });
        // Ahead of the stored one is stale too.
        await expect(store.applyJobDocuments(projection, { commit: 10n, prepare: 5n }, { commit: 12n, prepare: 1n }, [lost]))
          .rejects.toBeInstanceOf(CheckpointMovedError);

        expect(await store.loadCheckpoint(projection)).toEqual(moved);
        expect(await store.getJob(lost.tenantId, lost.projectId, lost.jobId)).toBeNull();
        expect(await store.getJob(kept.tenantId, kept.projectId, kept.jobId)).toEqual(kept);
      });

      it('lets exactly one of two concurrent writers move the checkpoint from the same place', async () => {
        await store.loadCheckpoint(projection);
        const [a, b] = [submitted(), submitted()];
        const outcomes = await Promise.allSettled([
          store.applyJobDocuments(projection, START_POSITION, { commit: 20n, prepare: 1n }, [a]),
          store.applyJobDocuments(projection, START_POSITION, { commit: 20n, prepare: 2n }, [b]),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(CheckpointMovedError);
        const winner = outcomes[0].status === 'fulfilled' ? a : b;
        const loser = winner === a ? b : a;
        expect(await store.loadCheckpoint(projection)).toEqual({ commit: 20n, prepare: winner === a ? 1n : 2n });
        expect(await store.getJob(winner.tenantId, winner.projectId, winner.jobId)).toEqual(winner);
        expect(await store.getJob(loser.tenantId, loser.projectId, loser.jobId)).toBeNull();
      });

      it('resetJobProjection drops every document and the checkpoint, then rebuilds from START_POSITION', async () => {
        const jobs = [submitted(), submitted({ tenantId: 'tenant-b' }), started(submitted(), 30)];
        await put(...jobs);
        await store.resetJobProjection(projection);
        expect(await store.loadCheckpoint(projection)).toEqual(START_POSITION);
        for (const job of jobs) expect(await store.getJob(job.tenantId, job.projectId, job.jobId)).toBeNull();
        expect((await store.listJobs({ tenantId: 'tenant-a', projectId: 'project-1' }, { offset: 0, limit: 10 })).totalJobs).toBe(0);
        expect(await store.nextQueuedJobs(new Date(T0 + 3600_000), 10)).toEqual([]);
        expect(await store.runningJobs()).toEqual([]);

        position = START_POSITION;
        await put(jobs[0]);
        expect(await store.getJob(jobs[0].tenantId, jobs[0].projectId, jobs[0].jobId)).toEqual(jobs[0]);
      });
    });

    describe('documents', () => {
      it('keeps the last version of a job written twice, across writes and within one write', async () => {
        const v0 = submitted({ priority: 'High' });
        const v1 = started(v0, 10);
        await put(v0);
        await put(v1);
        expect(await store.getJob(v0.tenantId, v0.projectId, v0.jobId)).toEqual(v1);
        const v2 = failed(v1, 70);
        const other = submitted();
        const v3 = run(v2, { kind: 'RetryJob', at: at(80), newJobId: randomUUID(), reason: null, retriedBy: 'bob' }, at(80));
        expect(v3.retriedBy).not.toBeNull();
        await put(v2, other, v3);
        expect(await store.getJob(v0.tenantId, v0.projectId, v0.jobId)).toEqual(v3);
        const page = await store.listJobs({ tenantId: 'tenant-a', projectId: 'project-1' }, { offset: 0, limit: 10 });
        expect(page.totalJobs).toBe(2);
        expect(page.countsByStatus).toMatchObject({ Failed: 1, Queued: 1, Running: 0 });
        expect(await store.runningJobs()).toEqual([]);
      });

      it('round-trips the whole document, free-form parameters included', async () => {
        const job = completed(started(submitted({
          parameters: {
            'dotted.key': 1, $dollar: { $nested: true }, unicode: 'Prozess — ünïcödé ✓ 日本語', big: 2 ** 40,
            fraction: -0.125, nothing: null, list: [1, 'two', { three: [3] }], empty: {},
          },
        }), 5), 65);
        await put(job);
        // Written again (as an update of an existing document).
        await put(job);
        expect(await store.getJob(job.tenantId, job.projectId, job.jobId)).toEqual(job);
        expect(await store.getJobsByIds([job.jobId])).toEqual([job]);
      });

      it('scopes getJob by tenant and project; getJobsByIds returns the known ones', async () => {
        const a = submitted({ tenantId: 'tenant-a', projectId: 'project-1' });
        const b = submitted({ tenantId: 'tenant-b', projectId: 'project-1' });
        await put(a, b);
        expect(await store.getJob('tenant-a', 'project-1', a.jobId)).toEqual(a);
        expect(await store.getJob('tenant-b', 'project-1', a.jobId)).toBeNull();
        expect(await store.getJob('tenant-a', 'project-2', a.jobId)).toBeNull();
        expect(await store.getJob('tenant-a', 'project-1', randomUUID())).toBeNull();
        expect(sortedIds(await store.getJobsByIds([a.jobId, b.jobId, randomUUID()]))).toEqual([a.jobId, b.jobId].sort());
        expect(await store.getJobsByIds([])).toEqual([]);
      });
    });

    describe('listJobs', () => {
      /** Twelve jobs in tenant-a/project-1, one a minute, plus look-alikes in other scopes. */
      async function seed() {
        const kinds: [JobType, JobPriority, string][] = [
          ['ProcessMining', 'Low', 'alice'], ['DataEnrichment', 'Normal', 'bob'], ['Analysis', 'High', 'alice'],
          ['Notebook', 'Critical', 'carol'], ['ProcessMining', 'Normal', 'bob'], ['Analysis', 'Normal', 'alice'],
        ];
        const jobs: JobState[] = [];
        for (let i = 0; i < 12; i++) {
          const [jobType, priority, submittedBy] = kinds[i % kinds.length];
          let job = submitted({ jobType, priority, submittedBy, submittedAt: at(i * 60) });
          if (i % 4 === 1) job = started(job, i * 60 + 5);
          if (i % 4 === 2) job = completed(started(job, i * 60 + 5), i * 60 + 50);
          if (i % 4 === 3) job = i === 3 ? failed(started(job, i * 60 + 5), i * 60 + 9) : cancelled(job, i * 60 + 7);
          jobs.push(job);
        }
        const elsewhere = [
          submitted({ projectId: 'project-2', submittedAt: at(120) }),
          submitted({ tenantId: 'tenant-b', submittedAt: at(120) }),
        ];
        await put(...jobs.slice(0, 7));
        await put(...jobs.slice(7), ...elsewhere);
        return jobs;
      }
      const scope = { tenantId: 'tenant-a', projectId: 'project-1' };
      const newestFirst = (jobs: readonly JobState[]) => [...jobs].sort((x, y) => Date.parse(y.submittedAt) - Date.parse(x.submittedAt));

      it('lists the scope newest first with counts by status over the whole filtered set, paged', async () => {
        const jobs = await seed();
        const all = await store.listJobs(scope, { offset: 0, limit: 100 });
        expect(ids(all.jobs)).toEqual(ids(newestFirst(jobs)));
        expect(all.jobs[0]).toEqual(jobs[11]);
        expect(all.totalJobs).toBe(12);
        expect(all.countsByStatus).toEqual({ Queued: 3, Running: 3, Completed: 3, Failed: 1, Cancelled: 2 });

        const page = await store.listJobs(scope, { offset: 5, limit: 4 });
        expect(ids(page.jobs)).toEqual(ids(newestFirst(jobs)).slice(5, 9));
        expect(page.totalJobs).toBe(12);
        expect(page.countsByStatus).toEqual(all.countsByStatus);
        const beyond = await store.listJobs(scope, { offset: 12, limit: 4 });
        expect(beyond.jobs).toEqual([]);
        expect(beyond.totalJobs).toBe(12);

        const empty = await store.listJobs({ tenantId: 'tenant-c', projectId: 'project-1' }, { offset: 0, limit: 10 });
        expect(empty).toEqual({ jobs: [], totalJobs: 0, countsByStatus: { Queued: 0, Running: 0, Completed: 0, Failed: 0, Cancelled: 0 } });
      });

      it('filters by status, jobType, priority and submittedBy, alone and combined', async () => {
        const jobs = await seed();
        const expectFilter = async (filter: Partial<Parameters<JobReadStore['listJobs']>[0]>, keep: (j: JobState) => boolean) => {
          const result = await store.listJobs({ ...scope, ...filter }, { offset: 0, limit: 100 });
          const wanted = newestFirst(jobs.filter(keep));
          expect(wanted.length).toBeGreaterThan(0);
          expect(ids(result.jobs)).toEqual(ids(wanted));
          expect(result.totalJobs).toBe(wanted.length);
          const counts = { Queued: 0, Running: 0, Completed: 0, Failed: 0, Cancelled: 0 };
          for (const j of wanted) counts[j.status] += 1;
          expect(result.countsByStatus).toEqual(counts);
        };
        await expectFilter({ status: 'Running' }, (j) => j.status === 'Running');
        await expectFilter({ status: 'Cancelled' }, (j) => j.status === 'Cancelled');
        await expectFilter({ jobType: 'Analysis' }, (j) => j.jobType === 'Analysis');
        await expectFilter({ priority: 'Normal' }, (j) => j.priority === 'Normal');
        await expectFilter({ submittedBy: 'bob' }, (j) => j.submittedBy === 'bob');
        await expectFilter({ jobType: 'ProcessMining', submittedBy: 'bob' }, (j) => j.jobType === 'ProcessMining' && j.submittedBy === 'bob');
        await expectFilter({ priority: 'Normal', status: 'Queued' }, (j) => j.priority === 'Normal' && j.status === 'Queued');
        expect((await store.listJobs({ ...scope, submittedBy: 'mallory' }, { offset: 0, limit: 10 })).totalJobs).toBe(0);
      });

      it('bounds dateCreated inclusively at both ends', async () => {
        const jobs = await seed();
        const from = new Date(jobs[3].submittedAt);
        const to = new Date(jobs[7].submittedAt);
        const between = await store.listJobs({ ...scope, dateFrom: from, dateTo: to }, { offset: 0, limit: 100 });
        expect(ids(between.jobs)).toEqual(ids(newestFirst(jobs.slice(3, 8))));
        expect(between.totalJobs).toBe(5);
        const after = await store.listJobs({ ...scope, dateFrom: new Date(from.getTime() + 1) }, { offset: 0, limit: 100 });
        expect(after.totalJobs).toBe(8);
        const before = await store.listJobs({ ...scope, dateTo: new Date(to.getTime() - 1) }, { offset: 0, limit: 100 });
        expect(ids(before.jobs)).toEqual(ids(newestFirst(jobs.slice(0, 7))));
        const exact = await store.listJobs({ ...scope, dateFrom: to, dateTo: to, status: jobs[7].status }, { offset: 0, limit: 100 });
        expect(ids(exact.jobs)).toEqual([jobs[7].jobId]);
      });

      it('filters dead-lettered jobs, lists due retries earliest first and counts dead letters per tenant', async () => {
        const withAttempts = (job: JobState, maxAttempts: number, attempt = 1): JobState =>
          ({ ...job, attempt, scheduling: { ...job.scheduling, maxAttempts } });
        const timedOut = (job: JobState, seconds: number) =>
          run(job, { kind: 'FailJob', nodeId: job.nodeId, at: at(seconds), errorType: 'Timeout', message: 'too long' }, at(seconds));
        const schedule = (job: JobState, seconds: number, delaySeconds: number) =>
          run(job, { kind: 'ScheduleRetry', at: at(seconds), delaySeconds }, at(seconds));
        const dueLater = schedule(timedOut(started(withAttempts(submitted({ submittedAt: at(0) }), 3), 5), 10), 10, 50); // due at 60
        const dueSooner = schedule(timedOut(started(withAttempts(submitted({ submittedAt: at(1) }), 3), 5), 10), 10, 20); // due at 30
        const dead = schedule(timedOut(started(withAttempts(submitted({ submittedAt: at(2) }), 2, 2), 5), 10), 10, 20);
        const deadElsewhere = schedule(timedOut(started(withAttempts(submitted({ submittedAt: at(3), tenantId: 'tenant-b' }), 1), 5), 10), 10, 1);
        const plainFailure = failed(started(submitted({ submittedAt: at(4) }), 5), 10);
        expect(dead.deadLettered).toBeTruthy();
        await put(dueLater, dueSooner, dead, deadElsewhere, plainFailure);

        const deadLetters = await store.listJobs({ ...scope, status: 'Failed', deadLettered: true }, { offset: 0, limit: 10 });
        expect(ids(deadLetters.jobs)).toEqual([dead.jobId]);
        expect(deadLetters.totalJobs).toBe(1);
        expect(deadLetters.countsByStatus.Failed).toBe(1);
        const others = await store.listJobs({ ...scope, deadLettered: false }, { offset: 0, limit: 10 });
        expect(sortedIds(others.jobs)).toEqual(sortedIds([dueLater, dueSooner, plainFailure]));
        expect(others.totalJobs).toBe(3);
        expect(await store.countDeadLettered('tenant-a')).toBe(1);
        expect(await store.countDeadLettered('tenant-b')).toBe(1);
        expect(await store.countDeadLettered('tenant-c')).toBe(0);

        expect(await store.nextRetryDue()).toEqual(new Date(at(30)));
        expect(await store.dueRetries(new Date(at(29)), 10)).toEqual([]);
        expect(ids(await store.dueRetries(new Date(at(30)), 10))).toEqual([dueSooner.jobId]);
        expect(ids(await store.dueRetries(new Date(at(100)), 10))).toEqual([dueSooner.jobId, dueLater.jobId]);
        expect(ids(await store.dueRetries(new Date(at(100)), 1))).toEqual([dueSooner.jobId]);
        const retried = run(dueSooner, { kind: 'RetryJob', at: at(40), newJobId: randomUUID(), reason: null, retriedBy: 'automatic-retries', automatic: true }, at(40));
        await put(retried);
        expect(ids(await store.dueRetries(new Date(at(100)), 10))).toEqual([dueLater.jobId]);
        expect(await store.nextRetryDue()).toEqual(new Date(at(60)));
      });

      it('lists the queued jobs waiting for a dependency, holds them from claims and counts them apart in the queue view', async () => {
        const dependency = submitted({ submittedAt: at(0) });
        const waitingOn = (seconds: number, dependsOn: string[]): JobState => {
          const job = submitted({ submittedAt: at(seconds) });
          return run(null, { kind: 'SubmitJob', submission: { ...job, dependsOn } }, at(seconds));
        };
        const waiting = waitingOn(1, [dependency.jobId]);
        const other = waitingOn(2, [randomUUID(), dependency.jobId]);
        const met = run(waitingOn(3, [dependency.jobId]), {
          kind: 'ResolveDependency', at: at(4), dependencyJobId: dependency.jobId, outcome: { kind: 'Completed', datasetId: null },
        }, at(4));
        expect(met.waitingFor).toEqual([]);
        await put(dependency, waiting, other, met);

        expect(sortedIds(await store.waitingDependents(dependency.jobId))).toEqual(sortedIds([waiting, other]));
        expect(await store.waitingDependents(randomUUID())).toEqual([]);
        const all = await store.waitingJobs(null, 10);
        expect(ids(all)).toEqual(sortedIds([waiting, other]));
        expect(ids(await store.waitingJobs(null, 1))).toEqual([all[0].jobId]);
        expect(ids(await store.waitingJobs(all[0].jobId, 10))).toEqual([all[1].jobId]);
        expect(sortedIds(await store.nextQueuedJobDocuments(new Date(at(100)), 100))).toEqual(sortedIds([dependency, met]));
        expect(await store.queuePosition(waiting.jobId, new Date(at(100)))).toBeNull();
        const view = await store.queueView(
          { tenantId: 'tenant-a', projectId: 'project-1', waitsSince: new Date(T0) }, new Date(at(100)), { offset: 0, limit: 10 },
        );
        expect({ held: view.heldJobs, waiting: view.waitingJobs }).toEqual({ held: 2, waiting: 2 });
        expect(view.jobs.slice(2).map((j) => [j.job.jobId, j.queuePosition]).sort()).toEqual([[waiting.jobId, null], [other.jobId, null]].sort());
      });

      it('gives a summary equal to a recount for random filters after random writes, and after a rebuild', async () => {
        const DAY = 86_400_000;
        // Instants a date filter likes to fall on: day boundaries, a millisecond either side, and in between.
        const instant = fc.oneof(
          { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 0, 1, DAY / 2, DAY - 1))
            .map(([day, ms]) => T0 - (T0 % DAY) + day * DAY + ms) },
          { weight: 1, arbitrary: fc.integer({ min: T0 - DAY, max: T0 + 5 * DAY }) },
          // Months apart, near their first days and in between: ranges over whole and partial months.
          { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: 0, max: 30 }), fc.constantFrom(-1, 0, 1, DAY / 2))
            .map(([month, day, ms]) => Date.UTC(2024, 4 + month, 1) + day * DAY + ms) },
        );
        const submission = fc.record({
          tenantId: fc.constantFrom('tenant-a', 'tenant-b'),
          projectId: fc.constantFrom('project-1', 'project-2'),
          jobType: fc.constantFrom<JobType>('ProcessMining', 'DataEnrichment', 'Analysis', 'Notebook'),
          priority: fc.constantFrom<JobPriority>('Low', 'Normal', 'High', 'Critical'),
          submittedBy: fc.constantFrom('alice', 'bob', 'carol'),
          // Often on the very instants filters use, so inclusive bounds are put to the test.
          submittedAt: instant.map((ms) => new Date(ms).toISOString()),
        });
        const write = fc.oneof(
          { weight: 2, arbitrary: submission.map((o) => ({ kind: 'submit' as const, o })) },
          { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), pick: fc.nat(), choice: fc.nat(3) }) },
        );
        const filter = fc.record({
          tenantId: fc.constantFrom('tenant-a', 'tenant-b'),
          projectId: fc.constantFrom('project-1', 'project-2'),
          status: fc.option(fc.constantFrom<JobState['status']>('Queued', 'Running', 'Completed', 'Failed', 'Cancelled'), { nil: undefined, freq: 2 }),
          jobType: fc.option(fc.constantFrom<JobType>('ProcessMining', 'Analysis'), { nil: undefined, freq: 2 }),
          priority: fc.option(fc.constantFrom<JobPriority>('Normal', 'High'), { nil: undefined, freq: 2 }),
          submittedBy: fc.option(fc.constantFrom('alice', 'bob'), { nil: undefined, freq: 2 }),
          // A bound is an instant, or the very submission time of one of the jobs written (a nat picks it).
          dateFrom: fc.option(fc.oneof(instant.map((ms) => new Date(ms)), fc.nat()), { nil: undefined, freq: 3 }),
          dateTo: fc.option(fc.oneof(instant.map((ms) => new Date(ms)), fc.nat()), { nil: undefined, freq: 3 }),
        });
        /** One step of a job's life, chosen among the ones its status allows. */
        const advance = (job: JobState, choice: number, seconds: number): JobState => {
          if (job.status === 'Queued') return choice % 2 === 0 ? started(job, seconds, `node-${choice}`) : cancelled(job, seconds);
          if (job.status === 'Running') return [completed, failed, requeued, cancelled][choice](job, seconds);
          return job;
        };
        const recount = (jobs: Iterable<JobState>, f: JobListFilter) => {
          const counts = { Queued: 0, Running: 0, Completed: 0, Failed: 0, Cancelled: 0 };
          let total = 0;
          for (const j of jobs) {
            const created = Date.parse(j.submittedAt);
            if (j.tenantId !== f.tenantId || j.projectId !== f.projectId) continue;
            if ((f.status && j.status !== f.status) || (f.jobType && j.jobType !== f.jobType)) continue;
            if ((f.priority && j.priority !== f.priority) || (f.submittedBy && j.submittedBy !== f.submittedBy)) continue;
            if ((f.dateFrom && created < f.dateFrom.getTime()) || (f.dateTo && created > f.dateTo.getTime())) continue;
            counts[j.status] += 1;
            total += 1;
          }
          return { totalJobs: total, countsByStatus: counts };
        };
        const summaryOf = async (f: JobListFilter) => {
          const { totalJobs, countsByStatus } = await store.listJobs(f, { offset: 0, limit: 1 });
          return { totalJobs, countsByStatus };
        };

        await fc.assert(fc.asyncProperty(
          fc.array(fc.array(write, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 8 }),
          fc.array(filter, { minLength: 4, maxLength: 8 }),
          async (batches, filters) => {
            projection = `jobs-${tests}-${++step}`;
            position = START_POSITION;
            await store.resetJobProjection(projection);
            const latest = new Map<string, JobState>();
            const order: string[] = [];
            let seconds = 6 * 86_400;
            for (const batch of batches) {
              const written: JobState[] = [];
              for (const w of batch) {
                seconds += 1;
                let job: JobState;
                if (w.kind === 'submit' || order.length === 0) {
                  job = submitted(w.kind === 'submit' ? w.o : {});
                  order.push(job.jobId);
                } else {
                  job = advance(latest.get(order[w.pick % order.length])!, w.choice, seconds);
                }
                latest.set(job.jobId, job);
                written.push(job); // a job changed twice in one batch is written twice: the last version wins
              }
              await put(...written);
            }
            const jobs = [...latest.values()];
            const bound = (b: Date | number | undefined) => (typeof b === 'number' ? new Date(jobs[b % jobs.length].submittedAt) : b);
            const resolved: JobListFilter[] = filters.map((f) => ({ ...f, dateFrom: bound(f.dateFrom), dateTo: bound(f.dateTo) }));
            for (const f of resolved) expect(await summaryOf(f)).toEqual(recount(latest.values(), f));
            // A rebuild deletes every document and replays: the counts follow both.
            await store.resetJobProjection(projection);
            position = START_POSITION;
            for (const f of resolved) expect((await summaryOf(f)).totalJobs).toBe(0);
            await put(...jobs.slice(0, Math.ceil(jobs.length / 2)));
            await put(...jobs.slice(Math.ceil(jobs.length / 2)));
            for (const f of resolved) expect(await summaryOf(f)).toEqual(recount(latest.values(), f));
          },
        ), { numRuns: 40 });
      });
    });

    describe('queue', () => {
      it('names the earliest scheduled time still to come of a queued job', async () => {
        const soon = submitted({ submittedAt: at(0), scheduledTime: at(60) });
        const later = submitted({ submittedAt: at(1), scheduledTime: at(3600) });
        const startedEarlier = started(submitted({ submittedAt: at(2), scheduledTime: at(30) }), 40);
        await put(soon, later, startedEarlier, submitted({ submittedAt: at(3) }));
        expect(await store.nextScheduledStart(new Date(T0))).toEqual(new Date(T0 + 60_000));
        expect(await store.nextScheduledStart(new Date(T0 + 60_000))).toEqual(new Date(T0 + 3600_000)); // due ones are not waited for
        expect(await store.nextScheduledStart(new Date(T0 + 3600_000))).toBeNull();
      });

      it('orders queued jobs by priority, FIFO within a priority, leaving out the ones not due', async () => {
        const low = submitted({ priority: 'Low', submittedAt: at(0) });
        const normal1 = submitted({ priority: 'Normal', submittedAt: at(10) });
        const critical = submitted({ priority: 'Critical', submittedAt: at(20), tenantId: 'tenant-b' });
        const normal2 = submitted({ priority: 'Normal', submittedAt: at(30), jobType: 'Notebook' });
        const high = submitted({ priority: 'High', submittedAt: at(40), jobType: 'Analysis' });
        const later = submitted({ priority: 'Critical', submittedAt: at(50), scheduledTime: at(3600) });
        const due = submitted({ priority: 'Low', submittedAt: at(5), scheduledTime: at(60) });
        const running = started(submitted({ priority: 'Critical', submittedAt: at(1) }), 2);
        const done = cancelled(submitted({ priority: 'Critical', submittedAt: at(3) }), 4);
        await put(low, normal1, critical, normal2, high, later, due, running, done);

        const now = new Date(T0 + 120_000);
        const queue = await store.nextQueuedJobs(now, 100);
        expect(ids(queue)).toEqual(ids([critical, high, normal1, normal2, low, due]));
        expect(queue[0]).toEqual({
          jobId: critical.jobId, tenantId: 'tenant-b', projectId: 'project-1', revision: 0, priority: 'Critical', jobType: 'ProcessMining',
        });
        expect(ids(await store.nextQueuedJobs(now, 2))).toEqual(ids([critical, high]));
        expect(ids(await store.nextQueuedJobs(now, 100, ['Notebook', 'Analysis']))).toEqual(ids([high, normal2]));
        expect(await store.nextQueuedJobs(now, 100, [])).toEqual([]);
        // Due from its scheduled time on (inclusive), then in claim order: 50 − 1800 s.
        expect(ids(await store.nextQueuedJobs(new Date(T0 + 3599_999), 2))).toEqual(ids([critical, high]));
        expect(ids(await store.nextQueuedJobs(new Date(T0 + 3600_000), 2))).toEqual(ids([critical, later]));
        expect(ids(await store.nextQueuedJobs(new Date(T0 + 59_999), 100))).not.toContain(due.jobId);

        expect(await store.queuePosition(critical.jobId, now)).toBe(1);
        expect(await store.queuePosition(normal2.jobId, now)).toBe(4);
        expect(await store.queuePosition(due.jobId, now)).toBe(6);
        // Not due yet: placed after every due job, here behind `later` (not due either, a higher level).
        expect(await store.queuePosition(due.jobId, new Date(T0 + 30_000))).toBe(7);
        expect(await store.queuePosition(low.jobId, new Date(T0 + 3600_000))).toBe(6); // `later` is due now
        expect(await store.queuePosition(running.jobId, now)).toBeNull();
        expect(await store.queuePosition(done.jobId, now)).toBeNull();
        expect(await store.queuePosition(randomUUID(), now)).toBeNull();
      });

      it('gives the whole documents of the next queued jobs, in the order and with the filters of nextQueuedJobs', async () => {
        const low = submitted({ priority: 'Low', submittedAt: at(0) });
        const high = submitted({ priority: 'High', submittedAt: at(10), jobType: 'Analysis', parameters: { threshold: 0.5, nested: { a: [1, 2] } } });
        const normal = submitted({ priority: 'Normal', submittedAt: at(20), tenantId: 'tenant-b', jobType: 'Notebook' });
        const later = submitted({ priority: 'Critical', submittedAt: at(30), scheduledTime: at(3600) });
        const running = started(submitted({ priority: 'Critical', submittedAt: at(1) }), 2);
        await put(low, high, normal, later, running);

        const now = new Date(T0 + 120_000);
        const documents = await store.nextQueuedJobDocuments(now, 100);
        expect(documents).toEqual([high, normal, low]);
        expect(ids(documents)).toEqual(ids(await store.nextQueuedJobs(now, 100)));
        expect(await store.nextQueuedJobDocuments(now, 1)).toEqual([high]);
        expect(await store.nextQueuedJobDocuments(now, 100, ['Notebook'])).toEqual([normal]);
        expect(await store.nextQueuedJobDocuments(now, 100, [])).toEqual([]);
        expect(ids(await store.nextQueuedJobDocuments(new Date(T0 + 3600_000), 1))).toEqual([later.jobId]);
      });

      it('ages waiting jobs so a Low job overtakes newer higher ones, and a requeued job keeps its place', async () => {
        // 600 s per level: Low at 0 scores 0; Critical at 1801 scores 1; High at 1199 scores -1.
        const low = submitted({ priority: 'Low', submittedAt: at(0) });
        const critical = submitted({ priority: 'Critical', submittedAt: at(1801) });
        const high = submitted({ priority: 'High', submittedAt: at(1199) });
        const normal = started(submitted({ priority: 'Normal', submittedAt: at(100) }), 200);
        await put(low, critical, high, normal);
        const now = new Date(T0 + 4000_000);
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([high, low, critical]));

        // Back to the queue at 3000 s, still scored from its submission: 100 − 600 = −500, ahead of everything.
        const back = requeued(normal, 3000);
        await put(back);
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([back, high, low, critical]));
        expect((await store.nextQueuedJobs(now, 10))[0].revision).toBe(2);
        expect(await store.queuePosition(back.jobId, now)).toBe(1);
      });
    });

    describe('fair queue', () => {
      /** Claims like a node: the first claimable job, started at `seconds`; returns the claim sequence. */
      async function claimAll(target: JobReadStore, write: (...docs: JobState[]) => Promise<unknown>, jobs: Map<string, JobState>, from: number) {
        const claims: string[] = [];
        for (let second = from; ; second++) {
          const now = new Date(T0 + second * 1000);
          const queue = await target.nextQueuedJobs(now, 100);
          if (queue.length === 0) return claims;
          // Every position is the job's place in this very claim order.
          for (const [index, ref] of queue.entries()) expect(await target.queuePosition(ref.jobId, now)).toBe(index + 1);
          const next = started(jobs.get(queue[0].jobId)!, second);
          jobs.set(next.jobId, next);
          await write(next);
          claims.push(next.jobId);
        }
      }

      it('takes turns between tenants within a level, with aging, so a flood delays another tenant by one job at most', async () => {
        // High scores t − 1200 and Critical t − 1800; at 60 s both are levels 2 and 3.
        const a = [0, 1, 2, 3].map((t) => submitted({ tenantId: 'tenant-a', priority: 'High', submittedAt: at(t) }));
        const aCritical = submitted({ tenantId: 'tenant-a', priority: 'Critical', submittedAt: at(30) });
        const b = [10, 11].map((t) => submitted({ tenantId: 'tenant-b', priority: 'High', submittedAt: at(t) }));
        const bLow = submitted({ tenantId: 'tenant-b', priority: 'Low', submittedAt: at(50) });
        const c = submitted({ tenantId: 'tenant-c', priority: 'High', submittedAt: at(20) });
        // Waited 1860 s at 60 s: three levels of aging lift this Low job to Critical's level 3.
        const cAged = submitted({ tenantId: 'tenant-c', priority: 'Low', submittedAt: at(-1800) });
        const all = [...a, aCritical, ...b, bLow, c, cAged];
        await put(...all);
        const now = new Date(T0 + 60_000);
        // Level 3: cAged (score −1800), aCritical (−1770), each its tenant's round 1. Level 2: round 1 is b[0]
        // (tenant-a's Critical and tenant-c's aged job take their round 1); round 2: a[0], b[1], c; then the
        // rest of tenant-a's flood. Level 0: bLow.
        const expected = [cAged, aCritical, b[0], a[0], b[1], c, a[1], a[2], a[3], bLow];
        expect(ids(await store.nextQueuedJobs(now, 100))).toEqual(ids(expected));
        for (const [index, job] of expected.entries()) expect(await store.queuePosition(job.jobId, now)).toBe(index + 1);
        expect(ids(await store.nextQueuedJobs(now, 3))).toEqual(ids(expected.slice(0, 3)));
        // Typed claims see the same order, restricted to their types.
        expect(ids(await store.nextQueuedJobs(now, 100, ['ProcessMining']))).toEqual(ids(expected));
        expect(await store.nextQueuedJobs(now, 100, ['Notebook'])).toEqual([]);

        // Claimed one by one: a claim leaves the rounds of the others as they were; within a round the
        // tenant whose last start is oldest goes first, so round 2 turns in the order of round 1's starts.
        const jobs = new Map(all.map((j) => [j.jobId, j]));
        const claims = await claimAll(store, put, jobs, 60);
        expect(claims).toEqual(ids([cAged, aCritical, b[0], c, a[0], b[1], a[1], a[2], a[3], bLow]));
      });

      it('lets a tenant with running jobs wait behind one without, and turns by last start when slots free between claims', async () => {
        const flood = Array.from({ length: 6 }, (_, i) => submitted({ tenantId: 'tenant-a', priority: 'Normal', submittedAt: at(i) }));
        const running = started(submitted({ tenantId: 'tenant-a', priority: 'Normal', submittedAt: at(-5) }), 1);
        const late = submitted({ tenantId: 'tenant-b', priority: 'Normal', submittedAt: at(30) });
        await put(...flood, running, late);
        const now = new Date(T0 + 40_000);
        // tenant-a runs one: its next queued job is its round 2, tenant-b's first is round 1.
        expect(await store.queuePosition(late.jobId, now)).toBe(1);
        expect(ids(await store.nextQueuedJobs(now, 3))).toEqual(ids([late, flood[0], flood[1]]));
        // tenant-a's job ends before the next claim: both tenants are at round 1 and tenant-b, which has not
        // started anything since, still goes first (not the older score of tenant-a's job).
        await put(completed(running, 35));
        expect(await store.queuePosition(late.jobId, now)).toBe(1);
        expect(await store.queuePosition(flood[0].jobId, now)).toBe(2);
      });

      describe('with a cap of 2 running jobs per tenant', () => {
        let capped: JobReadStoreContractSubject | undefined;
        let cappedPosition = START_POSITION;
        beforeAll(async () => {
          capped = await factory!({ tenantMaxRunningJobs: 2 });
        });
        afterAll(async () => {
          await capped?.cleanup();
        });
        async function putCapped(...documents: JobState[]) {
          step += 1n;
          const next = { commit: 1000n + step, prepare: 1000n + step };
          await capped!.store.applyJobDocuments(projection, cappedPosition, next, documents);
          cappedPosition = next;
        }

        it('skips a tenant at its cap until one of its jobs ends, and places its held-back jobs after the claimable ones', async () => {
          cappedPosition = START_POSITION;
          const target = capped!.store;
          const a = [0, 1, 2, 3].map((t) => submitted({ tenantId: 'tenant-a', priority: 'Critical', submittedAt: at(t) }));
          const aRunning = started(submitted({ tenantId: 'tenant-a', priority: 'Critical', submittedAt: at(-10) }), 5);
          const b = submitted({ tenantId: 'tenant-b', priority: 'Low', submittedAt: at(20) });
          const notDue = submitted({ tenantId: 'tenant-b', priority: 'Critical', submittedAt: at(21), scheduledTime: at(3600) });
          await putCapped(...a, aRunning, b, notDue);
          const now = new Date(T0 + 60_000);
          // tenant-a runs 1 of 2: only a[0] may start; the Low job of tenant-b comes before a[1..3].
          expect(ids(await target.nextQueuedJobs(now, 100))).toEqual(ids([a[0], b]));
          // Then the ones held back by the cap, in the same order; then the job not due yet.
          const order = [a[0], b, a[1], a[2], a[3], notDue];
          for (const [index, job] of order.entries()) expect(await target.queuePosition(job.jobId, now)).toBe(index + 1);

          const a0 = started(a[0], 61);
          await putCapped(a0);
          expect(ids(await target.nextQueuedJobs(now, 100))).toEqual(ids([b]));
          expect(ids(await target.nextQueuedJobs(now, 100, ['ProcessMining']))).toEqual(ids([b]));
          // One of tenant-a's jobs ends: its next one is claimable again, ahead of the Low job.
          await putCapped(completed(aRunning, 62));
          expect(ids(await target.nextQueuedJobs(now, 100))).toEqual(ids([a[1], b]));
          expect(await target.queuePosition(a[2].jobId, now)).toBe(3);
          expect(await target.queuePosition(notDue.jobId, now)).toBe(5);
          // The same order without the cap: every job of tenant-a before the Low one.
          await put(...a, aRunning, b, notDue);
          expect(ids(await store.nextQueuedJobs(now, 100))).toEqual(ids([a[0], a[1], a[2], a[3], b]));
        });
      });

      describe('with tenants\' own running caps beside a default of 2', () => {
        let own: JobReadStoreContractSubject | undefined;
        beforeAll(async () => {
          own = await factory!({ tenantMaxRunningJobs: 2, runningCapsByTenant: { 'tenant-c': 1, 'tenant-d': null } });
        });
        afterAll(async () => {
          await own?.cleanup();
        });

        it('holds each tenant to its own cap (none for a null one) in claims and positions', async () => {
          const c = [0, 1].map((t) => submitted({ tenantId: 'tenant-c', priority: 'Critical', submittedAt: at(t) }));
          const d = [2, 3, 4].map((t) => submitted({ tenantId: 'tenant-d', priority: 'High', submittedAt: at(t) }));
          const e = [5, 6, 7].map((t) => submitted({ tenantId: 'tenant-e', priority: 'Normal', submittedAt: at(t) }));
          step += 1n;
          await own!.store.applyJobDocuments(projection, START_POSITION, { commit: 2000n + step, prepare: 2000n + step }, [...c, ...d, ...e]);
          const now = new Date(T0 + 60_000);
          // tenant-c may start 1, tenant-d all 3 (null: no cap, not the default), tenant-e the default 2.
          const claimable = [c[0], d[0], d[1], d[2], e[0], e[1]];
          expect(ids(await own!.store.nextQueuedJobs(now, 100))).toEqual(ids(claimable));
          expect((await own!.store.nextQueuedJobDocuments(now, 100)).map((j) => j.jobId)).toEqual(ids(claimable));
          for (const [index, job] of [...claimable, c[1], e[2]].entries()) expect(await own!.store.queuePosition(job.jobId, now)).toBe(index + 1);
        });
      });
    });

    describe('queue management', () => {
      const now = new Date(T0 + 120_000);

      it('skips a held job in claims and positions, and puts it back in its place when released', async () => {
        const [a, b, c] = [0, 1, 2].map((t) => submitted({ submittedAt: at(t) }));
        await put(a, b, c);
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([a, b, c]));
        const onHold = held(b, 10);
        await put(onHold);
        expect(onHold.status).toBe('Queued');
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([a, c]));
        expect(await store.queuePosition(onHold.jobId, now)).toBeNull();
        expect(await store.queuePosition(c.jobId, now)).toBe(2);
        expect((await store.getJob(b.tenantId, b.projectId, b.jobId))?.hold).toEqual({ heldBy: 'olivia', heldAt: at(10), reason: 'waiting for data' });
        // Listed as Queued all the same: the status is the reference's contract.
        const listed = await store.listJobs({ tenantId: 'tenant-a', projectId: 'project-1', status: 'Queued' }, { offset: 0, limit: 10 });
        expect(listed.totalJobs).toBe(3);

        await put(released(onHold, 20));
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([a, b, c]));
        expect(await store.queuePosition(b.jobId, now)).toBe(2);
      });

      it('moves a job whose priority changed, its aging still counted from queuedAt', async () => {
        // Normal at 0 s scores −600; High at 500 s scores −700; at 120 s after T0 that is ahead.
        const early = submitted({ submittedAt: at(0) });
        const high = submitted({ priority: 'High', submittedAt: at(500) });
        const late = submitted({ submittedAt: at(100) });
        await put(early, high, late);
        const later = new Date(T0 + 600_000);
        expect(ids(await store.nextQueuedJobs(later, 10))).toEqual(ids([high, early, late]));
        const raised = reprioritized(late, 'Critical', 550);
        expect(raised.queuedAt).toBe(at(100));
        await put(raised);
        // 100 − 1800 = −1700: first.
        expect(ids(await store.nextQueuedJobs(later, 10))).toEqual(ids([late, high, early]));
        expect(await store.queuePosition(late.jobId, later)).toBe(1);
        await put(reprioritized(raised, 'Low', 560));
        expect(ids(await store.nextQueuedJobs(later, 10))).toEqual(ids([high, early, late]));
      });

      it('skips every job of a paused project queue until it is resumed; other projects are claimed meanwhile', async () => {
        const p1 = [0, 1].map((t) => submitted({ projectId: 'project-1', submittedAt: at(t) }));
        const p2 = submitted({ projectId: 'project-2', submittedAt: at(5) });
        const otherTenant = submitted({ tenantId: 'tenant-b', projectId: 'project-1', submittedAt: at(6) });
        await put(...p1, p2, otherTenant);
        expect(await store.getProjectQueue('tenant-a', 'project-1')).toBeNull();

        const paused = projectQueue('tenant-a', 'project-1', 'pause');
        await putWithQueues([], [paused]);
        expect(await store.getProjectQueue('tenant-a', 'project-1')).toEqual(paused);
        expect(paused.status).toBe('Paused');
        // tenant-b's project-1 is another queue altogether.
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([p2, otherTenant]));
        expect(await store.queuePosition(p1[0].jobId, now)).toBeNull();
        expect(await store.queuePosition(p2.jobId, now)).toBe(1);
        // A job submitted while paused is queued, and waits too.
        const whilePaused = submitted({ projectId: 'project-1', submittedAt: at(7) });
        await put(whilePaused);
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([p2, otherTenant]));

        const resumed = projectQueue('tenant-a', 'project-1', 'pause', 'resume');
        await putWithQueues([], [resumed]);
        expect((await store.getProjectQueue('tenant-a', 'project-1'))?.status).toBe('Active');
        expect(ids(await store.nextQueuedJobs(now, 10))).toEqual(ids([p1[0], otherTenant, p1[1], p2, whilePaused]));
        // A rebuild drops project queues with the job views.
        await store.resetJobProjection(projection);
        expect(await store.getProjectQueue('tenant-a', 'project-1')).toBeNull();
      });

      it('pages a project\'s queue view in claim order, each position the job\'s own, held jobs last without one', async () => {
        const mine = [0, 1, 2, 3].map((t) => submitted({ submittedAt: at(t), jobType: t === 3 ? 'Analysis' : 'ProcessMining' }));
        const critical = submitted({ priority: 'Critical', submittedAt: at(4) });
        const later = submitted({ priority: 'Critical', submittedAt: at(5), scheduledTime: at(3600) });
        const other = [0, 1].map((t) => submitted({ tenantId: 'tenant-b', submittedAt: at(t) }));
        const onHold = held(submitted({ priority: 'High', submittedAt: at(6) }), 7);
        const ran = started(submitted({ submittedAt: at(-100) }), 30); // waited 130 s
        await put(...mine, critical, later, ...other, onHold, ran);

        const scope = { tenantId: 'tenant-a', projectId: 'project-1', waitsSince: new Date(T0) };
        const view = await store.queueView(scope, now, { offset: 0, limit: 20 });
        expect(ids(view.jobs.map((j) => j.job))).toEqual(ids([critical, ...mine, later, onHold]));
        for (const { job, queuePosition } of view.jobs) expect(queuePosition).toBe(await store.queuePosition(job.jobId, now));
        // tenant-a runs a job, so tenant-b's two Normal jobs (rounds 1 and 2) come before tenant-a's (round 3 on).
        expect(view.jobs.map((j) => j.queuePosition)).toEqual([1, 4, 5, 6, 7, 8, null]);
        expect(view.queuedByPriority).toEqual({ Low: 0, Normal: 4, High: 1, Critical: 2 });
        expect(view.heldJobs).toBe(1);
        expect(view.averageWaitSeconds).toBeCloseTo(130, 6);

        const second = await store.queueView(scope, now, { offset: 2, limit: 2 });
        expect(ids(second.jobs.map((j) => j.job))).toEqual(ids([mine[1], mine[2]]));
        expect(second.jobs.map((j) => j.queuePosition)).toEqual([5, 6]);
        const analysis = await store.queueView({ ...scope, jobType: 'Analysis' }, now, { offset: 0, limit: 20 });
        expect(ids(analysis.jobs.map((j) => j.job))).toEqual(ids([mine[3]]));
        expect(analysis.queuedByPriority).toEqual({ Low: 0, Normal: 1, High: 0, Critical: 0 });
        const criticalOnly = await store.queueView({ ...scope, priority: 'Critical' }, now, { offset: 0, limit: 20 });
        expect(ids(criticalOnly.jobs.map((j) => j.job))).toEqual(ids([critical, later]));
        expect(criticalOnly.averageWaitSeconds).toBeNull();

        await putWithQueues([], [projectQueue('tenant-a', 'project-1', 'pause')]);
        const paused = await store.queueView(scope, now, { offset: 0, limit: 20 });
        expect(ids(paused.jobs.map((j) => j.job))).toEqual(ids([critical, ...mine, later, onHold]));
        expect(paused.jobs.every((j) => j.queuePosition === null)).toBe(true);
        const empty = await store.queueView({ ...scope, projectId: 'project-9' }, now, { offset: 0, limit: 20 });
        expect(empty).toEqual({ jobs: [], queuedByPriority: { Low: 0, Normal: 0, High: 0, Critical: 0 }, heldJobs: 0, waitingJobs: 0, averageWaitSeconds: null });
      });
    });

    describe('running jobs', () => {
      it('lists running jobs with their node, start and timeout, and the timed-out ones strictly after the timeout', async () => {
        const a = started(submitted({ timeoutMinutes: 10, priority: 'High' }), 60, 'node-a');
        const b = started(submitted({ timeoutMinutes: 120, tenantId: 'tenant-b', jobType: 'Notebook' }), 90, 'node-b');
        const ended = completed(started(submitted({ timeoutMinutes: 1 }), 10, 'node-a'), 20);
        const queued = submitted({ timeoutMinutes: 1 });
        await put(a, b, ended, queued);

        const running = await store.runningJobs();
        expect([...running].sort((x, y) => x.nodeId.localeCompare(y.nodeId))).toEqual([
          { jobId: a.jobId, tenantId: 'tenant-a', projectId: 'project-1', revision: 1, priority: 'High', jobType: 'ProcessMining',
            nodeId: 'node-a', startedAt: at(60), timeoutAt: at(60 + 600) },
          { jobId: b.jobId, tenantId: 'tenant-b', projectId: 'project-1', revision: 1, priority: 'Normal', jobType: 'Notebook',
            nodeId: 'node-b', startedAt: at(90), timeoutAt: at(90 + 7200) },
        ]);
        expect(await store.timedOutJobs(new Date(T0 + 660_000))).toEqual([]);
        expect(ids(await store.timedOutJobs(new Date(T0 + 660_001)))).toEqual([a.jobId]);
        expect(sortedIds(await store.timedOutJobs(new Date(T0 + 8000_000)))).toEqual([a.jobId, b.jobId].sort());
      });
    });

    describe('execution nodes', () => {
      it('records, updates, lists and removes heartbeats, stamped with the store\'s clock', async () => {
        const before = Date.now();
        await store.recordHeartbeat(heartbeat('node-b'));
        await store.recordHeartbeat(heartbeat('node-a', { diskAvailableBytes: null, draining: true, runningJobIds: null }));
        const listed = await store.listNodes();
        expect(listed).toEqual([
          { ...heartbeat('node-a', { diskAvailableBytes: null, draining: true, runningJobIds: null }), startedAt: expect.any(String), lastHeartbeat: expect.any(String) },
          { ...heartbeat('node-b'), startedAt: expect.any(String), lastHeartbeat: expect.any(String) },
        ]);
        // Same machine here, so the store's clock is within a few seconds of ours.
        expect(Math.abs(Date.parse(listed[1].lastHeartbeat) - before)).toBeLessThan(5000);

        const changed = heartbeat('node-b', {
          activeJobs: 3, cpuPercent: 91.25, memoryUsedBytes: 40 * 1024 ** 3, diskAvailableBytes: null, draining: true, runningJobIds: ['j1', 'j2'],
        });
        await store.recordHeartbeat(changed);
        const nodes = await store.listNodes();
        expect(nodes[1]).toEqual({ ...changed, startedAt: listed[1].startedAt, lastHeartbeat: expect.any(String) });
        expect(Date.parse(nodes[1].lastHeartbeat)).toBeGreaterThanOrEqual(Date.parse(listed[1].lastHeartbeat));

        await store.removeNode('node-a');
        expect((await store.listNodes()).map((n) => n.nodeId)).toEqual(['node-b']);
        await store.removeNode('node-unknown');
        expect(await store.listNodes()).toHaveLength(1);
      });

      it('finds running jobs whose node is silent past the lease, by the store\'s clock', async () => {
        const onLive = started(submitted(), 10, 'node-live');
        const onUnknown = started(submitted(), 10, 'node-never-heard');
        await put(onLive, onUnknown);
        await store.recordHeartbeat(heartbeat('node-live', { runningJobIds: [onLive.jobId] }));
        // The claim of onUnknown was recorded at T0 (long ago); node-live was heard just now.
        expect(ids(await store.jobsWithExpiredLease(3600))).toEqual([onUnknown.jobId]);
        // Poll: with a zero lease the heartbeat expires as soon as the store's clock moves on.
        const deadline = Date.now() + 5000;
        let expired = await store.jobsWithExpiredLease(0);
        while (expired.length < 2 && Date.now() < deadline) expired = await store.jobsWithExpiredLease(0);
        expect(sortedIds(expired)).toEqual([onLive.jobId, onUnknown.jobId].sort());
      });

      it('finds running jobs their heartbeating node no longer reports, after the grace', async () => {
        const reported = started(submitted(), 10, 'node-x');
        const forgotten = started(submitted(), 10, 'node-x');
        // Claimed (by the store's clock) after the heartbeat below: within the grace, so not stranded.
        const fresh = run(submitted(), { kind: 'StartJob', nodeId: 'node-x', at: at(10) }, new Date(Date.now() + 3600_000).toISOString());
        const silentNodeJob = started(submitted(), 10, 'node-old');
        await put(reported, forgotten, fresh, silentNodeJob);
        await store.recordHeartbeat(heartbeat('node-x', { runningJobIds: [reported.jobId] }));
        await store.recordHeartbeat(heartbeat('node-old', { runningJobIds: null })); // a node that does not report its jobs
        expect(ids(await store.unreportedJobs(5))).toEqual([forgotten.jobId]);
      });

      it('names in one sweep the timed-out, lease-expired and unreported running jobs, each under one reason', async () => {
        const timedOut = started(submitted({ timeoutMinutes: 1 }), 0, 'node-x');
        const onSilentNode = started(submitted(), 10, 'node-never-heard');
        const forgotten = started(submitted(), 10, 'node-x');
        const reported = started(submitted(), 10, 'node-x');
        const queued = submitted();
        await put(timedOut, onSilentNode, forgotten, reported, queued);
        await store.recordHeartbeat(heartbeat('node-x', { runningJobIds: [timedOut.jobId, reported.jobId] }));

        const limits = { leaseSeconds: 3600, graceSeconds: 5, forgetNodesAfterSeconds: 3600 };
        const due = await store.dueSupervision(new Date(T0 + 120_000), limits);
        expect(ids(due.timedOut)).toEqual([timedOut.jobId]);
        expect(due.timedOut[0]).toMatchObject({ nodeId: 'node-x', startedAt: at(0), timeoutAt: at(60) });
        expect(ids(due.leaseExpired)).toEqual([onSilentNode.jobId]);
        expect(ids(due.unreported)).toEqual([forgotten.jobId]);
        // Before the timeout nothing is timed out; a node heard within the forget window stays listed.
        expect((await store.dueSupervision(new Date(T0 + 30_000), limits)).timedOut).toEqual([]);
        expect((await store.listNodes()).map((n) => n.nodeId)).toEqual(['node-x']);
      });
    });

    describe('statistics', () => {
      it('counts queued jobs of every tenant by priority, every priority present', async () => {
        expect(await store.queuedJobsByPriority()).toEqual({ Low: 0, Normal: 0, High: 0, Critical: 0 });
        await put(
          submitted({ priority: 'High' }), submitted({ priority: 'High', tenantId: 'tenant-b' }), submitted({ priority: 'Low', projectId: 'project-2' }),
          started(submitted({ priority: 'Critical' }), 10), cancelled(submitted({ priority: 'Normal' }), 20),
          held(submitted({ priority: 'Normal' }), 5),
        );
        // A held job is still Queued (claims skip it); running and ended jobs are not.
        expect(await store.queuedJobsByPriority()).toEqual({ Low: 1, Normal: 1, High: 2, Critical: 0 });
      });

      it('counts queued jobs by priority and the mean wait of jobs started in the window, per tenant', async () => {
        const empty = await store.queueStatistics('tenant-a', new Date(T0));
        expect(empty).toEqual({ queuedByPriority: { Low: 0, Normal: 0, High: 0, Critical: 0 }, averageWaitSeconds: null, startedInWindow: 0 });

        await put(
          submitted({ priority: 'High' }), submitted({ priority: 'High', projectId: 'project-2' }), submitted({ priority: 'Low' }),
          submitted({ priority: 'Critical', tenantId: 'tenant-b' }),
          started(submitted({ submittedAt: at(0) }), 30), // waited 30 s
          completed(started(submitted({ submittedAt: at(100) }), 190), 400), // waited 90 s
          started(submitted({ submittedAt: at(0), tenantId: 'tenant-b' }), 500),
          started(submitted({ submittedAt: at(-600) }), -500), // started before the window
        );
        const stats = await store.queueStatistics('tenant-a', new Date(T0));
        expect(stats.queuedByPriority).toEqual({ Low: 1, Normal: 0, High: 2, Critical: 0 });
        expect(stats.startedInWindow).toBe(2);
        expect(stats.averageWaitSeconds).toBeCloseTo(60, 6);
        // The window's start is inclusive.
        expect((await store.queueStatistics('tenant-a', new Date(T0 + 30_000))).startedInWindow).toBe(2);
        expect((await store.queueStatistics('tenant-a', new Date(T0 + 30_001))).startedInWindow).toBe(1);
      });

      it('averages the measured usage of completed jobs of a type, skipping what was not measured', async () => {
        const none = await store.usageStatistics({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0));
        expect(none).toEqual({ jobs: 0, cpuUnits: null, peakMemoryBytes: null, diskBytesPerRecord: null });
        const unmeasured: JobOutcome = {
          ...outcome(20),
          execution: { cpuTimeSeconds: null, wallTimeSeconds: 20, peakMemoryBytes: null, diskIoOperations: null, diskBytesWritten: null },
        };
        const job = (o: JobOutcome, jobType: JobType = 'ProcessMining', submittedAt = at(0)) => {
          const running = started(submitted({ jobType, submittedAt }), 10);
          return run(running, { kind: 'CompleteJob', nodeId: running.nodeId!, at: at(40), outcome: o }, at(40));
        };
        await put(
          job(outcome(10)), job(outcome(30)), job(unmeasured), // cpu 1.5 s over 10 s and 30 s; 4096 bytes for 100 records
          job(outcome(1), 'Analysis'),
          failed(started(submitted(), 10), 20),
        );
        const mining = await store.usageStatistics({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0));
        expect(mining.jobs).toBe(3);
        expect(mining.cpuUnits).toBeCloseTo(0.1, 9);
        expect(mining.peakMemoryBytes).toBe(5_000_000_000);
        expect(mining.diskBytesPerRecord).toBeCloseTo(40.96, 9);
        expect((await store.usageStatistics({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0 + 40_001))).jobs).toBe(0);
        expect((await store.usageStatistics({ tenantId: 'tenant-b', jobType: 'ProcessMining' }, new Date(T0))).jobs).toBe(0);
      });

      it('lists the records read and run seconds of completed jobs of a type, newest first, bounded', async () => {
        expect(await store.durationSamples({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0), 10)).toEqual([]);
        const read = (records: number, startSeconds: number, endSeconds: number, jobType: JobType = 'ProcessMining', tenantId = 'tenant-a') => {
          const running = started(submitted({ jobType, tenantId, submittedAt: at(0) }), startSeconds);
          const o: JobOutcome = { ...outcome(endSeconds - startSeconds), recordsProcessed: records, totalRecords: records };
          return run(running, { kind: 'CompleteJob', nodeId: running.nodeId!, at: at(endSeconds), outcome: o }, at(endSeconds));
        };
        await put(
          read(1_000, 10, 12), read(50_000, 20, 45), read(200_000, 30, 130),
          read(7, 10, 11, 'Analysis'), read(9, 10, 11, 'ProcessMining', 'tenant-b'),
          failed(started(submitted(), 10), 20),
        );
        expect(await store.durationSamples({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0), 10)).toEqual([
          { records: 200_000, seconds: 100 }, { records: 50_000, seconds: 25 }, { records: 1_000, seconds: 2 },
        ]);
        expect(await store.durationSamples({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0), 2)).toHaveLength(2);
        // The window's start is inclusive on endedAt.
        expect(await store.durationSamples({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0 + 45_000), 10)).toEqual([
          { records: 200_000, seconds: 100 }, { records: 50_000, seconds: 25 },
        ]);
      });

      it('counts completions and failures, with mean and quartiles (interpolated) of run durations', async () => {
        const none = await store.completionStatistics({ tenantId: 'tenant-a' }, new Date(T0));
        expect(none).toEqual({ completed: 0, failed: 0, averageDurationSeconds: null, durationQuartilesSeconds: null });

        const took = (seconds: number, jobType: JobType = 'ProcessMining', tenantId = 'tenant-a') =>
          completed(started(submitted({ jobType, tenantId, submittedAt: at(0) }), 100), 100 + seconds);
        await put(
          took(10), took(20), took(30), took(100), // durations 10, 20, 30, 100
          took(1000, 'Analysis'),
          took(5, 'ProcessMining', 'tenant-b'),
          failed(started(submitted(), 100), 160), failed(submitted(), 50),
          cancelled(submitted(), 70),
          completed(started(submitted({ submittedAt: at(-900) }), -800), -700), // ended before the window
        );
        const mining = await store.completionStatistics({ tenantId: 'tenant-a', jobType: 'ProcessMining' }, new Date(T0));
        expect(mining.completed).toBe(4);
        expect(mining.failed).toBe(2);
        expect(mining.averageDurationSeconds).toBeCloseTo(40, 6);
        // percentile_cont: rank p × (n − 1) = 0.75 → 10 + 0.75 × 10; 2.25 → 30 + 0.25 × 70.
        expect(mining.durationQuartilesSeconds!.p25).toBeCloseTo(17.5, 6);
        expect(mining.durationQuartilesSeconds!.p75).toBeCloseTo(47.5, 6);

        const all = await store.completionStatistics({ tenantId: 'tenant-a' }, new Date(T0));
        expect(all.completed).toBe(5);
        expect(all.failed).toBe(2);
        expect(all.averageDurationSeconds).toBeCloseTo(232, 6);
        // 10, 20, 30, 100, 1000: ranks 1 and 3 fall on values.
        expect(all.durationQuartilesSeconds).toEqual({ p25: 20, p75: 100 });

        const single = await store.completionStatistics({ tenantId: 'tenant-a', jobType: 'Analysis' }, new Date(T0));
        expect(single).toEqual({ completed: 1, failed: 0, averageDurationSeconds: 1000, durationQuartilesSeconds: { p25: 1000, p75: 1000 } });
        // The window's start is inclusive on endedAt.
        expect((await store.completionStatistics({ tenantId: 'tenant-a' }, new Date(T0 + 1100_000))).completed).toBe(1);
        expect((await store.completionStatistics({ tenantId: 'tenant-a' }, new Date(T0 + 1100_001))).completed).toBe(0);
      });
    });

    describe('blue/green rebuild', () => {
      it('replaces the read model by the fold of every event from position 0 and moves the checkpoint with it', async () => {
        const { rebuilds, events } = subject!.rebuilds;
        const jobs = new JobRepository(events);
        const queues = new ProjectQueueRepository(events);
        const meta = systemCommandMetadata('contract');
        const scope = { tenantId: `tenant-rebuild-${randomUUID()}`, projectId: 'project-1' };
        const ids = [randomUUID(), randomUUID(), randomUUID()];
        for (const [i, jobId] of ids.entries()) {
          await jobs.execute(jobId, { kind: 'SubmitJob', submission: jobSubmission(jobId, scope, { submittedAt: at(i) }) }, meta);
        }
        await jobs.execute(ids[0], { kind: 'StartJob', nodeId: 'node-1', at: at(10) }, meta);
        await jobs.execute(ids[1], { kind: 'ChangePriority', at: at(11), priority: 'High', changedBy: 'carol', reason: null }, meta);
        await queues.decideAndAppend(scope.tenantId, scope.projectId, { kind: 'PauseQueue', at: at(12), actor: 'carol', reason: 'rebuild' }, meta);
        // The live read model as a broken projection left it: one job behind, one that no stream has.
        const ghost = submitted({ ...scope });
        await put((await jobs.load(ids[2]))!, ghost);

        const state = await new JobViewRebuild(rebuilds, projection, 2).run();
        expect(state.phase).toBe('switched');
        for (const jobId of ids) expect((await store.getJobsByIds([jobId]))[0]).toEqual(await jobs.load(jobId));
        expect(await store.getJobsByIds([ghost.jobId])).toEqual([]);
        const page = await store.listJobs(scope, { offset: 0, limit: 10 });
        expect(page.totalJobs).toBe(3);
        expect(page.countsByStatus).toMatchObject({ Queued: 2, Running: 1 });
        expect(await store.getProjectQueue(scope.tenantId, scope.projectId)).toEqual(await queues.load(scope.tenantId, scope.projectId));
        const last = (await events.readAll({ maxCount: 100_000 })).at(-1)!.position;
        expect(comparePositions(await store.loadCheckpoint(projection), last)).toBe(0);
        expect(state.eventsFolded).toBe((await events.readAll({ maxCount: 100_000 })).length);
      });
    });
  });
}
