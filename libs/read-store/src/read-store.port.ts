/**
 * The read store port: documents written by projections, read by the queries.
 * Each projection's checkpoint is written in the same transaction as its documents,
 * so a crash never applies an event twice nor skips one.
 */
import type { GlobalPosition } from '../../event-store/src/event-store.port.js';
import type { JobPriority, JobState, JobStatus, JobType, ProjectQueueState } from '../../job-domain/src/index.js';
import type { JobDependencyViews } from './job-dependency-views.js';
import type { JobRetryViews } from './job-retry-views.js';

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
  /** Only jobs whose last allowed attempt failed retryably (true), or only the others (false). */
  readonly deadLettered?: boolean;
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

/** One completed job's size and run time, for duration estimates that scale with the dataset. */
export interface DurationSample {
  /** Source records the job read (its outcome's totalRecords). */
  readonly records: number;
  /** Wall time from start to end. */
  readonly seconds: number;
}

/** The queue view of one project: its queued jobs (held ones included), optionally narrowed. */
export interface QueueViewFilter {
  readonly tenantId: string;
  readonly projectId: string;
  readonly priority?: JobPriority;
  readonly jobType?: JobType;
  /** Waits are averaged over the project's jobs that started at or after this time. */
  readonly waitsSince: Date;
}

export interface QueueViewPage {
  /**
   * The page, in claim order: due jobs as claims take them, then jobs whose scheduled time
   * is still to come, then held jobs. `queuePosition` is the job's place in the claim order
   * of the whole queue (every tenant's), exactly `queuePosition(jobId)`; null for a held job
   * and for every job of a paused project.
   */
  readonly jobs: readonly { readonly job: JobState; readonly queuePosition: number | null }[];
  /** Queued jobs matching the filter (held ones included), by priority. */
  readonly queuedByPriority: Readonly<Record<JobPriority, number>>;
  readonly heldJobs: number;
  /** Of the held ones, those waiting for dependencies (a pipeline). */
  readonly waitingJobs: number;
  /** Mean seconds from queuedAt to start of the project's jobs started since `waitsSince`; null when none. */
  readonly averageWaitSeconds: number | null;
}

/** Means of what the job processes of completed jobs measured; null where none measured it. */
export interface UsageStatistics {
  /** Completed jobs in the window. */
  readonly jobs: number;
  /** CPU time / wall time of the job's process: the cores it kept busy. */
  readonly cpuUnits: number | null;
  readonly peakMemoryBytes: number | null;
  /** Bytes the job's process wrote per record it read (outcome totalRecords). */
  readonly diskBytesPerRecord: number | null;
}

/** What one supervision sweep must act on (see JobReadStore.dueSupervision). */
export interface SupervisionWork {
  /** Running jobs whose timeout passed. */
  readonly timedOut: RunningJobRef[];
  /** Running jobs whose node is silent past the lease (timed-out ones excluded). */
  readonly leaseExpired: RunningJobRef[];
  /** Running jobs their heartbeating node no longer lists (those above excluded). */
  readonly unreported: RunningJobRef[];
}

export interface SupervisionLimits {
  readonly leaseSeconds: number;
  readonly graceSeconds: number;
  /** Nodes silent this long are dropped from the node list. */
  readonly forgetNodesAfterSeconds: number;
}

export interface JobReadStore extends JobRetryViews, JobDependencyViews {
  /** The projection's checkpoint, START_POSITION when it never ran. */
  loadCheckpoint(projection: string): Promise<GlobalPosition>;
  /**
   * Writes documents and moves the checkpoint from `expected` to `next` in one transaction.
   * Throws CheckpointMovedError when another runner already moved it. `queues` are the
   * project queues (paused or active) the same batch changed, written in that transaction.
   */
  applyJobDocuments(
    projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[],
    queues?: readonly ProjectQueueState[],
  ): Promise<void>;
  /** Drops all documents (project queues included) and the checkpoint, to rebuild from position 0. */
  resetJobProjection(projection: string): Promise<void>;

  getJob(tenantId: string, projectId: string, jobId: string): Promise<JobState | null>;
  getJobsByIds(jobIds: readonly string[]): Promise<JobState[]>;
  listJobs(filter: JobListFilter, page: { offset: number; limit: number }): Promise<JobListPage>;

  /** A project's queue as last projected; null when it was never paused (it is Active). */
  getProjectQueue(tenantId: string, projectId: string): Promise<ProjectQueueState | null>;
  /** One page of a project's queue view (see QueueViewPage), paged in the store. */
  queueView(filter: QueueViewFilter, now: Date, page: { offset: number; limit: number }): Promise<QueueViewPage>;

  /**
   * The claimable queued jobs at `now` (due, not held, their project's queue not paused,
   * their tenant below its cap) in claim order:
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
   * null when not queued, held, or in a paused project's queue (no claim takes those).
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
  /**
   * One supervision sweep's reads at once (timedOutJobs at `now`, jobsWithExpiredLease,
   * unreportedJobs; each job in the first list it falls in), and drops the nodes silent
   * longer than `forgetNodesAfterSeconds`. One statement on PostgreSQL.
   */
  dueSupervision(now: Date, limits: SupervisionLimits): Promise<SupervisionWork>;
  removeNode(nodeId: string): Promise<void>;
  listNodes(): Promise<ExecutionNodeRecord[]>;

  queueStatistics(tenantId: string, since: Date): Promise<QueueStatistics>;
  /** Queued jobs of every tenant by priority, every priority present (the queue-depth gauge). */
  queuedJobsByPriority(): Promise<Readonly<Record<JobPriority, number>>>;
  completionStatistics(scope: { tenantId: string; jobType?: JobType }, since: Date): Promise<CompletionStatistics>;
  /**
   * Records read and run seconds of the tenant's jobs of a type that completed since `since`
   * and reported how many records they read, newest first, at most `limit`.
   */
  durationSamples(scope: { tenantId: string; jobType: JobType }, since: Date, limit: number): Promise<DurationSample[]>;
  /** Measured usage of the tenant's jobs of a type that completed since `since` (their outcome's `execution`). */
  usageStatistics(scope: { tenantId: string; jobType: JobType }, since: Date): Promise<UsageStatistics>;
}

/** Thrown by applyJobDocuments when another runner moved the checkpoint first. */
export { CheckpointMovedError } from '../../event-store/src/checkpointed-subscription.js';

export const JOB_READ_STORE = Symbol('JobReadStore');
