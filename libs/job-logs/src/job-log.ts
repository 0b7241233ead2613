/**
 * A job's execution log: lines its runner and its node write while the job works (what was
 * loaded, each stage entered, data-quality warnings, errors, measured rates, the node's own
 * claim, stop and outcome). Operational detail beside the job's events, not events: the
 * job's history stays the stream; these lines explain it.
 */

export const JOB_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type JobLogLevel = (typeof JOB_LOG_LEVELS)[number];

/** Who wrote a line, as the reference names them. */
export type JobLogComponent = 'ExecutionNode' | 'JobRunner' | 'DataLoader' | 'DataValidator' | 'ProcessMiner' | 'ReportWriter';

/** One line as written (the runner sends these to its node over IPC). */
export interface JobLogEntry {
  /** ISO datetime of the writer's clock. */
  readonly timestamp: string;
  readonly level: JobLogLevel;
  readonly component: JobLogComponent;
  /** The job's stage when the line was written (the engine's stage names, or the node's Initialization / Completion). */
  readonly stage: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A line of a job, as the node hands it to the store. */
export interface JobLogLine extends JobLogEntry {
  readonly jobId: string;
  /**
   * The line's place among its job's lines written by one node (lines of one millisecond keep
   * the order they were written in; a statement's row order does not say it). Default 0.
   */
  readonly sequence?: number;
}

/** A stored line; `lineId` grows in the order a job's lines were stored (the cursor of a live follow). */
export interface StoredJobLogLine extends JobLogEntry {
  readonly lineId: string;
}

/** Levels as stored: a line passes a filter when its rank is at least the filter's. */
export const LEVEL_RANK: Readonly<Record<JobLogLevel, number>> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export function levelOfRank(rank: number): JobLogLevel {
  return JOB_LOG_LEVELS.find((level) => LEVEL_RANK[level] === rank) ?? 'INFO';
}

export function logEntry(
  level: JobLogLevel, component: JobLogComponent, stage: string, message: string, details: Readonly<Record<string, unknown>> = {},
): JobLogEntry {
  return { timestamp: new Date().toISOString(), level, component, stage, message, details };
}

export interface JobLogFilter {
  /** Lines of this level and above. */
  readonly minLevel: JobLogLevel;
  /** Inclusive bounds on the line's timestamp. */
  readonly fromTime?: Date;
  readonly toTime?: Date;
  readonly limit: number;
}

export interface JobLogSummary {
  readonly totalEntries: number;
  readonly debugEntries: number;
  readonly infoEntries: number;
  readonly warnEntries: number;
  readonly errorEntries: number;
  /** First and last line's time; null when the job has no lines. */
  readonly timeRange: { readonly startTime: string | null; readonly endTime: string | null };
}

/** Where job logs are kept (PostgreSQL or the embedded PGlite; see postgres/). */
export interface JobLogStore {
  /** Stores lines of any jobs together (one statement). */
  insert(lines: readonly JobLogLine[]): Promise<void>;
  /** A job's lines passing `filter`, oldest first. */
  read(jobId: string, filter: JobLogFilter): Promise<StoredJobLogLine[]>;
  /** Counts over the job's whole log (every level, every time). */
  summarize(jobId: string): Promise<JobLogSummary>;
  /**
   * Lines stored after the line `afterLineId` (null: from the first), in storage order, at most
   * `limit`: what a live follow reads after the last line it has shown.
   */
  readAfter(jobId: string, afterLineId: string | null, limit: number): Promise<StoredJobLogLine[]>;
  /** Deletes lines written before `cutoff`; returns how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}
