/**
 * A batched claim: up to `limit` queued jobs in one round trip for the read and one
 * transaction for the claims. The candidates come in queue order (job-domain's queue
 * order: aging, tenant turns, per-tenant caps) with their view documents, which are the
 * JobState a StartJob is decided on, so no stream is read; every JobStarted is appended at
 * its document's revision, so a job whose stream moved meanwhile (another node, a
 * cancellation) fails alone and is skipped. The revision is the only lock, but for tenants
 * with a running cap: their jobs are started under the tenant's running gate, which recounts
 * its Running jobs and starts no more than the cap allows (the rest stay Queued), so nodes
 * claiming at once never take a tenant past its cap. With no cap, nothing more is read.
 */
import type { CommandMetadata, JobRepository, JobState, JobType } from '../../job-domain/src/index.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';
import type { TenantRunningGate } from '../../read-store/src/postgres/tenant-running-gate.js';

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
  /** Candidates that moved on meanwhile (claimed by another node, cancelled, ...) or that their tenant's running cap left Queued. */
  readonly lost: readonly string[];
  /** Candidates whose start is unknown: their append failed after others had been claimed (the database went away). */
  readonly uncertain: readonly string[];
}

export async function claimQueuedJobs(
  queue: Pick<JobReadStore, 'nextQueuedJobDocuments'>, repository: JobRepository, request: ClaimRequest,
  runningGate: Pick<TenantRunningGate, 'capOf' | 'admit'> | null = null,
): Promise<ClaimOutcome> {
  if (request.limit <= 0) return { claimed: [], lost: [], uncertain: [] };
  const candidates = (await queue.nextQueuedJobDocuments(request.now, request.limit, request.jobTypes))
    .filter((doc) => !request.skip?.(doc.jobId));
  if (candidates.length === 0) return { claimed: [], lost: [], uncertain: [] };
  request.beforeAppend?.(candidates.map((doc) => doc.jobId));
  const claimed: JobState[] = [];
  const lost: string[] = [];
  const start = async (states: readonly JobState[]) => {
    const at = request.now.toISOString();
    const outcomes = await repository.decideAndAppendEach(states.map((state) => ({
      state, command: { kind: 'StartJob', nodeId: request.nodeId, at }, metadata: request.metadata(),
    })));
    // An error here is the item's own (a wrong revision, a refused rule): the store's errors are thrown.
    outcomes.forEach((outcome, i) => {
      if (outcome instanceof Error || outcome.events.length === 0) lost.push(states[i].jobId);
      else claimed.push(outcome.state);
    });
  };
  const capped = new Map<string, JobState[]>();
  const free: JobState[] = [];
  for (const doc of candidates) {
    if (runningGate?.capOf(doc.tenantId) == null) free.push(doc);
    else capped.set(doc.tenantId, [...(capped.get(doc.tenantId) ?? []), doc]);
  }
  // One batch for the tenants without a cap, then one gated batch per capped tenant (in queue order within it).
  const batches: Array<{ readonly ids: readonly string[]; run(): Promise<void> }> = [];
  if (free.length > 0) batches.push({ ids: free.map((s) => s.jobId), run: () => start(free) });
  for (const [tenantId, states] of capped) {
    batches.push({
      ids: states.map((s) => s.jobId),
      run: () => runningGate!.admit(tenantId, async (room) => {
        lost.push(...states.slice(room).map((s) => s.jobId));
        if (room > 0) await start(states.slice(0, room));
      }),
    });
  }
  for (const [index, batch] of batches.entries()) {
    try {
      await batch.run();
    } catch (error) {
      // Nothing started: the caller handles it as the failure of a single batch.
      if (claimed.length === 0) throw error;
      const settled = new Set([...claimed.map((s) => s.jobId), ...lost]);
      return {
        claimed, lost: [...lost, ...batches.slice(index + 1).flatMap((b) => b.ids)], uncertain: batch.ids.filter((id) => !settled.has(id)),
      };
    }
  }
  return { claimed, lost, uncertain: [] };
}
