/**
 * Admits a tenant's new Queued job only below its cap, exactly: the count and the append run
 * one at a time per tenant, in this process and across processes (TenantLocks, ADR 0018); the
 * append itself runs on the pool, in the writer's commit groups, and commits the job's view,
 * so the next admission's count sees it.
 */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import { PostgresTenantQueueLoad } from './tenant-queue-load.js';
import type { TenantLocks } from './tenant-locks.js';

/** The lock's kind; part of the advisory lock's key, the same in every process and version. */
const QUEUE_LOCK = 'job-execution tenant queue';

export type GateOutcome<T> = { readonly admitted: true; readonly value: T } | { readonly admitted: false; readonly current: number };

export class TenantQueueGate {
  private readonly load: PostgresTenantQueueLoad;

  constructor(sql: SqlExecutor, private readonly locks: TenantLocks) {
    this.load = new PostgresTenantQueueLoad(sql);
  }

  /** Runs `append` when the tenant has fewer than `limit` Queued jobs, with no other admission of the tenant between count and commit. */
  admit<T>(tenantId: string, limit: number, append: () => Promise<T>): Promise<GateOutcome<T>> {
    return this.locks.run(QUEUE_LOCK, tenantId, async () => {
      const current = await this.load.queuedJobs(tenantId);
      if (current >= limit) return { admitted: false as const, current };
      return { admitted: true as const, value: await append() };
    });
  }

  get queueLoad(): PostgresTenantQueueLoad {
    return this.load;
  }
}
