/**
 * The job's rules: given the current state and a command, which events happen.
 * Pure: no clock, no ids, no I/O (the caller passes `at` and new ids in the command).
 */
import type {
  JobCancellationRequestedData, JobEvent, JobOutcome, JobProgressedData, JobSubmittedData,
} from './job.events.js';
import { JobNotFoundError, JobRuleViolation } from './job.errors.js';
import { classified, inferredFailure, type FailureClassification } from './job-failure.js';
import { datasetFromJobOf, waitsForDependencies, type JobState } from './job.state.js';
import { TERMINAL_STATUSES, derivedUuid, type JobPriority } from './job.types.js';

export type JobCommand =
  | { readonly kind: 'SubmitJob'; readonly submission: JobSubmittedData }
  | { readonly kind: 'StartJob'; readonly nodeId: string; readonly at: string }
  | { readonly kind: 'ReportProgress'; readonly nodeId: string; readonly progress: JobProgressedData }
  | { readonly kind: 'CompleteJob'; readonly nodeId: string; readonly at: string; readonly outcome: JobOutcome }
  | { readonly kind: 'FailJob'; readonly nodeId: string | null; readonly at: string; readonly errorType: string; readonly message: string; readonly outcome?: JobOutcome | null;
    /** What kind of failure it is, decided where it is known; without it, inferred from errorType. */
    readonly failure?: FailureClassification }
  | { readonly kind: 'CancelJob'; readonly at: string; readonly request: Omit<JobCancellationRequestedData, 'requestedAt'> }
  | { readonly kind: 'ConfirmCancellation'; readonly nodeId: string; readonly at: string; readonly partialOutcome: JobOutcome | null }
  | {
    readonly kind: 'RetryJob'; readonly at: string; readonly newJobId: string; readonly reason: string | null; readonly retriedBy: string;
    /** Submitted by the automatic retries: only while one is scheduled. */
    readonly automatic?: boolean;
  }
  /**
   * The automatic retries' reaction to a failure: schedule the next attempt `delaySeconds`
   * from `at`, or dead-letter a job whose last allowed attempt failed. Nothing happens for a
   * failure that is not retryable, a job submitted without maxAttempts, or one already handled.
   */
  | { readonly kind: 'ScheduleRetry'; readonly at: string; readonly delaySeconds: number }
  | {
    readonly kind: 'RequeueJob'; readonly at: string; readonly nodeId: string; readonly reason: string;
    /** The node died or went silent; false when it hands the job back on purpose (shutdown). */
    readonly nodeLost: boolean;
    /** Attempts a job may lose with its node; the one that would exceed it fails the job instead (NodeLost). */
    readonly maxLostAttempts: number;
  }
  | { readonly kind: 'ChangePriority'; readonly at: string; readonly priority: JobPriority; readonly changedBy: string; readonly reason: string | null }
  | { readonly kind: 'HoldJob'; readonly at: string; readonly heldBy: string; readonly reason: string | null }
  | { readonly kind: 'ReleaseJob'; readonly at: string; readonly releasedBy: string; readonly reason: string | null }
  /**
   * What became of a dependency this job waits for (the pipelines' reaction): it completed, it was
   * retried (wait on the retry), or it ended for good otherwise (this job fails). Nothing happens
   * unless the job is Queued and still waits for that dependency, so a repeat changes nothing.
   */
  | { readonly kind: 'ResolveDependency'; readonly at: string; readonly dependencyJobId: string; readonly outcome: DependencyOutcome };

export type DependencyOutcome =
  | { readonly kind: 'Completed'; readonly datasetId: string | null }
  | { readonly kind: 'Retried'; readonly retryJobId: string }
  /** Failed with no retry to come, or Cancelled: `reason` says which and why. */
  | { readonly kind: 'Ended'; readonly reason: string };

function violation(state: JobState, rule: string, message: string): never {
  throw new JobRuleViolation(state.jobId, rule, message);
}

/** Queue management applies to waiting jobs only: a started or ended job is past its queue. */
function requireQueued(state: JobState, action: string): void {
  if (state.status !== 'Queued') violation(state, 'NotQueued', `job ${state.jobId} is ${state.status}; only a Queued job can be ${action}`);
}

function requireRunningOn(state: JobState, nodeId: string): void {
  if (state.status !== 'Running') violation(state, 'NotRunning', `job ${state.jobId} is ${state.status}, not Running`);
  if (state.nodeId !== nodeId) violation(state, 'NotOwner', `job ${state.jobId} is claimed by another node`);
}

/**
 * A requested cancellation wins over every other ending: whatever ends a job that has one
 * pending (its result, a failure, a lost node, a timeout) ends it Cancelled. A result
 * computed meanwhile is kept as the cancelled job's outcome when partial results are preserved.
 */
function cancelledInstead(state: JobState, at: string, outcome: JobOutcome | null): JobEvent[] {
  const c = state.cancellation!;
  return [{
    type: 'JobCancelled',
    data: { cancelledAt: at, reason: c.reason, partialOutcome: c.preservePartialResults ? outcome : null },
  }];
}

export function decide(command: JobCommand, state: JobState | null): JobEvent[] {
  if (command.kind === 'SubmitJob') {
    if (state) violation(state, 'AlreadySubmitted', `job ${state.jobId} already exists`);
    return [{ type: 'JobSubmitted', data: command.submission }];
  }
  if (!state) throw new JobNotFoundError('unknown');
  switch (command.kind) {
    case 'StartJob':
      if (state.status !== 'Queued') violation(state, 'NotQueued', `job ${state.jobId} is ${state.status}, not Queued`);
      if (state.hold) violation(state, 'Held', `job ${state.jobId} is on hold`);
      if (waitsForDependencies(state)) violation(state, 'WaitingForDependencies', `job ${state.jobId} waits for ${state.waitingFor!.join(', ')}`);
      return [{ type: 'JobStarted', data: { nodeId: command.nodeId, startedAt: command.at } }];
    case 'ReportProgress':
      requireRunningOn(state, command.nodeId);
      return [{ type: 'JobProgressed', data: command.progress }];
    case 'CompleteJob':
      requireRunningOn(state, command.nodeId);
      if (state.cancellation) return cancelledInstead(state, command.at, command.outcome);
      return [{ type: 'JobCompleted', data: { completedAt: command.at, outcome: command.outcome } }];
    case 'FailJob':
      if (command.nodeId === null) {
        // Failure decided by the system (e.g. timeout): any non-terminal job.
        if (TERMINAL_STATUSES.includes(state.status)) violation(state, 'AlreadyEnded', `job ${state.jobId} is ${state.status}`);
      } else {
        requireRunningOn(state, command.nodeId);
      }
      if (state.cancellation) return cancelledInstead(state, command.at, command.outcome ?? null);
      return [{
        type: 'JobFailed',
        data: {
          failedAt: command.at, errorType: command.errorType, message: command.message, outcome: command.outcome ?? null,
          failure: command.failure ?? inferredFailure(command.errorType),
        },
      }];
    case 'CancelJob': {
      if (TERMINAL_STATUSES.includes(state.status)) {
        violation(state, 'CannotCancel', `job ${state.jobId} is already ${state.status} and cannot be cancelled`);
      }
      const requested: JobEvent = { type: 'JobCancellationRequested', data: { ...command.request, requestedAt: command.at } };
      // A queued job has nothing to stop: it is cancelled at once. A running one is
      // stopped by its node, which confirms with JobCancelled.
      if (state.status === 'Queued') {
        return [requested, { type: 'JobCancelled', data: { cancelledAt: command.at, reason: command.request.reason } }];
      }
      if (state.cancellation) return []; // already asked; repeating the request changes nothing
      return [requested];
    }
    case 'ConfirmCancellation':
      requireRunningOn(state, command.nodeId);
      if (!state.cancellation) violation(state, 'NoCancellationRequested', `job ${state.jobId} has no pending cancellation`);
      return [{
        type: 'JobCancelled',
        data: { cancelledAt: command.at, reason: state.cancellation.reason, partialOutcome: command.partialOutcome },
      }];
    case 'RetryJob':
      if (state.status !== 'Failed' && state.status !== 'Cancelled') {
        violation(state, 'CannotRetry', `job ${state.jobId} is ${state.status}; only Failed or Cancelled jobs can be retried`);
      }
      if (state.retriedBy) violation(state, 'AlreadyRetried', `job ${state.jobId} was already retried as ${state.retriedBy}`);
      if (command.automatic && !state.nextRetryAt) violation(state, 'NoRetryScheduled', `job ${state.jobId} has no automatic retry scheduled`);
      return [{
        type: 'JobRetried',
        data: {
          retriedAt: command.at, newJobId: command.newJobId, reason: command.reason, retriedBy: command.retriedBy,
          ...(command.automatic ? { automatic: true } : {}),
        },
      }];
    case 'ScheduleRetry':
      return scheduleRetry(state, command.at, command.delaySeconds);
    case 'RequeueJob':
      requireRunningOn(state, command.nodeId);
      // Nobody runs the job any more, so there is nothing left to stop.
      if (state.cancellation) return cancelledInstead(state, command.at, null);
      if (command.nodeLost && state.lostAttempts + 1 >= command.maxLostAttempts) {
        return [{
          type: 'JobFailed',
          data: {
            failedAt: command.at, errorType: 'NodeLost', outcome: null, failure: classified('NodeLost'),
            message: `the job lost its node ${state.lostAttempts + 1} times (last: ${command.reason}); it is not requeued again`,
          },
        }];
      }
      return [{ type: 'JobRequeued', data: { requeuedAt: command.at, previousNodeId: command.nodeId, reason: command.reason, nodeLost: command.nodeLost } }];
    case 'ChangePriority':
      requireQueued(state, 'given another priority');
      if (state.priority === command.priority) return []; // already so: nothing happens
      return [{
        type: 'JobPriorityChanged',
        data: { from: state.priority, to: command.priority, changedBy: command.changedBy, changedAt: command.at, reason: command.reason },
      }];
    case 'HoldJob':
      requireQueued(state, 'held');
      if (state.hold) return []; // already held: the first hold (who, when, why) stands
      return [{ type: 'JobHeld', data: { heldBy: command.heldBy, heldAt: command.at, reason: command.reason } }];
    case 'ReleaseJob':
      requireQueued(state, 'released');
      if (!state.hold) return []; // not held: nothing to release
      return [{ type: 'JobReleased', data: { releasedBy: command.releasedBy, releasedAt: command.at, reason: command.reason } }];
    case 'ResolveDependency':
      return resolveDependency(state, command.at, command.dependencyJobId, command.outcome);
  }
}

function resolveDependency(state: JobState, at: string, dependencyJobId: string, outcome: DependencyOutcome): JobEvent[] {
  if (state.status !== 'Queued' || !(state.waitingFor ?? []).includes(dependencyJobId)) return [];
  const dependencyFailed = (message: string): JobEvent[] => [{
    type: 'JobFailed',
    data: { failedAt: at, errorType: 'DependencyFailed', message, outcome: null, failure: classified('DependencyFailed') },
  }];
  switch (outcome.kind) {
    case 'Completed':
      if (datasetFromJobOf(state) === dependencyJobId && outcome.datasetId === null) {
        return dependencyFailed(`dependency ${dependencyJobId} completed without an enriched dataset, which parameters.datasetId.fromJob names`);
      }
      return [{ type: 'JobDependencyMet', data: { dependencyJobId, metAt: at, datasetId: outcome.datasetId } }];
    case 'Retried':
      return [{ type: 'JobDependencyRetried', data: { dependencyJobId, retryJobId: outcome.retryJobId, retriedAt: at } }];
    case 'Ended':
      return dependencyFailed(`dependency ${dependencyJobId} ${outcome.reason}`);
  }
}

/**
 * A failed job the automatic retries will still retry (scheduled, or about to be: a retryable
 * failure with attempts left that is not handled yet); what scheduleRetry would not dead-letter.
 */
export function retryPending(state: JobState): boolean {
  if (state.status !== 'Failed' || state.retriedBy || state.deadLettered) return false;
  if (state.nextRetryAt) return true;
  const maxAttempts = state.scheduling.maxAttempts;
  if (!state.failure || maxAttempts === undefined || state.attempt >= maxAttempts) return false;
  return state.failure.retryable ?? inferredFailure(state.failure.errorType).retryable;
}

function scheduleRetry(state: JobState, at: string, delaySeconds: number): JobEvent[] {
  const maxAttempts = state.scheduling.maxAttempts;
  if (state.status !== 'Failed' || !state.failure || maxAttempts === undefined) return [];
  if (state.retriedBy || state.nextRetryAt || state.deadLettered) return []; // handled already
  const retryable = state.failure.retryable ?? inferredFailure(state.failure.errorType).retryable;
  if (!retryable) return [];
  if (state.attempt >= maxAttempts) {
    return [{
      type: 'JobDeadLettered',
      data: {
        deadLetteredAt: at, attempts: state.attempt,
        reason: `attempt ${state.attempt} of ${maxAttempts} failed (${state.failure.errorType}): ${state.failure.message}`,
      },
    }];
  }
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0) throw new RangeError(`invalid retry delay: ${delaySeconds}`);
  return [{
    type: 'JobRetryScheduled',
    data: {
      scheduledAt: at, nextRetryAt: new Date(Date.parse(at) + Math.round(delaySeconds * 1000)).toISOString(),
      attempt: state.attempt + 1, maxAttempts, delaySeconds,
    },
  }];
}

/** The id of the automatic retry of `jobId` that makes attempt `attempt`: every runner names the same job. */
export function automaticRetryJobId(jobId: string, attempt: number): string {
  return derivedUuid('automatic retry', jobId, String(attempt));
}

/** The opening event of the job that retries `failed`. */
export function retrySubmission(
  failed: JobState,
  change: { newJobId: string; at: string; submittedBy: string; reason: string | null; priority?: JobState['priority'];
    parameters?: Readonly<Record<string, unknown>>; scheduling?: JobState['scheduling'] },
): JobSubmittedData {
  return {
    jobId: change.newJobId, tenantId: failed.tenantId, projectId: failed.projectId, jobName: failed.jobName,
    jobDescription: failed.jobDescription, jobType: failed.jobType, priority: change.priority ?? failed.priority,
    resource: failed.resource, parameters: change.parameters ?? failed.parameters,
    scheduling: change.scheduling ?? failed.scheduling, notifications: failed.notifications,
    submittedBy: change.submittedBy, submittedAt: change.at, retryOf: failed.jobId, attempt: failed.attempt + 1,
    retryReason: change.reason,
    ...(failed.operation ? { operation: failed.operation } : {}),
    // A pipeline job's retry waits on the same jobs (met at once when they completed; a retried one is followed).
    ...(failed.dependsOn?.length ? { dependsOn: failed.dependsOn } : {}),
  };
}
