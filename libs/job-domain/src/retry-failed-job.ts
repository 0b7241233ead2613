/**
 * Opening the job that retries a failed (or cancelled) one, and recording the link on the
 * old job: the one path of a retry by request (POST …/job/{jobId}/retry) and of an automatic
 * retry. The new job's id is derived by the caller from what it retries, so a repeat (two
 * concurrent requests, a crash between the two appends) names the same job: it is opened
 * once and recorded once.
 */
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { automaticRetryJobId, decide, retrySubmission, type JobCommand } from './job.decide.js';
import type { CommandMetadata, CommandResult, JobRepository } from './job-repository.js';
import type { JobState } from './job.state.js';
import { derivedUuid } from './job.types.js';

export interface RetryRequest {
  readonly newJobId: string;
  readonly at: string;
  readonly requestedBy: string;
  readonly reason: string | null;
  readonly automatic?: boolean;
  readonly priority?: JobState['priority'];
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly scheduling?: JobState['scheduling'];
}

/**
 * The id of a retry by request of `old` as it is now. While an automatic retry is pending it
 * is that retry's id, so a request and the automatic retry racing open one job between them.
 */
export function requestedRetryJobId(old: JobState): string {
  return old.nextRetryAt ? automaticRetryJobId(old.jobId, old.attempt + 1) : derivedUuid('retry', old.jobId, String(old.revision));
}

/** Opens the retry of `old` and links it; throws the rule violation (409) before opening anything when `old` cannot be retried. */
export async function retryFailedJob(
  repository: JobRepository, old: JobState, request: RetryRequest, metadata: CommandMetadata,
): Promise<CommandResult> {
  const retry: JobCommand = {
    kind: 'RetryJob', at: request.at, newJobId: request.newJobId, reason: request.reason, retriedBy: request.requestedBy,
    automatic: request.automatic,
  };
  decide(retry, old);
  let submitted: CommandResult;
  try {
    submitted = await repository.execute(request.newJobId, {
      kind: 'SubmitJob',
      submission: retrySubmission(old, {
        newJobId: request.newJobId, at: request.at, submittedBy: request.requestedBy, reason: request.reason,
        priority: request.priority, parameters: request.parameters, scheduling: request.scheduling,
      }),
    }, { ...metadata, tenantId: old.tenantId, projectId: old.projectId }, { retries: 0 });
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const existing = await repository.load(request.newJobId);
    if (!existing) throw error;
    submitted = { state: existing, events: [], position: null };
  }
  try {
    await repository.execute(old.jobId, retry, metadata, { retries: 0, known: old });
  } catch (error) {
    const fresh = await repository.load(old.jobId);
    // Recorded by a concurrent twin: same new job, nothing left to do.
    if (fresh?.retriedBy !== request.newJobId) throw error;
  }
  return submitted;
}
