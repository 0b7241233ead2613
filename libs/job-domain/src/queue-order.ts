/**
 * Queue order (claim order), one rule for every store:
 *
 * 1. Effective level, highest first: the job's priority rank plus one level for every
 *    AGING_SECONDS_PER_LEVEL it has waited, so a Low job is never starved. The claim
 *    score `queuedAt − rank × aging` carries both: level = ⌊(now − score) / aging⌋.
 * 2. Within a level, round-robin between tenants: a job's round is its tenant's running
 *    jobs plus its rank among the tenant's queued jobs (by score). A claim moves one of
 *    the tenant's jobs from queued to running, so the rounds of the jobs left do not
 *    change; a tenant flooding the queue therefore has only its next job in round r
 *    beside every other tenant's, and never delays another tenant's next job by more
 *    than one job per tenant.
 * 3. Within a round, the tenant whose last start is oldest (never: first) goes first,
 *    so tenants with equal rounds take turns even when a slot frees before the next claim.
 * 4. Then the score (FIFO within a priority), then the job id: a total, stable order.
 *
 * A job is claimable when it is due (scheduled time reached) and its round is within the
 * per-tenant cap of running jobs: a tenant at its cap is skipped until one of its jobs
 * ends. Claims take claimable jobs only; queue positions list the claimable jobs first,
 * then the due ones past their tenant's cap (both in the order above), then the jobs not
 * due yet (by level, score and id).
 */
import { priorityRank, type JobPriority } from './job.types.js';

export const DEFAULT_AGING_SECONDS_PER_LEVEL = 600;

export function queueScore(queuedAtMs: number, priority: JobPriority, agingSecondsPerLevel = DEFAULT_AGING_SECONDS_PER_LEVEL): number {
  return queuedAtMs / 1000 - priorityRank(priority) * agingSecondsPerLevel;
}

/** Priority rank plus whole aging periods waited, at `nowMs`. */
export function effectiveLevel(score: number, nowMs: number, agingSecondsPerLevel: number): number {
  return Math.floor((nowMs / 1000 - score) / agingSecondsPerLevel);
}

export interface QueueOrderJob {
  readonly jobId: string;
  readonly tenantId: string;
  readonly queueScore: number;
  /** Its scheduled time (if any) has been reached. */
  readonly due: boolean;
}

export interface TenantQueueState {
  readonly runningJobs: number;
  /** Latest start of any of the tenant's jobs, epoch ms; null when none ever started. */
  readonly lastStartedMs: number | null;
}

export interface QueueOrderOptions {
  readonly nowMs: number;
  readonly agingSecondsPerLevel: number;
  /** Running jobs one tenant may have; null = unlimited. */
  readonly tenantMaxRunningJobs: number | null;
  /** Tenants whose running cap is another than `tenantMaxRunningJobs` (null: unlimited). */
  readonly runningCapsByTenant?: Readonly<Record<string, number | null>>;
}

/** The running cap of `tenantId`: its own where it has one, else the default; null = unlimited. */
export function runningCapOf(options: Pick<QueueOrderOptions, 'tenantMaxRunningJobs' | 'runningCapsByTenant'>, tenantId: string): number | null {
  const own = options.runningCapsByTenant;
  return own && Object.hasOwn(own, tenantId) ? own[tenantId] : options.tenantMaxRunningJobs;
}

export type OrderedQueueJob<T> = T & { readonly claimable: boolean };

/** Every queued job in queue order (see above); claims take the claimable ones in this order. */
export function orderQueue<T extends QueueOrderJob>(
  jobs: readonly T[], tenants: ReadonlyMap<string, TenantQueueState>, options: QueueOrderOptions,
): OrderedQueueJob<T>[] {
  const byTenant = new Map<string, T[]>();
  for (const job of jobs) {
    const list = byTenant.get(job.tenantId) ?? [];
    list.push(job);
    byTenant.set(job.tenantId, list);
  }
  const keyed: { job: OrderedQueueJob<T>; level: number; round: number; lastStarted: number }[] = [];
  for (const [tenantId, list] of byTenant) {
    list.sort((a, b) => Number(!a.due) - Number(!b.due) || a.queueScore - b.queueScore || compareIds(a.jobId, b.jobId));
    const tenant = tenants.get(tenantId);
    const running = tenant?.runningJobs ?? 0;
    const lastStarted = tenant?.lastStartedMs ?? Number.NEGATIVE_INFINITY;
    const cap = runningCapOf(options, tenantId);
    list.forEach((job, index) => {
      const round = running + index + 1;
      const claimable = job.due && (cap === null || round <= cap);
      keyed.push({
        job: { ...job, claimable }, round, lastStarted,
        level: effectiveLevel(job.queueScore, options.nowMs, options.agingSecondsPerLevel),
      });
    });
  }
  // Jobs not due yet have no round: they follow every due job, by level, score and id.
  const round = (k: (typeof keyed)[number]) => (k.job.due ? k.round : 0);
  const lastStarted = (k: (typeof keyed)[number]) => (k.job.due ? k.lastStarted : 0);
  keyed.sort((a, b) =>
    Number(!a.job.due) - Number(!b.job.due) || Number(!a.job.claimable) - Number(!b.job.claimable) || b.level - a.level
    || round(a) - round(b) || lastStarted(a) - lastStarted(b) || a.job.queueScore - b.job.queueScore
    || compareIds(a.job.jobId, b.job.jobId));
  return keyed.map((k) => k.job);
}

/** Code-unit order (job ids are UUIDs, which every store's collation sorts alike). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
