/**
 * The automatic retries (the led `retries` role, one process runs it). Two parts:
 *
 * - A checkpointed consumer of JobFailed: for a retryable failure with attempts left it
 *   appends JobRetryScheduled (the due time, back-off with jitter) to the failed job; for one
 *   on its last attempt, JobDeadLettered. Deciding on the job's current state makes a batch
 *   handled twice (a crash before its checkpoint) change nothing the second time.
 * - A due-time loop: a timer to the earliest due retry plus a slow fallback poll, reading due
 *   retries from the jobs' views. Each due retry is opened through the path of a retry by
 *   request, under an id derived from (failed job, attempt): a crash between opening it and
 *   recording the link, or two runners at once, still give one retry. A retry passes the
 *   tenant's queued-jobs quota as a submit does: at the cap it is not opened and stays due
 *   (its due time is stored), is looked at again every FAILED_ROUND_RETRY_MS, and is opened
 *   once the tenant has room.
 *
 * Due times are stored (in the event and the view), so stopping every process loses none.
 */
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import { CheckpointedSubscription } from '../../event-store/src/checkpointed-subscription.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../event-store/src/event-store.port.js';
import {
  JobRuleViolation, automaticRetryJobId, policyRetryDelaySeconds, retryDelaySeconds, retryFailedJob, systemCommandMetadata,
  type JobRepository, type JobState,
} from '../../job-domain/src/index.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';
import type { TenantQueueGate } from '../../read-store/src/postgres/tenant-queue-gate.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import { quotaOf } from '../../config/src/tenant-quotas.js';
import { ReactorCheckpoint } from '../../read-store/src/projections/reactor-checkpoint.js';

/** The consumer's checkpoint, kept among the read store's projection checkpoints. */
export const AUTOMATIC_RETRIES_CHECKPOINT = 'automatic-retries';
/** Who the retries' commands name as their actor. */
export const AUTOMATIC_RETRIES_ACTOR = 'automatic-retries';
const JOB_STREAM_PREFIX = 'job-';
const DUE_BATCH = 100;
/** A failed due-time round is tried again this soon, not only at the next poll. */
const FAILED_ROUND_RETRY_MS = 1000;

export interface RetryPolicy {
  /** Delay of the first retry, seconds (before jitter). */
  readonly baseSeconds: number;
  /** No delay is longer than this, seconds. */
  readonly maxSeconds: number;
}

export interface AutomaticRetriesOptions {
  readonly policy: RetryPolicy;
  /** Numbers in [0, 1) for the jitter; tests pass a seeded source. */
  readonly random?: () => number;
  /** The due-time loop reads the views at least this often, whatever its timer says. */
  readonly pollSeconds?: number;
  readonly batchSize?: number;
  readonly logger?: { log(message: string): void; warn(message: string): void };
  /** The tenants' queued-jobs caps (TENANT_MAX_QUEUED_JOBS, TENANT_QUOTAS) and the gate that keeps them; none: retries are not capped. */
  readonly queuedQuota?: { readonly gate: Pick<TenantQueueGate, 'admit'>; limitOf(tenantId: string): number | null };
}

/** The options of the service configuration: its retry policy, and the queued-jobs quota through the process's gate. */
export function automaticRetriesOptions(
  config: Pick<ServiceConfig, 'retries' | 'tenantQuotas'>, stores: { readonly tenantQueueGate: Pick<TenantQueueGate, 'admit'> },
): AutomaticRetriesOptions {
  return {
    policy: config.retries, pollSeconds: config.retries.pollSeconds,
    queuedQuota: { gate: stores.tenantQueueGate, limitOf: (tenantId) => quotaOf(config.tenantQuotas, tenantId).maxQueuedJobs },
  };
}

/** Said by retry() of a retry its tenant's queued cap holds back. */
const AT_QUEUED_CAP = 'at-queued-cap';

type RetryReads = Pick<JobReadStore, 'loadCheckpoint' | 'applyJobDocuments' | 'dueRetries' | 'nextRetryDue'>;

export class AutomaticRetries implements BackgroundService {
  readonly name = 'automatic retries';
  private readonly consumer: CheckpointedSubscription;
  private readonly logger: { log(message: string): void; warn(message: string): void };
  private readonly random: () => number;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private round: Promise<void> | null = null;
  private readonly checkpoint: ReactorCheckpoint;
  /** The timer fired during a round: run another right after it. */
  private rerun = false;
  /** Retries waiting for room under their tenant's queued cap, already logged as such. */
  private readonly waitingForRoom = new Set<string>();

  constructor(
    events: EventStore,
    private readonly views: RetryReads,
    private readonly repository: JobRepository,
    private readonly options: AutomaticRetriesOptions,
  ) {
    this.logger = options.logger ?? console;
    this.checkpoint = new ReactorCheckpoint(AUTOMATIC_RETRIES_CHECKPOINT, views);
    this.random = options.random ?? Math.random;
    this.consumer = new CheckpointedSubscription(events, 'automatic retries', {
      loadCheckpoint: () => views.loadCheckpoint(AUTOMATIC_RETRIES_CHECKPOINT),
      handle: (batch, expected) => this.handle(batch, expected),
    }, this.logger, options.batchSize ?? 500);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.checkpoint.reset();
    await this.consumer.start();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await this.consumer.stop();
    await this.round;
    await this.checkpoint.flush();
    this.waitingForRoom.clear();
  }

  /** Resolves true once the consumer's stored checkpoint has passed `position` (tests wait on it). */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<boolean> {
    return this.consumer.waitFor(position, timeoutMs);
  }

  private async handle(batch: RecordedEvent[], expected: GlobalPosition): Promise<void> {
    const failedJobs = new Set<string>();
    for (const event of batch) {
      if (event.type === 'JobFailed' && event.streamId.startsWith(JOB_STREAM_PREFIX)) failedJobs.add(event.streamId.slice(JOB_STREAM_PREFIX.length));
    }
    let earliest: Date | null = null;
    for (const jobId of failedJobs) {
      const due = await this.react(jobId);
      if (due && (!earliest || due < earliest)) earliest = due;
    }
    // Armed before the checkpoint is stored: a runner that loses the checkpoint to another
    // still fires the retries it saw scheduled.
    if (earliest) this.wake(earliest);
    await this.checkpoint.passed(expected, batch[batch.length - 1].position, failedJobs.size > 0);
  }

  /** Schedules the failed job's retry or dead-letters it; the due time of its scheduled retry, if any. */
  private async react(jobId: string): Promise<Date | null> {
    const job = await this.repository.load(jobId);
    if (!job) return null;
    // A job's own retry policy (stored in its submission) replaces the service's back-off.
    const own = job.scheduling.retryPolicy;
    const delaySeconds = own ? policyRetryDelaySeconds(job.attempt + 1, own) : retryDelaySeconds(job.attempt + 1, this.options.policy, this.random);
    const { events, state } = await this.repository.execute(
      jobId, { kind: 'ScheduleRetry', at: new Date().toISOString(), delaySeconds }, systemCommandMetadata(AUTOMATIC_RETRIES_ACTOR),
      { retries: 3, known: job },
    );
    for (const event of events) {
      if (event.type === 'JobRetryScheduled') {
        this.logger.log(`job ${jobId}: attempt ${event.data.attempt} of ${event.data.maxAttempts} due at ${event.data.nextRetryAt}`);
      } else if (event.type === 'JobDeadLettered') {
        this.logger.warn(`job ${jobId} dead-lettered: ${event.data.reason}`);
      }
    }
    // Also when another runner scheduled it first: this one arms its timer for it too.
    return state.nextRetryAt && !state.retriedBy ? new Date(state.nextRetryAt) : null;
  }

  /** Runs a due-time round now (or at `at`, when that is sooner than the timer set). */
  private wake(at: Date = new Date()): void {
    if (!this.running) return;
    // During a round, a retry due now is found by the round's own next read.
    this.arm(at.getTime());
  }

  private arm(dueMs: number): void {
    if (!this.running || dueMs >= this.timerDue) return;
    this.clearTimer();
    this.timerDue = dueMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      if (this.round) {
        this.rerun = true;
        return;
      }
      this.round = this.dueRound().finally(() => (this.round = null));
    }, Math.max(0, dueMs - Date.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }

  private async dueRound(): Promise<void> {
    const pollMs = (this.options.pollSeconds ?? 60) * 1000;
    let nextMs = Date.now() + pollMs;
    // A due retry that failed, or whose view is behind its stream, is still listed as due:
    // it is read again after a pause, not in a tight loop.
    let unsettled = false;
    try {
      // An idle round is one read: the earliest due time, then the due retries only when one is due.
      let next = await this.views.nextRetryDue();
      while (next && next.getTime() <= Date.now()) {
        const due = await this.views.dueRetries(new Date(), DUE_BATCH);
        // A tenant found at its queued cap is not asked again in this round: its other retries wait too.
        const atCap = new Set<string>();
        for (const job of due) {
          if (!this.running) return;
          if (atCap.has(job.tenantId)) {
            unsettled = true;
            continue;
          }
          const settled = await this.retry(job).catch((error: unknown) => {
            this.logger.warn(`automatic retry of job ${job.jobId} failed, will try again: ${String(error)}`);
            return false;
          });
          if (settled === AT_QUEUED_CAP) atCap.add(job.tenantId);
          if (settled !== true) unsettled = true;
        }
        if (unsettled) break;
        next = await this.views.nextRetryDue();
      }
      if (next) nextMs = Math.min(nextMs, next.getTime());
    } catch (error) {
      this.logger.warn(`automatic retries: due-time round failed: ${String(error)}`);
      unsettled = true;
    }
    if (unsettled) nextMs = Math.max(nextMs, Date.now() + FAILED_ROUND_RETRY_MS);
    else if (this.rerun) nextMs = Date.now();
    this.rerun = false;
    this.round = null;
    this.arm(Math.max(nextMs, Date.now() + 1));
  }

  /**
   * Opens the due retry of `seen` (a view, perhaps behind its stream) and links it; false
   * when the stream says it is not due after all (the view will catch up), AT_QUEUED_CAP
   * when the tenant's queued cap leaves no room for it now.
   */
  private async retry(seen: JobState): Promise<boolean | typeof AT_QUEUED_CAP> {
    const job = await this.repository.load(seen.jobId);
    if (!job?.nextRetryAt || job.retriedBy || Date.parse(job.nextRetryAt) > Date.now()) return false;
    const attempt = job.attempt + 1;
    const maxAttempts = job.scheduling.maxAttempts ?? attempt;
    const newJobId = automaticRetryJobId(job.jobId, attempt);
    const open = () => retryFailedJob(this.repository, job, {
      newJobId, at: new Date().toISOString(), requestedBy: AUTOMATIC_RETRIES_ACTOR,
      reason: `automatic retry, attempt ${attempt} of ${maxAttempts}, after ${job.failure?.category ?? job.failure?.errorType ?? 'a failure'}`,
      automatic: true,
      scheduling: { ...job.scheduling, scheduledTime: null },
    }, systemCommandMetadata(AUTOMATIC_RETRIES_ACTOR));
    try {
      const limit = this.options.queuedQuota?.limitOf(job.tenantId) ?? null;
      let state: JobState;
      if (limit === null) ({ state } = await open());
      else {
        const outcome = await this.options.queuedQuota!.gate.admit(job.tenantId, limit, open);
        if (outcome.admitted) ({ state } = outcome.value);
        // Opened before a stop that came ahead of its link: it is counted already, so it is linked, not held back.
        else if (await this.repository.load(newJobId)) ({ state } = await open());
        else {
          if (!this.waitingForRoom.has(job.jobId)) {
            this.logger.log(`job ${job.jobId}: automatic retry waits, tenant ${job.tenantId} has ${outcome.current} queued jobs (maxQueuedJobs ${limit})`);
            this.waitingForRoom.add(job.jobId);
          }
          return AT_QUEUED_CAP;
        }
      }
      this.waitingForRoom.delete(job.jobId);
      this.logger.log(`job ${job.jobId} retried automatically as ${state.jobId} (attempt ${attempt} of ${maxAttempts})`);
      return true;
    } catch (error) {
      // Retried by request meanwhile: that retry stands in for this one.
      if (error instanceof JobRuleViolation && error.rule === 'AlreadyRetried') return true;
      throw error;
    }
  }
}
