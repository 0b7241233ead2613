/**
 * The job as a fold of its events. The write side (decide), the projections and
 * time travel ("the job as of revision N") all use this one `evolve`.
 */
import type { DatasetFromJob, JobArtifact, JobEvent, JobOutcome, JobProgressedData, JobSubmittedData, MeasuredUsage } from './job.events.js';
import { inferredFailure, type FailureCategory } from './job-failure.js';
import type { JobStatus } from './job.types.js';

/** The last progress a node reported (null time until the first report). */
export interface JobProgressState extends Omit<JobProgressedData, 'usage' | 'reportedAt'> {
  readonly reportedAt: string | null;
}

/** The submission's facts (JobSubmittedData) plus what happened since. */
export interface JobState extends Omit<JobSubmittedData, 'retryReason'> {
  readonly status: JobStatus;
  /** Job that retried this one, once retried. */
  readonly retriedBy: string | null;
  readonly nodeId: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly progress: JobProgressState;
  readonly usage: MeasuredUsage | null;
  readonly peakMemoryBytes: number;
  readonly cancellation: {
    readonly requestedAt: string;
    readonly reason: string | null;
    readonly forceTermination: boolean;
    readonly preservePartialResults: boolean;
  } | null;
  readonly failure: {
    readonly errorType: string;
    readonly message: string;
    /** Absent in documents stored before failures were classified (read with inferredFailure). */
    readonly category?: FailureCategory;
    readonly retryable?: boolean;
  } | null;
  readonly outcome: JobOutcome | null;
  /** How many times the job went back to the queue (a lost node or a handback). */
  readonly requeueCount: number;
  /** How many of those were attempts lost with their node: what MAX_LOST_ATTEMPTS caps. */
  readonly lostAttempts: number;
  /** Time the job entered the queue; a requeue keeps it, so the job keeps its place. */
  readonly queuedAt: string;
  /** Revision of the JobStarted of the current attempt: names the attempt's output folder. */
  readonly claimRevision: number | null;
  /** When the store recorded the current claim (the database's clock, unlike startedAt). */
  readonly claimRecordedAt: string | null;
  readonly lastUpdated: string;
  /**
   * Set while the job is on hold: it stays Queued, no claim takes it, and it has no queue
   * position. Absent in documents stored before holds existed (read it as null).
   */
  readonly hold?: JobHold | null;
  /** When the automatic retry of this failed job is due; null once submitted or when none is scheduled (absent in older documents). */
  readonly nextRetryAt?: string | null;
  /** Set when the job's last allowed attempt failed retryably (absent in older documents). */
  readonly deadLettered?: { readonly at: string; readonly reason: string } | null;
  /**
   * The dependencies (dependsOn, a retry in place of a retried one) not completed yet: no claim
   * takes the job while one is left. null for a job without dependencies (absent in older documents).
   */
  readonly waitingFor?: readonly string[] | null;
  /** Revision of the last event folded in: the expected revision for the next append. */
  readonly revision: number;
}

export interface JobHold {
  readonly heldBy: string;
  readonly heldAt: string;
  readonly reason: string | null;
}

const EMPTY_PROGRESS: JobProgressState = {
  percentage: 0, currentStage: 'Queued', recordsProcessed: 0, totalRecords: null,
  errorCount: 0, warningCount: 0, reportedAt: null,
};

/** Folds one event (at `revision` in its stream, recorded at `recordedAt`) into the state. */
export function evolve(state: JobState | null, event: JobEvent, revision: number, recordedAt: string): JobState {
  if (event.type === 'JobSubmitted') {
    const { retryReason: _reason, ...submitted } = event.data;
    // Assigned onto the fresh rest object rather than spread into a literal with these many
    // properties after it: V8 built that literal slowly (~60 µs, the bulk of a replay's fold).
    return Object.assign(submitted, {
      status: 'Queued', retriedBy: null, nodeId: null, startedAt: null, endedAt: null, progress: EMPTY_PROGRESS, usage: null,
      peakMemoryBytes: 0, cancellation: null, failure: null, outcome: null, requeueCount: 0, lostAttempts: 0,
      queuedAt: submitted.submittedAt, claimRevision: null, claimRecordedAt: null, hold: null, nextRetryAt: null, deadLettered: null,
      waitingFor: submitted.dependsOn?.length ? [...submitted.dependsOn] : null, lastUpdated: recordedAt, revision,
    } satisfies Omit<JobState, keyof typeof submitted>);
  }
  if (!state) throw new Error(`${event.type} before JobSubmitted`);
  const base = { ...state, lastUpdated: recordedAt, revision };
  switch (event.type) {
    case 'JobStarted':
      return {
        ...base, status: 'Running', nodeId: event.data.nodeId, startedAt: event.data.startedAt,
        claimRevision: revision, claimRecordedAt: recordedAt,
        progress: { ...EMPTY_PROGRESS, currentStage: 'Starting', reportedAt: event.data.startedAt },
      };
    case 'JobProgressed': {
      const d = event.data;
      return {
        ...base,
        progress: {
          percentage: d.percentage, currentStage: d.currentStage, recordsProcessed: d.recordsProcessed,
          totalRecords: d.totalRecords, errorCount: d.errorCount, warningCount: d.warningCount, reportedAt: d.reportedAt,
        },
        usage: d.usage,
        peakMemoryBytes: Math.max(state.peakMemoryBytes, d.usage.memoryBytes ?? 0),
      };
    }
    case 'JobCompleted': {
      const o = event.data.outcome;
      return {
        ...base, status: 'Completed', endedAt: event.data.completedAt, outcome: o,
        peakMemoryBytes: Math.max(state.peakMemoryBytes, o.execution.peakMemoryBytes ?? 0),
        progress: {
          ...state.progress, percentage: 100, currentStage: 'Completed', recordsProcessed: o.recordsProcessed,
          totalRecords: o.totalRecords, reportedAt: event.data.completedAt,
        },
      };
    }
    case 'JobFailed':
      return {
        ...base, status: 'Failed', endedAt: event.data.failedAt,
        failure: { errorType: event.data.errorType, message: event.data.message, ...(event.data.failure ?? inferredFailure(event.data.errorType)) },
        outcome: event.data.outcome ?? state.outcome,
        progress: { ...state.progress, currentStage: 'Failed', reportedAt: event.data.failedAt },
      };
    case 'JobCancellationRequested': {
      const d = event.data;
      return {
        ...base,
        cancellation: {
          requestedAt: d.requestedAt, reason: d.reason, forceTermination: d.forceTermination,
          preservePartialResults: d.preservePartialResults,
        },
      };
    }
    case 'JobCancelled':
      return {
        ...base, status: 'Cancelled', endedAt: event.data.cancelledAt, hold: null,
        outcome: event.data.partialOutcome ?? state.outcome,
        cancellation: state.cancellation ?? {
          requestedAt: event.data.cancelledAt, reason: event.data.reason, forceTermination: false,
          preservePartialResults: false,
        },
        progress: { ...state.progress, currentStage: 'Cancelled', reportedAt: event.data.cancelledAt },
      };
    case 'JobRetried':
      // A retry by request takes the place of a pending automatic one.
      return { ...base, retriedBy: event.data.newJobId, nextRetryAt: null };
    case 'JobRetryScheduled':
      return { ...base, nextRetryAt: event.data.nextRetryAt };
    case 'JobDeadLettered':
      return { ...base, deadLettered: { at: event.data.deadLetteredAt, reason: event.data.reason } };
    case 'JobRequeued':
      return {
        ...base, status: 'Queued', nodeId: null, startedAt: null, usage: null, requeueCount: state.requeueCount + 1,
        lostAttempts: state.lostAttempts + (event.data.nodeLost ? 1 : 0),
        claimRevision: null, claimRecordedAt: null, progress: { ...EMPTY_PROGRESS, currentStage: 'Queued' },
      };
    case 'JobPriorityChanged':
      // queuedAt is kept: the wait already served still counts towards aging at the new priority.
      return { ...base, priority: event.data.to };
    case 'JobHeld':
      return { ...base, hold: { heldBy: event.data.heldBy, heldAt: event.data.heldAt, reason: event.data.reason } };
    case 'JobReleased':
      // queuedAt is kept, so the job takes up its old place again.
      return { ...base, hold: null };
    case 'JobDependencyMet': {
      const { dependencyJobId, datasetId } = event.data;
      const reads = datasetFromJobOf(state) === dependencyJobId && datasetId !== null;
      return {
        ...base, waitingFor: (state.waitingFor ?? []).filter((id) => id !== dependencyJobId),
        // The job reads what its DataEnrichment dependency produced: from here on it names that dataset.
        ...(reads ? { parameters: { ...state.parameters, datasetId } } : {}),
      };
    }
    case 'JobDependencyRetried': {
      const { dependencyJobId, retryJobId } = event.data;
      const reads = datasetFromJobOf(state) === dependencyJobId;
      return {
        ...base, waitingFor: (state.waitingFor ?? []).map((id) => (id === dependencyJobId ? retryJobId : id)),
        ...(reads ? { parameters: { ...state.parameters, datasetId: { fromJob: retryJobId } } } : {}),
      };
    }
  }
}

/** The job waits for dependencies that have not completed: claims skip it. */
export function waitsForDependencies(state: Pick<JobState, 'waitingFor'>): boolean {
  return (state.waitingFor?.length ?? 0) > 0;
}

/** No claim takes the queued job: it is on hold or waits for its dependencies (the views' `held`). */
export function heldFromClaims(state: Pick<JobState, 'hold' | 'waitingFor'>): boolean {
  return Boolean(state.hold) || waitsForDependencies(state);
}

/** The job named by `parameters.datasetId: {fromJob}`, whose produced dataset the job reads; null otherwise. */
export function datasetFromJobOf(state: Pick<JobState, 'parameters'>): string | null {
  const id = state.parameters.datasetId;
  if (typeof id !== 'object' || id === null) return null;
  const fromJob = (id as Partial<DatasetFromJob>).fromJob;
  return typeof fromJob === 'string' ? fromJob.toLowerCase() : null;
}

/** Folds a whole history; null for an empty one. */
export function foldJob(history: readonly { event: JobEvent; revision: number; recordedAt: string }[]): JobState | null {
  let state: JobState | null = null;
  for (const h of history) state = evolve(state, h.event, h.revision, h.recordedAt);
  return state;
}

export function artifactsOf(state: JobState): readonly JobArtifact[] {
  return state.outcome?.artifacts ?? [];
}

/** The dataset a job reads, normalised (dataset ids are GUIDs, compared in lower case); null when it names none. */
export function datasetIdOf(state: Pick<JobState, 'parameters'>): string | null {
  const id = state.parameters.datasetId;
  return typeof id === 'string' ? id.toLowerCase() : null;
}
