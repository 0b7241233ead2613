/**
 * How each job event reads as an activity of a process-mining log: a readable name, the XES
 * lifecycle transition where one fits (the standard lifecycle model), and who performed it.
 */
import type { RecordedEvent } from '../../../../../libs/event-store/src/event-store.port.js';
import type { JobEvent, JobEventType } from '../../../../../libs/job-domain/src/index.js';

export const JOB_ACTIVITIES: Readonly<Record<JobEventType, string>> = {
  JobSubmitted: 'Submitted',
  JobStarted: 'Started',
  JobProgressed: 'Progressed',
  JobCompleted: 'Completed',
  JobFailed: 'Failed',
  JobCancellationRequested: 'Cancellation requested',
  JobCancelled: 'Cancelled',
  JobRetried: 'Retried',
  JobRetryScheduled: 'Retry scheduled',
  JobDeadLettered: 'Dead-lettered',
  JobRequeued: 'Requeued',
  JobPriorityChanged: 'Priority changed',
  JobHeld: 'Held',
  JobReleased: 'Released',
  JobDependencyMet: 'Dependency met',
  JobDependencyRetried: 'Dependency retried',
};

/**
 * Only where the event is such a transition of the job's run: submitted = scheduled, started,
 * completed, failed = the run aborted, cancelled = the whole case aborted. Started and
 * Completed are distinct activities, so no classifier pairs them into one instance.
 */
export const JOB_LIFECYCLE_TRANSITIONS: Partial<Record<JobEventType, string>> = {
  JobSubmitted: 'schedule',
  JobStarted: 'start',
  JobCompleted: 'complete',
  JobFailed: 'ate_abort',
  JobCancelled: 'pi_abort',
};

/** The node for what a node did (its claim), else whoever issued the command (the submitter for a submit). */
export function resourceOf(recorded: RecordedEvent, event: JobEvent): string {
  if (event.type === 'JobStarted') return event.data.nodeId;
  if (event.type === 'JobSubmitted') return event.data.submittedBy;
  return recorded.metadata.actor;
}

export function asJobEvent(recorded: RecordedEvent): JobEvent {
  return { type: recorded.type, data: recorded.data } as JobEvent;
}
