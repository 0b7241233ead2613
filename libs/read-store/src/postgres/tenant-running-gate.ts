/**
 * Starts a tenant's jobs only up to its running cap, exactly, however many nodes claim at
 * once: a claim of a capped tenant's jobs counts the tenant's Running jobs and appends its
 * JobStarted events one claim at a time per tenant, in this process and across processes
 * (TenantLocks). The append commits the jobs' views (ADR 0006), so the next claim's count
 * sees them: this needs the views written with the append. A tenant with no cap takes no lock.
 */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import { runningCapOf, type QueueOrderOptions } from '../../../job-domain/src/queue-order.js';
import { PostgresTenantQueueLoad } from './tenant-queue-load.js';
import type { TenantLocks } from './tenant-locks.js';

const RUNNING_LOCK = 'job-execution tenant running';

export type RunningCaps = Pick<QueueOrderOptions, 'tenantMaxRunningJobs' | 'runningCapsByTenant'>;

export class TenantRunningGate {
  private readonly load: PostgresTenantQueueLoad;

  /** `views`: the job views' database (where the append commits them). */
  constructor(views: SqlExecutor, private readonly locks: TenantLocks, private readonly caps: RunningCaps) {
    this.load = new PostgresTenantQueueLoad(views);
  }

  /** The tenant's running cap; null = unlimited. */
  capOf(tenantId: string): number | null {
    return runningCapOf(this.caps, tenantId);
  }

  /**
   * Runs `start` with the number of jobs the tenant may still start (its cap less its Running
   * jobs, at least 0), with no other start of the tenant's jobs from count to commit.
   */
  admit<T>(tenantId: string, start: (room: number) => Promise<T>): Promise<T> {
    const cap = this.capOf(tenantId);
    if (cap === null) return start(Number.POSITIVE_INFINITY);
    return this.locks.run(RUNNING_LOCK, tenantId, async () => start(Math.max(0, cap - await this.load.runningJobs(tenantId))));
  }
}
