/**
 * The job's history: past-tense facts, one stream per job (`job-<jobId>`).
 * Every event carries a schema version so old streams stay readable when a shape grows.
 */
import type { FailureClassification } from './job-failure.js';
import type { JobPriority, JobType } from './job.types.js';

export interface JobResource {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string | null;
}

export interface JobScheduling {
  readonly executeImmediately: boolean;
  /** ISO 8601 UTC; null = as soon as a node is free. */
  readonly scheduledTime: string | null;
  readonly timeoutMinutes: number;
  /**
   * Attempts the job may make in all, automatic retries included (1..10; 1 = never retried
   * automatically). Absent in jobs submitted before automatic retries: those are not retried.
   */
  readonly maxAttempts?: number;
  /**
   * The submitter's own back-off for automatic retries (absent: RETRY_BASE_SECONDS and
   * doubling with jitter). `maxRetries` + 1 is always `maxAttempts`.
   */
  readonly retryPolicy?: JobRetryPolicy;
}

/** Retry n (n ≥ 1) is due `retryDelay · backoffMultiplier^(n−1)` seconds after the failure, without jitter. */
export interface JobRetryPolicy {
  readonly maxRetries: number;
  /** Seconds before the first retry. */
  readonly retryDelay: number;
  readonly backoffMultiplier: number;
}

export interface JobNotifications {
  readonly onCompletion: boolean;
  readonly onFailure: boolean;
  readonly emailRecipients: readonly string[];
  /** E-mail the recipients when the job is cancelled too (absent before it existed: false). */
  readonly onCancellation?: boolean;
  /** Receivers of every terminal event (absent before webhooks existed: none). */
  readonly webhooks?: readonly JobWebhook[];
  /** An async operation's callbacks (absent for plain jobs): copied to every retry, like the rest. */
  readonly callbacks?: OperationCallbacks;
  /** An async operation's Slack message on its end, to the configured incoming webhook. */
  readonly slack?: SlackNotification;
}

/** Callback URLs of an async operation; one signing secret (by reference) for all of them. */
export interface OperationCallbacks {
  readonly onProgress: string | null;
  readonly onCompletion: string | null;
  readonly onError: string | null;
  readonly secretRef: string | null;
}

export interface SlackNotification {
  readonly channel: string | null;
  readonly mentionUsers: readonly string[];
}

/** A webhook receiver; its signing secret is kept apart from the events (webhook_secrets), named by `secretRef`. */
export interface JobWebhook {
  readonly url: string;
  readonly secretRef: string | null;
}

export interface JobSubmittedData {
  readonly jobId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobName: string;
  readonly jobDescription: string | null;
  readonly jobType: JobType;
  readonly priority: JobPriority;
  readonly resource: JobResource | null;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly scheduling: JobScheduling;
  readonly notifications: JobNotifications;
  readonly submittedBy: string;
  readonly submittedAt: string;
  /** Set when this job retries another one. */
  readonly retryOf: string | null;
  /** 1 for a first submission, previous attempt + 1 for a retry. */
  readonly attempt: number;
  readonly retryReason?: string | null;
  /** Set when a recurring schedule submitted the job: which schedule, for which fire time. */
  readonly schedule?: JobScheduleOrigin | null;
  /** Set when the job runs an async operation: the operation every attempt belongs to. */
  readonly operation?: JobOperationOrigin | null;
  /**
   * Jobs of the same project that must complete before this one may start (a pipeline). Absent
   * in jobs submitted without dependencies (and before pipelines existed): they wait on nothing.
   */
  readonly dependsOn?: readonly string[];
}

export interface JobOperationOrigin {
  /** `op-<id of the operation's first job>`. */
  readonly operationId: string;
  readonly operationType: string;
  /** Which of the job's artifacts the operation lists as its results (absent: all). */
  readonly outputOptions?: OperationOutputOptions;
}

export interface OperationOutputOptions {
  readonly generateReports: boolean;
  readonly createVisualizations: boolean;
  /** Artifact formats listed (null: every format). */
  readonly exportFormats: readonly string[] | null;
}

/** `parameters.datasetId` of a pipeline job: the dataset the named DataEnrichment dependency produces. */
export interface DatasetFromJob {
  readonly fromJob: string;
}

export interface JobScheduleOrigin {
  readonly scheduleId: string;
  readonly fireTime: string;
}

export interface JobStartedData {
  readonly nodeId: string;
  readonly startedAt: string;
}

/** null where the node could not measure it yet (no sample of the process, or only one). */
export interface MeasuredUsage {
  /** Resident set size of the process running the job, bytes. */
  readonly memoryBytes: number | null;
  /** CPU used by that process over the last interval, percent of one core. */
  readonly cpuPercent: number | null;
  /** Bytes written to the job's output folder so far. */
  readonly diskBytes: number;
}

export interface JobProgressedData {
  readonly percentage: number;
  readonly currentStage: string;
  readonly recordsProcessed: number;
  readonly totalRecords: number | null;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly usage: MeasuredUsage;
  readonly reportedAt: string;
}

/** Type of the artifact every completed job carries: all its computed figures as JSON (results' `figures`). */
export const FIGURES_ARTIFACT_TYPE = 'AnalysisFigures';

export interface JobArtifact {
  readonly artifactId: string;
  /** File in the job's output folder. */
  readonly fileName: string;
  readonly type: string;
  readonly title: string;
  readonly format: string;
  readonly outputType: 'reports' | 'data' | 'models' | 'visualizations';
  readonly sizeBytes: number;
  readonly primary: boolean;
  readonly recordCount?: number;
  readonly accuracy?: number;
  readonly metrics?: Readonly<Record<string, number>>;
  /** Dataset registered from this artifact (DataEnrichment). */
  readonly datasetId?: string;
}

export interface JobOutcome {
  readonly recordsProcessed: number;
  readonly totalRecords: number;
  readonly dataQualityScore: number | null;
  readonly dataValidation: {
    readonly totalRecords: number;
    readonly validRecords: number;
    readonly duplicatesRemoved: number;
    readonly invalidRecords: number;
  } | null;
  readonly warnings: readonly { readonly type: string; readonly message: string; readonly count: number }[];
  readonly processingErrors: readonly { readonly type: string; readonly message: string; readonly count: number }[];
  readonly artifacts: readonly JobArtifact[];
  /** Folder of the attempt that wrote the artifacts, in the project's artifact folder (`<jobId>.attempt-<revision>`). */
  readonly outputFolder?: string;
  /** Outcomes stored before `outputFolder`: the attempt's folder inside the job's folder (absent for outcomes stored before attempts had folders). */
  readonly attemptFolder?: string;
  /** Measured on the job's process; null where it could not be measured (never a made-up 0). */
  readonly execution: {
    /** user + system CPU of the job's process, seconds */
    readonly cpuTimeSeconds: number | null;
    readonly wallTimeSeconds: number;
    readonly peakMemoryBytes: number | null;
    /** Block input + output operations of the job's process (getrusage). */
    readonly diskIoOperations: number | null;
    /** Bytes the job's process caused to be written to storage (/proc/<pid>/io write_bytes). */
    readonly diskBytesWritten: number | null;
  };
}

export interface JobCompletedData {
  readonly completedAt: string;
  readonly outcome: JobOutcome;
}

export interface JobFailedData {
  readonly failedAt: string;
  /** ExecutionError | Timeout | InvalidInput | NodeLost */
  readonly errorType: string;
  readonly message: string;
  readonly outcome?: JobOutcome | null;
  /** Absent in events stored before failures were classified: read with inferredFailure(errorType). */
  readonly failure?: FailureClassification;
}

export interface JobCancellationRequestedData {
  readonly requestedAt: string;
  readonly reason: string | null;
  readonly forceTermination: boolean;
  readonly preservePartialResults: boolean;
  readonly requestedBy: string;
}

export interface JobCancelledData {
  readonly cancelledAt: string;
  readonly reason: string | null;
  /** Artifacts written before the stop, kept when preservePartialResults was asked. */
  readonly partialOutcome?: JobOutcome | null;
}

export interface JobRetriedData {
  readonly retriedAt: string;
  readonly newJobId: string;
  readonly reason: string | null;
  readonly retriedBy: string;
  /** Submitted by the automatic retries (absent or false: by someone's request). */
  readonly automatic?: boolean;
}

/** A retryable failure with attempts left: the automatic retry is due at `nextRetryAt`. */
export interface JobRetryScheduledData {
  readonly scheduledAt: string;
  readonly nextRetryAt: string;
  /** The attempt number the retry will have. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly delaySeconds: number;
}

/** A retryable failure of the job's last allowed attempt: no automatic retry follows. */
export interface JobDeadLetteredData {
  readonly deadLetteredAt: string;
  readonly reason: string;
  readonly attempts: number;
}

/** A dependency of this waiting job completed: it waits on one job fewer. */
export interface JobDependencyMetData {
  readonly dependencyJobId: string;
  readonly metAt: string;
  /** The dataset the dependency produced (DataEnrichment), which `parameters.datasetId: {fromJob}` reads; else null. */
  readonly datasetId: string | null;
}

/** A dependency of this waiting job was retried: the job waits on the retry instead. */
export interface JobDependencyRetriedData {
  readonly dependencyJobId: string;
  readonly retryJobId: string;
  readonly retriedAt: string;
}

export interface JobRequeuedData {
  readonly requeuedAt: string;
  readonly previousNodeId: string;
  readonly reason: string;
  /**
   * The node died or went silent (true), or handed the job back on purpose, e.g. when
   * shutting down (false). Only lost attempts count against the cap. Schema version 2:
   * version 1 events stored before the distinction existed lack it and are upcast on read
   * (job.upcasters.ts).
   */
  readonly nodeLost: boolean;
}

/** A queued job's priority was changed; its queue score follows, aging still counted from queuedAt. */
export interface JobPriorityChangedData {
  readonly from: JobPriority;
  readonly to: JobPriority;
  readonly changedBy: string;
  readonly changedAt: string;
  readonly reason: string | null;
}

/** A queued job was put on hold: it stays Queued but no claim takes it until released. */
export interface JobHeldData {
  readonly heldBy: string;
  readonly heldAt: string;
  readonly reason: string | null;
}

export interface JobReleasedData {
  readonly releasedBy: string;
  readonly releasedAt: string;
  readonly reason: string | null;
}

export type JobEvent =
  | { readonly type: 'JobSubmitted'; readonly data: JobSubmittedData }
  | { readonly type: 'JobStarted'; readonly data: JobStartedData }
  | { readonly type: 'JobProgressed'; readonly data: JobProgressedData }
  | { readonly type: 'JobCompleted'; readonly data: JobCompletedData }
  | { readonly type: 'JobFailed'; readonly data: JobFailedData }
  | { readonly type: 'JobCancellationRequested'; readonly data: JobCancellationRequestedData }
  | { readonly type: 'JobCancelled'; readonly data: JobCancelledData }
  | { readonly type: 'JobRetried'; readonly data: JobRetriedData }
  | { readonly type: 'JobRetryScheduled'; readonly data: JobRetryScheduledData }
  | { readonly type: 'JobDeadLettered'; readonly data: JobDeadLetteredData }
  | { readonly type: 'JobRequeued'; readonly data: JobRequeuedData }
  | { readonly type: 'JobPriorityChanged'; readonly data: JobPriorityChangedData }
  | { readonly type: 'JobHeld'; readonly data: JobHeldData }
  | { readonly type: 'JobReleased'; readonly data: JobReleasedData }
  | { readonly type: 'JobDependencyMet'; readonly data: JobDependencyMetData }
  | { readonly type: 'JobDependencyRetried'; readonly data: JobDependencyRetriedData };

export type JobEventType = JobEvent['type'];

/**
 * The schema version new events of each type are written with. Bump one together with an
 * upcaster from the previous version in job.upcasters.ts: stored events are never rewritten.
 */
export const JOB_EVENT_SCHEMA_VERSIONS: Readonly<Record<JobEventType, number>> = {
  JobSubmitted: 1, JobStarted: 1, JobProgressed: 1, JobCompleted: 1, JobFailed: 1,
  JobCancellationRequested: 1, JobCancelled: 1, JobRetried: 1, JobRequeued: 2,
  JobPriorityChanged: 1, JobHeld: 1, JobReleased: 1, JobRetryScheduled: 1, JobDeadLettered: 1,
  JobDependencyMet: 1, JobDependencyRetried: 1,
};

export const JOB_EVENT_TYPES: readonly JobEventType[] = [
  'JobSubmitted', 'JobStarted', 'JobProgressed', 'JobCompleted', 'JobFailed',
  'JobCancellationRequested', 'JobCancelled', 'JobRetried', 'JobRequeued',
  'JobPriorityChanged', 'JobHeld', 'JobReleased', 'JobRetryScheduled', 'JobDeadLettered',
  'JobDependencyMet', 'JobDependencyRetried',
];

export function isJobEventType(type: string): type is JobEventType {
  return (JOB_EVENT_TYPES as readonly string[]).includes(type);
}
