/**
 * JobReadStore on PostgreSQL or PGlite (same SQL). Documents are the JobState of
 * the domain's `evolve`, stored as JSONB with indexed columns for every list filter.
 */
import type { SqlClient, SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import { START_POSITION, type GlobalPosition } from '../../../event-store/src/event-store.port.js';
import {
  DEFAULT_AGING_SECONDS_PER_LEVEL, JOB_PRIORITIES, JOB_STATUSES,
  type JobPriority, type JobState, type JobStatus, type JobType,
} from '../../../job-domain/src/index.js';
import {
  CheckpointMovedError,
  type CompletionStatistics, type ExecutionNodeHeartbeat, type ExecutionNodeRecord, type JobListFilter,
  type JobListPage, type JobReadStore, type QueueStatistics, type QueuedJobRef, type RunningJobRef,
} from '../read-store.port.js';
import { NEXT_QUEUED_JOBS, NEXT_QUEUED_JOB_DOCUMENTS, QUEUE_POSITION, READ_STORE_SCHEMA } from './job-read-store.schema.js';
import { writeJobDocuments } from './write-job-documents.js';

type Row = Record<string, unknown>;

function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export class PostgresJobReadStore implements JobReadStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly agingSecondsPerLevel = DEFAULT_AGING_SECONDS_PER_LEVEL,
    /** Running jobs one tenant may have (null = unlimited); claims skip a tenant at its cap. */
    private readonly tenantMaxRunningJobs: number | null = null,
  ) {}

  /** Creates the tables; safe to run concurrently from several processes. */
  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('job_read_store_migration'))`);
      // One statement per call: the extended protocol (PGlite, parameters) takes one at a time.
      for (const statement of READ_STORE_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await tx.query(statement);
    });
  }

  async loadCheckpoint(projection: string): Promise<GlobalPosition> {
    // The row exists from the first load on, so the FOR UPDATE in applyJobDocuments
    // always has a row to lock and two runners can never both write the first batch.
    await this.sql.query(
      `INSERT INTO projection_checkpoints (projection, commit_position, prepare_position) VALUES ($1, $2, $3)
       ON CONFLICT (projection) DO NOTHING`,
      [projection, START_POSITION.commit.toString(), START_POSITION.prepare.toString()],
    );
    return readCheckpoint(this.sql, projection, false);
  }

  async applyJobDocuments(projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const current = await readCheckpoint(tx, projection, true);
      if (current.commit !== expected.commit || current.prepare !== expected.prepare) throw new CheckpointMovedError(projection);
      await writeJobDocuments(tx, documents, this.agingSecondsPerLevel);
      await tx.query(
        `INSERT INTO projection_checkpoints (projection, commit_position, prepare_position, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (projection) DO UPDATE SET commit_position = $2, prepare_position = $3, updated_at = now()`,
        [projection, next.commit.toString(), next.prepare.toString()],
      );
    });
  }

  async resetJobProjection(projection: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`, [projection]);
      await tx.query(`DELETE FROM job_views`);
      await tx.query(
        `UPDATE projection_checkpoints SET commit_position = $2, prepare_position = $3, updated_at = now() WHERE projection = $1`,
        [projection, START_POSITION.commit.toString(), START_POSITION.prepare.toString()],
      );
    });
  }

  async getJob(tenantId: string, projectId: string, jobId: string): Promise<JobState | null> {
    const rows = await this.sql.query<Row>(
      `SELECT doc FROM job_views WHERE job_id = $1 AND tenant_id = $2 AND project_id = $3`,
      [jobId, tenantId, projectId],
      'job_views_get', // the hottest query: prepared once per connection
    );
    return rows.length ? (rows[0].doc as JobState) : null;
  }

  async getJobsByIds(jobIds: readonly string[]): Promise<JobState[]> {
    if (jobIds.length === 0) return [];
    const rows = await this.sql.query<Row>(`SELECT doc FROM job_views WHERE job_id = ANY($1::text[])`, [jobIds]);
    return rows.map((r) => r.doc as JobState);
  }

  async listJobs(filter: JobListFilter, page: { offset: number; limit: number }): Promise<JobListPage> {
    const where: string[] = ['tenant_id = $1', 'project_id = $2'];
    const params: unknown[] = [filter.tenantId, filter.projectId];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.jobType) add('job_type = ?', filter.jobType);
    if (filter.priority) add('priority = ?', filter.priority);
    if (filter.submittedBy) add('submitted_by = ?', filter.submittedBy);
    if (filter.dateFrom) add('date_created >= ?', filter.dateFrom.toISOString());
    if (filter.dateTo) add('date_created <= ?', filter.dateTo.toISOString());
    const whereSql = where.join(' AND ');
    const [pageRows, countRows] = await Promise.all([
      this.sql.query<Row>(
        `SELECT doc FROM job_views WHERE ${whereSql} ORDER BY date_created DESC, job_id DESC
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, page.limit, page.offset],
      ),
      this.sql.query<Row>(`SELECT status, count(*)::int AS n FROM job_views WHERE ${whereSql} GROUP BY status`, params),
    ]);
    const countsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    let totalJobs = 0;
    for (const row of countRows) {
      countsByStatus[row.status as JobStatus] = toNumber(row.n);
      totalJobs += toNumber(row.n);
    }
    return { jobs: pageRows.map((r) => r.doc as JobState), totalJobs, countsByStatus };
  }

  async nextQueuedJobs(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<QueuedJobRef[]> {
    const rows = await this.sql.query<Row>(
      NEXT_QUEUED_JOBS,
      [now.toISOString(), this.agingSecondsPerLevel, this.tenantMaxRunningJobs, limit, jobTypes ? [...jobTypes] : null],
    );
    return rows.map(queuedRef);
  }

  async nextQueuedJobDocuments(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<JobState[]> {
    const rows = await this.sql.query<Row>(
      NEXT_QUEUED_JOB_DOCUMENTS,
      [now.toISOString(), this.agingSecondsPerLevel, this.tenantMaxRunningJobs, limit, jobTypes ? [...jobTypes] : null],
      'job_views_next_queued_documents',
    );
    return rows.map((r) => r.doc as JobState);
  }

  async nextScheduledStart(now: Date): Promise<Date | null> {
    const rows = await this.sql.query<{ at: Date | string | null }>(
      `SELECT min(scheduled_at) AS at FROM job_views WHERE status = 'Queued' AND scheduled_at > $1`,
      [now.toISOString()],
    );
    return rows[0]?.at == null ? null : new Date(rows[0].at);
  }

  async queuePosition(jobId: string, now: Date): Promise<number | null> {
    const rows = await this.sql.query<Row>(QUEUE_POSITION, [now.toISOString(), this.agingSecondsPerLevel, this.tenantMaxRunningJobs, jobId]);
    return rows.length ? toNumber(rows[0].position) : null;
  }

  async runningJobs(): Promise<RunningJobRef[]> {
    const rows = await this.sql.query<Row>(
      `SELECT job_id, tenant_id, project_id, revision, priority, job_type, node_id, started_at, timeout_at
       FROM job_views WHERE status = 'Running'`,
    );
    return rows.map(runningRef);
  }

  async timedOutJobs(now: Date): Promise<RunningJobRef[]> {
    const rows = await this.sql.query<Row>(
      `SELECT job_id, tenant_id, project_id, revision, priority, job_type, node_id, started_at, timeout_at
       FROM job_views WHERE status = 'Running' AND timeout_at < $1`,
      [now.toISOString()],
    );
    return rows.map(runningRef);
  }

  async recordHeartbeat(h: ExecutionNodeHeartbeat): Promise<void> {
    await this.sql.query(
      `INSERT INTO execution_nodes (node_id, job_capacity, active_jobs, cpu_percent, cpu_cores, memory_used_bytes,
         memory_total_bytes, disk_available_bytes, draining, running_job_ids, started_at, last_heartbeat)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), now())
       ON CONFLICT (node_id) DO UPDATE SET job_capacity = $2, active_jobs = $3, cpu_percent = $4, cpu_cores = $5,
         memory_used_bytes = $6, memory_total_bytes = $7, disk_available_bytes = $8, draining = $9,
         running_job_ids = $10, last_heartbeat = now()`,
      [h.nodeId, h.jobCapacity, h.activeJobs, h.cpuPercent, h.cpuCores, h.memoryUsedBytes, h.memoryTotalBytes,
        h.diskAvailableBytes, h.draining, h.runningJobIds === null ? null : [...h.runningJobIds]],
    );
  }

  async jobsWithExpiredLease(leaseSeconds: number): Promise<RunningJobRef[]> {
    const rows = await this.sql.query<Row>(
      `SELECT j.job_id, j.tenant_id, j.project_id, j.revision, j.priority, j.job_type, j.node_id, j.started_at, j.timeout_at
       FROM job_views j LEFT JOIN execution_nodes n ON n.node_id = j.node_id
       WHERE j.status = 'Running' AND CASE
         WHEN n.node_id IS NOT NULL THEN n.last_heartbeat < now() - make_interval(secs => $1::double precision)
         ELSE coalesce((j.doc->>'claimRecordedAt')::timestamptz, j.started_at) < now() - make_interval(secs => $1::double precision)
       END`,
      [leaseSeconds],
    );
    return rows.map(runningRef);
  }

  async unreportedJobs(graceSeconds: number): Promise<RunningJobRef[]> {
    const rows = await this.sql.query<Row>(
      `SELECT j.job_id, j.tenant_id, j.project_id, j.revision, j.priority, j.job_type, j.node_id, j.started_at, j.timeout_at
       FROM job_views j JOIN execution_nodes n ON n.node_id = j.node_id
       WHERE j.status = 'Running' AND n.running_job_ids IS NOT NULL AND NOT (j.job_id = ANY(n.running_job_ids))
         AND n.last_heartbeat > (j.doc->>'claimRecordedAt')::timestamptz + make_interval(secs => $1::double precision)`,
      [graceSeconds],
    );
    return rows.map(runningRef);
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.sql.query(`DELETE FROM execution_nodes WHERE node_id = $1`, [nodeId]);
  }

  async listNodes(): Promise<ExecutionNodeRecord[]> {
    const rows = await this.sql.query<Row>(`SELECT * FROM execution_nodes ORDER BY node_id`);
    return rows.map((r) => ({
      nodeId: String(r.node_id), jobCapacity: toNumber(r.job_capacity), activeJobs: toNumber(r.active_jobs),
      cpuPercent: toNumber(r.cpu_percent), cpuCores: toNumber(r.cpu_cores), memoryUsedBytes: toNumber(r.memory_used_bytes),
      memoryTotalBytes: toNumber(r.memory_total_bytes),
      diskAvailableBytes: r.disk_available_bytes === null ? null : toNumber(r.disk_available_bytes),
      draining: Boolean(r.draining),
      runningJobIds: r.running_job_ids === null || r.running_job_ids === undefined ? null : (r.running_job_ids as string[]),
      startedAt: toIso(r.started_at), lastHeartbeat: toIso(r.last_heartbeat),
    }));
  }

  async queueStatistics(tenantId: string, since: Date): Promise<QueueStatistics> {
    const [byPriority, waits] = await Promise.all([
      this.sql.query<Row>(
        `SELECT priority, count(*)::int AS n FROM job_views WHERE tenant_id = $1 AND status = 'Queued' GROUP BY priority`,
        [tenantId],
      ),
      this.sql.query<Row>(
        `SELECT count(*)::int AS n, avg(extract(epoch FROM started_at - queued_at))::float8 AS wait
         FROM job_views WHERE tenant_id = $1 AND started_at >= $2`,
        [tenantId, since.toISOString()],
      ),
    ]);
    const queuedByPriority = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    for (const row of byPriority) queuedByPriority[row.priority as JobPriority] = toNumber(row.n);
    const started = toNumber(waits[0]?.n ?? 0);
    return {
      queuedByPriority,
      startedInWindow: started,
      averageWaitSeconds: started > 0 && waits[0].wait !== null ? toNumber(waits[0].wait) : null,
    };
  }

  async completionStatistics(scope: { tenantId: string; jobType?: JobType }, since: Date): Promise<CompletionStatistics> {
    const rows = await this.sql.query<Row>(
      `SELECT count(*) FILTER (WHERE status = 'Completed')::int AS completed,
              count(*) FILTER (WHERE status = 'Failed')::int AS failed,
              avg(extract(epoch FROM ended_at - started_at)) FILTER (WHERE status = 'Completed')::float8 AS mean,
              percentile_cont(0.25) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at))
                FILTER (WHERE status = 'Completed')::float8 AS p25,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at))
                FILTER (WHERE status = 'Completed')::float8 AS p75
       FROM job_views
       WHERE tenant_id = $1 AND ended_at >= $2 AND ($3::text IS NULL OR job_type = $3)`,
      [scope.tenantId, since.toISOString(), scope.jobType ?? null],
    );
    const r = rows[0] ?? {};
    const completed = toNumber(r.completed ?? 0);
    return {
      completed,
      failed: toNumber(r.failed ?? 0),
      averageDurationSeconds: completed > 0 ? toNumber(r.mean) : null,
      durationQuartilesSeconds: completed > 0 ? { p25: toNumber(r.p25), p75: toNumber(r.p75) } : null,
    };
  }
}

async function readCheckpoint(sql: SqlExecutor, projection: string, forUpdate: boolean): Promise<GlobalPosition> {
  const rows = await sql.query<Row>(
    `SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_checkpoints WHERE projection = $1
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [projection],
  );
  if (rows.length === 0) return START_POSITION;
  return { commit: BigInt(String(rows[0].c)), prepare: BigInt(String(rows[0].p)) };
}

function queuedRef(r: Row): QueuedJobRef {
  return {
    jobId: String(r.job_id), tenantId: String(r.tenant_id), projectId: String(r.project_id), revision: toNumber(r.revision),
    priority: r.priority as JobPriority, jobType: r.job_type as JobType,
  };
}

function runningRef(r: Row): RunningJobRef {
  return {
    ...queuedRef(r), nodeId: String(r.node_id), startedAt: toIso(r.started_at),
    timeoutAt: r.timeout_at === null ? null : toIso(r.timeout_at),
  };
}
