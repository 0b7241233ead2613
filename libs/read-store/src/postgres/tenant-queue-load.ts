/** How loaded a tenant's queue is, read from the job views: what the queued and running quotas check. */
import type { SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';

export class PostgresTenantQueueLoad {
  constructor(private readonly sql: SqlExecutor) {}

  /** The tenant's Queued jobs (held ones included: they wait in the queue too). */
  async queuedJobs(tenantId: string): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_views WHERE tenant_id = $1 AND status = 'Queued'`, [tenantId],
    );
    return row.n;
  }

  /** The tenant's Running jobs (what its running cap checks). */
  async runningJobs(tenantId: string): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_views WHERE tenant_id = $1 AND status = 'Running'`, [tenantId],
    );
    return row.n;
  }

  /** The tenant's jobs that left the queue's end (finished: completed, failed or cancelled) since `since`. */
  async jobsEndedSince(tenantId: string, since: Date): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_views
       WHERE tenant_id = $1 AND status IN ('Completed', 'Failed', 'Cancelled') AND ended_at > $2::timestamptz`,
      [tenantId, since.toISOString()],
    );
    return row.n;
  }
}
