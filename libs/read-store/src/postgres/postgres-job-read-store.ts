/**
 * JobReadStore on PostgreSQL or PGlite (same SQL). Documents are the JobState of
 * the domain's `evolve`, stored as JSONB with indexed columns for every list filter.
 */
import { createHash } from 'node:crypto';
import type { SqlClient, SqlExecutor } from '../../../event-store/src/postgres/sql-client.js';
import { START_POSITION, type GlobalPosition } from '../../../event-store/src/event-store.port.js';
import {
  DEFAULT_AGING_SECONDS_PER_LEVEL, JOB_PRIORITIES, JOB_STATUSES,
  type JobPriority, type JobState, type JobStatus, type JobType, type ProjectQueueState,
} from '../../../job-domain/src/index.js';
import {
  CheckpointMovedError,
  type CompletionStatistics, type DurationSample, type ExecutionNodeHeartbeat, type ExecutionNodeRecord, type JobListFilter,
  type JobListPage, type JobReadStore, type QueueStatistics, type QueueViewFilter, type QueueViewPage, type QueuedJobRef,
  type RunningJobRef, type SupervisionLimits, type SupervisionWork, type UsageStatistics,
} from '../read-store.port.js';
import {
  DEAD_LETTERED,
  claimStatement, nextQueuedJobsSql, queuePositionSql, runningCapSql, QUEUE_VIEW_COUNTS, QUEUE_VIEW_PAGE, QUEUE_VIEW_WAITS, READ_STORE_SCHEMA,
  UPSERT_PROJECT_QUEUES,
} from './job-read-store.schema.js';
import {
  analyzeStaleTables, countsByStatusQuery, dropEmptyJobCounts, foldJobCountShards, migrateJobCounts, vacuumStaleTables,
} from './job-counts.js';
import { GroupedJobReads } from './grouped-job-reads.js';
import { writeJobDocuments } from './write-job-documents.js';
import { migrateJobLogLines } from '../../../job-logs/src/postgres/postgres-job-log-store.js';

type Row = Record<string, unknown>;

function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** A prepared statement's name derived from its text, so two texts never share a name on one connection. */
function statementName(prefix: string, text: string): string {
  return `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/** How often a process's projection runs maintain() (ADR 0007); readers sum whatever is not folded yet. */
const MAINTENANCE_INTERVAL_MS = 60_000;

export class PostgresJobReadStore implements JobReadStore {
  private lastMaintenance = 0;
  /** The claim's statement per limit and job types (see claimStatement). */
  private readonly claimStatements = new Map<string, { readonly text: string; readonly name: string }>();
  /** Status polls' documents and queue positions, read for concurrent requests together. */
  private readonly groupedReads: GroupedJobReads;
  /** The queue-order statements with the tenants' own running caps written in (the plain ones without). */
  private readonly nextQueuedJobsStatement: string;
  private readonly queuePositionStatement: { readonly text: string; readonly name: string };

  constructor(
    private readonly sql: SqlClient,
    private readonly agingSecondsPerLevel = DEFAULT_AGING_SECONDS_PER_LEVEL,
    /** Running jobs one tenant may have (null = unlimited); claims skip a tenant at its cap. */
    private readonly tenantMaxRunningJobs: number | null = null,
    /** Tenants with a running cap of their own (TENANT_QUOTAS maxRunningJobs; null = unlimited). */
    private readonly runningCapsByTenant: Readonly<Record<string, number | null>> = {},
  ) {
    const cap = runningCapSql(runningCapsByTenant, 'q.tenant_id');
    this.nextQueuedJobsStatement = nextQueuedJobsSql(cap);
    const positionText = queuePositionSql(cap);
    // Named by its text where caps are written in: stores of other settings sharing a connection never mix their statements.
    this.queuePositionStatement = {
      text: positionText,
      name: Object.keys(runningCapsByTenant).length === 0 ? 'job_views_queue_position' : statementName('job_views_queue_position', positionText),
    };
    this.groupedReads = new GroupedJobReads(sql, agingSecondsPerLevel, tenantMaxRunningJobs, sql.kind === 'pg', this.queuePositionStatement);
  }

  /** Creates the tables; safe to run concurrently from several processes. */
  async migrate(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('job_read_store_migration'))`);
      // One statement per call: the extended protocol (PGlite, parameters) takes one at a time.
      for (const statement of READ_STORE_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await tx.query(statement);
      await migrateJobCounts(tx);
      await migrateJobLogLines(tx); // the job writer's statement stores job log lines too
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

  async applyJobDocuments(
    projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[],
    queues: readonly ProjectQueueState[] = [],
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const current = await readCheckpoint(tx, projection, true);
      if (current.commit !== expected.commit || current.prepare !== expected.prepare) throw new CheckpointMovedError(projection);
      await writeJobDocuments(tx, documents, this.agingSecondsPerLevel);
      if (queues.length > 0) await tx.query(UPSERT_PROJECT_QUEUES, [JSON.stringify(queues)]);
      await tx.query(
        `INSERT INTO projection_checkpoints (projection, commit_position, prepare_position, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (projection) DO UPDATE SET commit_position = $2, prepare_position = $3, updated_at = now()`,
        [projection, next.commit.toString(), next.prepare.toString()],
      );
    });
    if (Date.now() - this.lastMaintenance >= MAINTENANCE_INTERVAL_MS) {
      this.lastMaintenance = Date.now();
      await this.maintain();
    }
  }

  /**
   * Folds the count shards, vacuums the tables with many dead rows and refreshes stale
   * planner statistics (ADR 0007). Run by the projection once a minute after a batch
   * committed; its failure fails no write, the next round tries again.
   */
  async maintain(): Promise<void> {
    try {
      await this.sql.transaction((tx) => foldJobCountShards(tx));
      await vacuumStaleTables(this.sql);
      await analyzeStaleTables(this.sql);
    } catch (error) {
      console.warn(`read store maintenance failed, retried in a minute: ${(error as Error).message}`);
    }
  }

  async resetJobProjection(projection: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`, [projection]);
      await tx.query(`DELETE FROM job_views`); // the counts' trigger subtracts every row, in this transaction
      await dropEmptyJobCounts(tx);
      await tx.query(`DELETE FROM project_queues`);
      await tx.query(
        `UPDATE projection_checkpoints SET commit_position = $2, prepare_position = $3, updated_at = now() WHERE projection = $1`,
        [projection, START_POSITION.commit.toString(), START_POSITION.prepare.toString()],
      );
    });
  }

  getJob(tenantId: string, projectId: string, jobId: string): Promise<JobState | null> {
    return this.groupedReads.job({ tenantId, projectId, jobId });
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
    if (filter.deadLettered !== undefined) add(`${DEAD_LETTERED('job_views')} = ?`, filter.deadLettered);
    const whereSql = where.join(' AND ');
    const countsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) return { jobs: [], totalJobs: 0, countsByStatus };
    // The summary comes from the maintained counts, not from counting the filtered set. Page and
    // summary are one statement: one round trip, and both read the same snapshot.
    const counts = countsByStatusQuery(filter);
    const pageParams = [...params, page.limit, page.offset];
    const countsText = counts.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + pageParams.length}`);
    const text = `WITH page AS (
         SELECT doc, row_number() OVER (ORDER BY date_created DESC, job_id DESC) AS place FROM (
           SELECT doc, date_created, job_id FROM job_views WHERE ${whereSql} ORDER BY date_created DESC, job_id DESC
           LIMIT $${params.length + 1} OFFSET $${params.length + 2}) p
       ), counts AS (${countsText})
       SELECT doc, place, NULL::text AS status, NULL::bigint AS n FROM page
       UNION ALL SELECT NULL, NULL, status, n FROM counts
       ORDER BY place`;
    // Prepared once per connection and text (the filters in use give a few dozen texts): planning
    // it took longer than running it (about 1 ms against 0.2–0.7 ms over 100,000 jobs).
    const rows = await this.sql.query<Row>(text, [...pageParams, ...counts.params], statementName('job_list', text));
    let totalJobs = 0;
    const jobs: JobState[] = [];
    for (const row of rows) {
      if (row.place !== null) {
        jobs.push(row.doc as JobState);
      } else if (row.status !== null) {
        countsByStatus[row.status as JobStatus] = toNumber(row.n);
        totalJobs += toNumber(row.n);
      }
    }
    return { jobs, totalJobs, countsByStatus };
  }

  async dueRetries(now: Date, limit: number): Promise<JobState[]> {
    const rows = await this.sql.query<{ doc: JobState }>(
      `SELECT doc FROM job_views WHERE status = 'Failed' AND doc->>'nextRetryAt' IS NOT NULL AND doc->>'nextRetryAt' <= $1
       ORDER BY doc->>'nextRetryAt', job_id LIMIT $2`,
      [now.toISOString(), limit],
    );
    return rows.map((r) => r.doc);
  }

  async nextRetryDue(): Promise<Date | null> {
    const [row] = await this.sql.query<{ due: string | null }>(
      `SELECT min(doc->>'nextRetryAt') AS due FROM job_views WHERE status = 'Failed' AND doc->>'nextRetryAt' IS NOT NULL`,
    );
    return row?.due ? new Date(row.due) : null;
  }

  async waitingDependents(jobId: string): Promise<JobState[]> {
    const rows = await this.sql.query<{ doc: JobState }>(
      `SELECT doc FROM job_views WHERE status = 'Queued' AND jsonb_typeof(doc->'waitingFor') = 'array'
         AND doc->'waitingFor' @> jsonb_build_array($1::text) ORDER BY job_id`,
      [jobId],
      'rs_waiting_dependents', // asked for every ended job: planned once per connection, not every time
    );
    return rows.map((r) => r.doc);
  }

  async waitingJobs(afterJobId: string | null, limit: number): Promise<JobState[]> {
    const rows = await this.sql.query<{ doc: JobState }>(
      `SELECT doc FROM job_views WHERE status = 'Queued' AND jsonb_typeof(doc->'waitingFor') = 'array'
         AND doc->'waitingFor' <> '[]'::jsonb AND ($1::text IS NULL OR job_id > $1::text) ORDER BY job_id LIMIT $2`,
      [afterJobId, limit],
    );
    return rows.map((r) => r.doc);
  }

  async countDeadLettered(tenantId: string): Promise<number> {
    const [row] = await this.sql.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM job_views WHERE tenant_id = $1 AND ${DEAD_LETTERED('job_views')}`, [tenantId],
    );
    return toNumber(row?.n ?? 0);
  }

  async nextQueuedJobs(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<QueuedJobRef[]> {
    const rows = await this.sql.query<Row>(
      this.nextQueuedJobsStatement,
      [now.toISOString(), this.agingSecondsPerLevel, this.tenantMaxRunningJobs, limit, jobTypes ? [...jobTypes] : null],
    );
    return rows.map(queuedRef);
  }

  async nextQueuedJobDocuments(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<JobState[]> {
    if (jobTypes && jobTypes.length === 0) return [];
    const key = `${limit}/${jobTypes ? [...jobTypes].sort().join(',') : '*'}`;
    let statement = this.claimStatements.get(key);
    if (!statement) {
      const text = claimStatement({
        agingSecondsPerLevel: this.agingSecondsPerLevel, tenantMaxRunningJobs: this.tenantMaxRunningJobs,
        runningCapsByTenant: this.runningCapsByTenant, limit, jobTypes: jobTypes ? [...jobTypes].sort() : null,
      });
      // Named by its text: stores of other settings sharing a connection never mix their statements.
      statement = { text, name: statementName('claim', text) };
      this.claimStatements.set(key, statement);
    }
    const rows = await this.sql.query<Row>(statement.text, [now.toISOString()], statement.name);
    return rows.map((r) => r.doc as JobState);
  }

  async nextScheduledStart(now: Date): Promise<Date | null> {
    const rows = await this.sql.query<{ at: Date | string | null }>(
      `SELECT min(scheduled_at) AS at FROM job_views WHERE status = 'Queued' AND scheduled_at > $1`,
      [now.toISOString()],
      'job_views_next_scheduled_start',
    );
    return rows[0]?.at == null ? null : new Date(rows[0].at);
  }

  queuePosition(jobId: string, now: Date): Promise<number | null> {
    return this.groupedReads.queuePosition(jobId, now);
  }

  /** Positions of several jobs in one statement; jobs no claim may take are absent. */
  private async queuePositions(jobIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (jobIds.length === 0) return new Map();
    const rows = await this.sql.query<Row>(
      this.queuePositionStatement.text, [now.toISOString(), this.agingSecondsPerLevel, this.tenantMaxRunningJobs, [...jobIds]],
      // Every submit and queued job's status reads it: planning it took longer than running it on a short queue.
      this.queuePositionStatement.name,
    );
    return new Map(rows.map((r) => [String(r.job_id), toNumber(r.position)]));
  }

  async getProjectQueue(tenantId: string, projectId: string): Promise<ProjectQueueState | null> {
    const rows = await this.sql.query<Row>(
      `SELECT doc FROM project_queues WHERE tenant_id = $1 AND project_id = $2`, [tenantId, projectId],
    );
    return rows.length ? (rows[0].doc as ProjectQueueState) : null;
  }

  async queueView(filter: QueueViewFilter, now: Date, page: { offset: number; limit: number }): Promise<QueueViewPage> {
    const scope = [filter.tenantId, filter.projectId, filter.priority ?? null, filter.jobType ?? null];
    const [pageRows, countRows, waitRows, queue] = await Promise.all([
      this.sql.query<Row>(QUEUE_VIEW_PAGE, [
        filter.tenantId, filter.projectId, now.toISOString(), this.agingSecondsPerLevel, filter.priority ?? null,
        filter.jobType ?? null, page.limit, page.offset,
      ]),
      this.sql.query<Row>(QUEUE_VIEW_COUNTS, scope),
      this.sql.query<Row>(QUEUE_VIEW_WAITS, [...scope, filter.waitsSince.toISOString()]),
      this.getProjectQueue(filter.tenantId, filter.projectId),
    ]);
    // A paused project's jobs, like held ones, are skipped by claims: they have no place.
    const placed = queue?.status === 'Paused' ? [] : pageRows.filter((r) => !r.held).map((r) => String(r.job_id));
    const positions = await this.queuePositions(placed, now);
    const queuedByPriority = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    let heldJobs = 0;
    let waitingJobs = 0;
    for (const row of countRows) {
      queuedByPriority[row.priority as JobPriority] = toNumber(row.n);
      heldJobs += toNumber(row.held);
      waitingJobs += toNumber(row.waiting);
    }
    const started = toNumber(waitRows[0]?.n ?? 0);
    return {
      jobs: pageRows.map((r) => ({ job: r.doc as JobState, queuePosition: positions.get(String(r.job_id)) ?? null })),
      queuedByPriority,
      heldJobs,
      waitingJobs,
      averageWaitSeconds: started > 0 && waitRows[0].wait !== null ? toNumber(waitRows[0].wait) : null,
    };
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

  async dueSupervision(now: Date, limits: SupervisionLimits): Promise<SupervisionWork> {
    // A data-modifying CTE always runs; it sees the reads' snapshot, so a forgotten node's jobs still count as lease-expired.
    const rows = await this.sql.query<Row>(
      `WITH forgotten AS (
         DELETE FROM execution_nodes WHERE last_heartbeat < now() - make_interval(secs => $4::double precision) RETURNING node_id
       ), due AS (
         SELECT j.job_id, j.tenant_id, j.project_id, j.revision, j.priority, j.job_type, j.node_id, j.started_at, j.timeout_at,
           CASE
             WHEN j.timeout_at < $1 THEN 'timedOut'
             WHEN n.node_id IS NOT NULL AND n.last_heartbeat < now() - make_interval(secs => $2::double precision) THEN 'leaseExpired'
             WHEN n.node_id IS NULL
               AND coalesce((j.doc->>'claimRecordedAt')::timestamptz, j.started_at) < now() - make_interval(secs => $2::double precision)
               THEN 'leaseExpired'
             WHEN n.running_job_ids IS NOT NULL AND NOT (j.job_id = ANY(n.running_job_ids))
               AND n.last_heartbeat > (j.doc->>'claimRecordedAt')::timestamptz + make_interval(secs => $3::double precision)
               THEN 'unreported'
           END AS reason
         FROM job_views j LEFT JOIN execution_nodes n ON n.node_id = j.node_id
         WHERE j.status = 'Running'
       )
       SELECT * FROM due WHERE reason IS NOT NULL`,
      [now.toISOString(), limits.leaseSeconds, limits.graceSeconds, limits.forgetNodesAfterSeconds],
      'rs_due_supervision',
    );
    const of = (reason: string) => rows.filter((r) => r.reason === reason).map(runningRef);
    return { timedOut: of('timedOut'), leaseExpired: of('leaseExpired'), unreported: of('unreported') };
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

  async queuedJobsByPriority(): Promise<Readonly<Record<JobPriority, number>>> {
    const rows = await this.sql.query<{ priority: JobPriority; jobs: number }>(
      `SELECT priority, count(*)::int AS jobs FROM job_views WHERE status = 'Queued' GROUP BY priority`, [], 'queued_jobs_by_priority');
    const counts = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    for (const row of rows) counts[row.priority] = row.jobs;
    return counts;
  }

  async queueStatistics(tenantId: string, since: Date): Promise<QueueStatistics> {
    const [byPriority, waits] = await Promise.all([
      this.sql.query<Row>(
        `SELECT priority, sum(jobs)::bigint AS n FROM job_count_totals WHERE tenant_id = $1 AND status = 'Queued' GROUP BY priority`,
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

  async durationSamples(scope: { tenantId: string; jobType: JobType }, since: Date, limit: number): Promise<DurationSample[]> {
    const rows = await this.sql.query<Row>(
      `SELECT (doc->'outcome'->>'totalRecords')::float8 AS records, extract(epoch FROM ended_at - started_at)::float8 AS seconds
       FROM job_views
       WHERE tenant_id = $1 AND ended_at >= $2 AND status = 'Completed' AND job_type = $3
         AND jsonb_typeof(doc->'outcome'->'totalRecords') = 'number'
       ORDER BY ended_at DESC LIMIT $4`,
      [scope.tenantId, since.toISOString(), scope.jobType, limit],
    );
    return rows.map((r) => ({ records: toNumber(r.records), seconds: toNumber(r.seconds) }));
  }

  async usageStatistics(scope: { tenantId: string; jobType: JobType }, since: Date): Promise<UsageStatistics> {
    // avg skips nulls: a figure nobody measured does not count as 0.
    const rows = await this.sql.query<Row>(
      `SELECT count(*)::int AS n,
         avg((doc->'outcome'->'execution'->>'cpuTimeSeconds')::float8
             / nullif((doc->'outcome'->'execution'->>'wallTimeSeconds')::float8, 0))::float8 AS cpu_units,
         avg((doc->'outcome'->'execution'->>'peakMemoryBytes')::float8)::float8 AS peak_memory,
         avg((doc->'outcome'->'execution'->>'diskBytesWritten')::float8
             / nullif((doc->'outcome'->>'totalRecords')::float8, 0))::float8 AS disk_per_record
       FROM job_views
       WHERE tenant_id = $1 AND ended_at >= $2 AND status = 'Completed' AND job_type = $3`,
      [scope.tenantId, since.toISOString(), scope.jobType],
    );
    const r = rows[0] ?? {};
    const orNull = (value: unknown) => (value === null || value === undefined ? null : toNumber(value));
    return {
      jobs: toNumber(r.n ?? 0), cpuUnits: orNull(r.cpu_units), peakMemoryBytes: orNull(r.peak_memory),
      diskBytesPerRecord: orNull(r.disk_per_record),
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
