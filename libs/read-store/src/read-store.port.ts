/**
 * The read store port: documents written by projections, read by the queries.
 * Each projection's checkpoint is written in the same transaction as its documents,
 * so a crash never applies an event twice nor skips one.
 */
import type { GlobalPosition } from '../../event-store/src/event-store.port.js';
import type { JobPriority, JobState, JobStatus, JobType } from '../../job-domain/src/index.js';

export interface JobListFilter {
  readonly tenantId: string;
  readonly projectId: string;
  readonly status?: JobStatus;
  readonly jobType?: JobType;
  readonly priority?: JobPriority;
  readonly submittedBy?: string;
  /** Inclusive bounds on dateCreated (submission time). */
  readonly dateFrom?: Date;
  readonly dateTo?: Date;
}

export interface JobListPage {
  readonly jobs: JobState[];
  readonly totalJobs: number;
  readonly countsByStatus: Readonly<Record<JobStatus, number>>;
}

export interface QueuedJobRef {
  readonly jobId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly revision: number;
  readonly priority: JobPriority;
  readonly jobType: JobType;
}

export interface RunningJobRef extends QueuedJobRef {
  readonly nodeId: string;
  readonly startedAt: string;
  readonly timeoutAt: string | null;
}

/** A worker process's heartbeat: operational state, not an event. */
export interface ExecutionNodeHeartbeat {
  readonly nodeId: string;
  readonly jobCapacity: number;
  readonly activeJobs: number;
  /** Measured over the last heartbeat interval, 0..100 of the machine. */
  readonly cpuPercent: number;
  readonly cpuCores: number;
  readonly memoryUsedBytes: number;
  readonly memoryTotalBytes: number;
  readonly diskAvailableBytes: number | null;
  readonly draining: boolean;
  /** The jobs the node runs (or is finishing) right now; null from nodes that do not report them. */
  readonly runningJobIds: readonly string[] | null;
}

export interface ExecutionNodeRecord extends ExecutionNodeHeartbeat {
  readonly startedAt: string;
  readonly lastHeartbeat: string;
}

export interface QueueStatistics {
  readonly queuedByPriority: Readonly<Record<JobPriority, number>>;
  /** Seconds waited in the queue by jobs that started in the window. */
  readonly averageWaitSeconds: number | null;
  readonly startedInWindow: number;
}

export interface CompletionStatistics {
  readonly completed: number;
  readonly failed: number;
  /** Mean wall time from start to end of jobs that completed in the window, seconds. */
  readonly averageDurationSeconds: number | null;
  /** Quartiles of run durations, for ranges like "45-60 minutes". */
  readonly durationQuartilesSeconds: { readonly p25: number; readonly p75: number } | null;
}

export interface JobReadStore {
  /** The projection's checkpoint, START_POSITION when it never ran. */
  loadCheckpoint(projection: string): Promise<GlobalPosition>;
  /**
   * Writes documents and moves the checkpoint from `expected` to `next` in one transaction.
   * Throws CheckpointMovedError when another runner already moved it.
   */
  applyJobDocuments(projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[]): Promise<void>;
  /** Drops all documents and the checkpoint, to rebuild from position 0. */
  resetJobProjection(projection: string): Promise<void>;

  getJob(tenantId: string, projectId: string, jobId: string): Promise<JobState | null>;
  getJobsByIds(jobIds: readonly string[]): Promise<JobState[]>;
  listJobs(filter: JobListFilter, page: { offset: number; limit: number }): Promise<JobListPage>;

  /**
   * The claimable queued jobs at `now` (due, their tenant below its cap) in claim order:
   * job-domain's queue order (aged priority level, round-robin between tenants, FIFO).
   */
  nextQueuedJobs(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<QueuedJobRef[]>;
  /** The same jobs in the same order, as their whole documents (what a batched claim decides on). */
  nextQueuedJobDocuments(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<JobState[]>;
  /** The earliest scheduled time after `now` of a queued job, null when none waits for one: when a node next has work. */
  nextScheduledStart(now: Date): Promise<Date | null>;
  /**
   * 1-based place of a queued job in that order (the claimable jobs first, exactly as
   * nextQueuedJobs lists them; then those held back by the cap; then those not due yet),
   * null when not queued.
   */
  queuePosition(jobId: string, now: Date): Promise<number | null>;
  runningJobs(): Promise<RunningJobRef[]>;
  /** Running jobs whose timeout passed at `now`. */
  timedOutJobs(now: Date): Promise<RunningJobRef[]>;

  /** Stamped with the store's own clock, so lease decisions never compare two machines' clocks. */
  recordHeartbeat(heartbeat: ExecutionNodeHeartbeat): Promise<void>;
  /**
   * Running jobs whose node has been silent for longer than `leaseSeconds` by the store's
   * clock (or, for a node never heard of, whose claim was recorded that long ago).
   */
  jobsWithExpiredLease(leaseSeconds: number): Promise<RunningJobRef[]>;
  /**
   * Running jobs that their node, heartbeating, does not report running: its last
   * heartbeat was stamped more than `graceSeconds` after the claim was recorded and does
   * not list the job (store clock on both sides).
   */
  unreportedJobs(graceSeconds: number): Promise<RunningJobRef[]>;
  removeNode(nodeId: string): Promise<void>;
  listNodes(): Promise<ExecutionNodeRecord[]>;

  queueStatistics(tenantId: string, since: Date): Promise<QueueStatistics>;
  completionStatistics(scope: { tenantId: string; jobType?: JobType }, since: Date): Promise<CompletionStatistics>;
}

/** Thrown by applyJobDocuments when another runner moved the checkpoint first. */
export { CheckpointMovedError } from '../../event-store/src/checkpointed-subscription.js';

export const JOB_READ_STORE = Symbol('JobReadStore');
