/**
 * A batched claim: up to `limit` queued jobs in one round trip for the read and one
 * transaction for the claims. The candidates come in queue order (job-domain's queue
 * order: aging, tenant turns, per-tenant caps) with their view documents, which are the
 * JobState a StartJob is decided on, so no stream is read; every JobStarted is appended at
 * its document's revision, so a job whose stream moved meanwhile (another node, a
 * cancellation) fails alone and is skipped. The revision is the only lock.
 */
import type { CommandMetadata, JobRepository, JobState, JobType } from '../../job-domain/src/index.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';

export interface ClaimRequest {
  readonly nodeId: string;
  /** Most jobs to claim: the node's free capacity. */
  readonly limit: number;
  readonly now: Date;
  readonly jobTypes?: readonly JobType[];
  /** Metadata of each claim (its own causation id). */
  metadata(): CommandMetadata;
  /** Candidates to leave alone (e.g. ones the node already holds). */
  skip?(jobId: string): boolean;
  /** Called with the jobs about to be claimed, before anything is appended. */
  beforeAppend?(jobIds: readonly string[]): void;
}

export interface ClaimOutcome {
  /** The jobs now Running on this node, as their claim left them. */
  readonly claimed: readonly JobState[];
  /** Candidates that moved on meanwhile (claimed by another node, cancelled, ...). */
  readonly lost: readonly string[];
}

export async function claimQueuedJobs(
  queue: Pick<JobReadStore, 'nextQueuedJobDocuments'>, repository: JobRepository, request: ClaimRequest,
): Promise<ClaimOutcome> {
  if (request.limit <= 0) return { claimed: [], lost: [] };
  const candidates = (await queue.nextQueuedJobDocuments(request.now, request.limit, request.jobTypes))
    .filter((doc) => !request.skip?.(doc.jobId));
  if (candidates.length === 0) return { claimed: [], lost: [] };
  request.beforeAppend?.(candidates.map((doc) => doc.jobId));
  const at = request.now.toISOString();
  const outcomes = await repository.decideAndAppendEach(candidates.map((state) => ({
    state, command: { kind: 'StartJob', nodeId: request.nodeId, at }, metadata: request.metadata(),
  })));
  const claimed: JobState[] = [];
  const lost: string[] = [];
  // An error here is the item's own (a wrong revision, a refused rule): the store's errors are thrown.
  outcomes.forEach((outcome, i) => {
    if (outcome instanceof Error || outcome.events.length === 0) lost.push(candidates[i].jobId);
    else claimed.push(outcome.state);
  });
  return { claimed, lost };
}
