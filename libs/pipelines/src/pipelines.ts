/**
 * Pipelines (the led `pipelines` role, one process runs it): releases or fails the jobs that
 * wait for others (`dependsOn`). A checkpointed consumer of the job events:
 *
 * - a job submitted with dependencies is settled at once (some may have ended already);
 * - a job that completed, failed, was cancelled, retried or dead-lettered settles the queued
 *   jobs that wait for it (found by their views' `waitingFor`).
 *
 * Settling a waiting job reads its stream and each dependency's, and appends what became of a
 * dependency (`ResolveDependency`: met, retried, or ended for good, which fails the job).
 * Decisions are taken on the streams' current state and change nothing when repeated, so a
 * batch handled twice (a crash before its checkpoint) is harmless. A failed dependent is
 * itself a failed job in the next batch: its own dependents fail in turn.
 *
 * What a job waits for is in its events and its view, and the consumer resumes from its stored
 * checkpoint, so a dependency that ended while every process was down still releases its
 * dependents; a sweep of every waiting job at start and every `sweepSeconds` covers a view that
 * was behind its stream when its dependency ended (stores whose views follow asynchronously).
 */
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import { CheckpointedSubscription } from '../../event-store/src/checkpointed-subscription.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../event-store/src/event-store.port.js';
import {
  inferredFailure, retryPending, systemCommandMetadata, waitsForDependencies,
  type DependencyOutcome, type JobRepository, type JobState,
} from '../../job-domain/src/index.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';
import { ReactorCheckpoint } from '../../read-store/src/projections/reactor-checkpoint.js';

/** The consumer's checkpoint, kept among the read store's projection checkpoints. */
export const PIPELINES_CHECKPOINT = 'pipelines';
/** Who the pipelines' commands name as their actor. */
export const PIPELINES_ACTOR = 'pipelines';
const JOB_STREAM_PREFIX = 'job-';
/** Events after which a job's dependents may move on. */
const ENDINGS = new Set(['JobCompleted', 'JobFailed', 'JobCancelled', 'JobRetried', 'JobDeadLettered']);
const SWEEP_BATCH = 200;
/** Resolutions of one job in one settling, at most: each dependency is met, retried (followed) or ends the job. */
const MAX_STEPS = 500;

export interface PipelinesOptions {
  /** Every waiting job is settled this often (and at start), whatever the events said. */
  readonly sweepSeconds?: number;
  readonly batchSize?: number;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

type PipelineReads = Pick<JobReadStore, 'loadCheckpoint' | 'applyJobDocuments' | 'waitingDependents' | 'waitingJobs'>;

/** What became of a dependency, as its waiting dependents see it; null while it may still complete. */
export function dependencyOutcome(dependency: JobState): DependencyOutcome | null {
  switch (dependency.status) {
    case 'Completed': {
      const produced = dependency.outcome?.artifacts.find((a) => a.datasetId)?.datasetId ?? null;
      return { kind: 'Completed', datasetId: produced };
    }
    case 'Failed': {
      // Retried (automatically or by request): the retry is what to wait for.
      if (dependency.retriedBy) return { kind: 'Retried', retryJobId: dependency.retriedBy };
      if (retryPending(dependency)) return null;
      const failure = dependency.failure;
      const category = failure?.category ?? (failure ? inferredFailure(failure.errorType).category : 'unknown');
      const attempts = dependency.attempt > 1 ? ` on attempt ${dependency.attempt}` : '';
      return { kind: 'Ended', reason: `Failed${attempts} (${category}): ${failure?.message ?? 'no message'}` };
    }
    case 'Cancelled':
      return { kind: 'Ended', reason: `was Cancelled${dependency.cancellation?.reason ? `: ${dependency.cancellation.reason}` : ''}` };
    default:
      return null;
  }
}

export class Pipelines implements BackgroundService {
  readonly name = 'pipelines';
  private readonly consumer: CheckpointedSubscription;
  private readonly logger: { log(message: string): void; warn(message: string): void };
  private running = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private readonly checkpoint: ReactorCheckpoint;

  constructor(
    events: EventStore,
    private readonly views: PipelineReads,
    private readonly repository: JobRepository,
    private readonly options: PipelinesOptions = {},
  ) {
    this.logger = options.logger ?? console;
    this.checkpoint = new ReactorCheckpoint(PIPELINES_CHECKPOINT, views);
    this.consumer = new CheckpointedSubscription(events, 'pipelines', {
      loadCheckpoint: () => views.loadCheckpoint(PIPELINES_CHECKPOINT),
      handle: (batch, expected) => this.handle(batch, expected),
    }, this.logger, options.batchSize ?? 500);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.checkpoint.reset();
    await this.consumer.start();
    this.sweepSoon(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    await this.consumer.stop();
    await this.sweeping;
    await this.checkpoint.flush();
  }

  /** Resolves true once the consumer's stored checkpoint has passed `position` (tests wait on it). */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitFor(position, timeoutMs);
  }

  private async handle(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const submitted = new Set<string>();
    const ended = new Set<string>();
    for (const event of batch) {
      if (!event.streamId.startsWith(JOB_STREAM_PREFIX)) continue;
      const jobId = event.streamId.slice(JOB_STREAM_PREFIX.length);
      if (event.type === 'JobSubmitted' && ((event.data as { dependsOn?: unknown[] }).dependsOn?.length ?? 0) > 0) submitted.add(jobId);
      else if (ENDINGS.has(event.type)) ended.add(jobId);
    }
    const toSettle = new Set(submitted);
    for (const jobId of ended) {
      for (const dependent of await this.views.waitingDependents(jobId)) toSettle.add(dependent.jobId);
    }
    for (const jobId of toSettle) await this.settle(jobId);
    await this.checkpoint.passed(expected, batch[batch.length - 1].position, toSettle.size > 0);
  }

  /** Applies what became of each dependency the job still waits for, on the streams' current state. */
  private async settle(jobId: string): Promise<void> {
    let job = await this.repository.load(jobId);
    for (let step = 0; step < MAX_STEPS && job && job.status === 'Queued' && waitsForDependencies(job); step++) {
      let resolved: { dependencyJobId: string; outcome: DependencyOutcome } | null = null;
      for (const dependencyJobId of job.waitingFor!) {
        const dependency = await this.repository.load(dependencyJobId);
        const outcome = dependency ? dependencyOutcome(dependency) : { kind: 'Ended' as const, reason: 'does not exist' };
        if (outcome) {
          resolved = { dependencyJobId, outcome };
          break;
        }
      }
      if (!resolved) return;
      const { state, events } = await this.repository.execute(
        jobId, { kind: 'ResolveDependency', at: new Date().toISOString(), ...resolved }, systemCommandMetadata(PIPELINES_ACTOR), { retries: 3 },
      );
      for (const event of events) {
        if (event.type === 'JobFailed') this.logger.warn(`job ${jobId} failed: ${event.data.message}`);
        else if (event.type === 'JobDependencyMet' && !waitsForDependencies(state)) this.logger.log(`job ${jobId}: every dependency completed, it may start`);
      }
      if (events.length === 0) return;
      job = state;
    }
  }

  private sweepSoon(delayMs: number): void {
    if (!this.running) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = null;
        this.sweepSoon((this.options.sweepSeconds ?? 300) * 1000);
      });
    }, delayMs);
  }

  private async sweep(): Promise<void> {
    try {
      let after: string | null = null;
      for (;;) {
        const page = await this.views.waitingJobs(after, SWEEP_BATCH);
        for (const job of page) {
          if (!this.running) return;
          await this.settle(job.jobId);
        }
        if (page.length < SWEEP_BATCH) return;
        after = page[page.length - 1].jobId;
      }
    } catch (error) {
      this.logger.warn(`pipelines: sweep of waiting jobs failed, next one in ${this.options.sweepSeconds ?? 300} s: ${String(error)}`);
    }
  }
}
