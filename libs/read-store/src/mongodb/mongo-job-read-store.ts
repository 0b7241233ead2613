/**
 * JobReadStore on MongoDB through the official driver: the same behaviour as the
 * PostgreSQL adapter (one contract suite for both).
 *
 * - `job_views`: one document per job, `_id` = jobId, `doc` = the JobState of the domain's
 *   `evolve`, next to fields derived from it at write time for the list filters and the
 *   queue order (queueScore = epoch seconds of queuedAt − priority rank × aging seconds,
 *   timeoutAt = startedAt + timeoutMinutes).
 * - `projection_checkpoints`: `{ _id: projection, commit, prepare }` as Decimal128 (a
 *   commit position can exceed a signed 64-bit integer), moved in the SAME multi-document
 *   transaction as the documents. Transactions need a replica set (a single-node replica
 *   set is enough) or a sharded cluster: a standalone mongod refuses them.
 * - `execution_nodes`: heartbeats, operational state.
 * - `project_queues`: `{ _id: "<tenantId>/<projectId>", paused, doc }`, a project's queue
 *   (ProjectQueueState), written in the same transaction as the job documents.
 */
import {
  Decimal128, MongoClient, MongoServerError,
  type AnyBulkWriteOperation, type ClientSession, type Collection, type Db, type Filter, type IndexDescription,
} from 'mongodb';
import { START_POSITION, type GlobalPosition } from '../../../event-store/src/event-store.port.js';
import {
  DEFAULT_AGING_SECONDS_PER_LEVEL, JOB_PRIORITIES, JOB_STATUSES, effectiveLevel, heldFromClaims, orderQueue, queueScore, waitsForDependencies,
  type OrderedQueueJob, type QueueOrderJob, type TenantQueueState,
  type JobPriority, type JobState, type JobStatus, type JobType, type ProjectQueueState,
} from '../../../job-domain/src/index.js';
import {
  CheckpointMovedError,
  type CompletionStatistics, type DurationSample, type ExecutionNodeHeartbeat, type ExecutionNodeRecord, type JobListFilter,
  type JobListPage, type JobReadStore, type QueueStatistics, type QueueViewFilter, type QueueViewPage, type QueuedJobRef,
  type RunningJobRef, type SupervisionLimits, type SupervisionWork, type UsageStatistics,
} from '../read-store.port.js';

export interface JobViewDocument {
  _id: string;
  tenantId: string;
  projectId: string;
  status: JobStatus;
  jobType: JobType;
  priority: JobPriority;
  submittedBy: string;
  dateCreated: Date;
  queuedAt: Date;
  queueScore: number;
  scheduledAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  timeoutAt: Date | null;
  nodeId: string | null;
  revision: number;
  /** On hold or waiting for dependencies (heldFromClaims): claims skip it. */
  held: boolean;
  doc: JobState;
}

export interface ProjectQueueDocument {
  _id: string;
  tenantId: string;
  projectId: string;
  paused: boolean;
  revision: number;
  doc: ProjectQueueState;
}

export function projectQueueKey(tenantId: string, projectId: string): string {
  return `${tenantId}/${projectId}`;
}

export interface CheckpointDocument {
  _id: string;
  commit: Decimal128;
  prepare: Decimal128;
  updatedAt: Date;
}

interface NodeDocument {
  _id: string;
  jobCapacity: number;
  activeJobs: number;
  cpuPercent: number;
  cpuCores: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskAvailableBytes: number | null;
  draining: boolean;
  runningJobIds?: string[] | null;
  startedAt: Date;
  lastHeartbeat: Date;
}

const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;

function requiredDate(value: string, field: string, jobId: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`job ${jobId}: ${field} is not a date: ${value}`);
  return date;
}

function optionalDate(value: string | null | undefined, field: string, jobId: string): Date | null {
  return value === null || value === undefined ? null : requiredDate(value, field, jobId);
}

/** The stored document of a job: its state plus the fields the queries filter and sort on. */
export function toJobViewDocument(doc: JobState, agingSecondsPerLevel: number): JobViewDocument {
  const queuedAt = requiredDate(doc.queuedAt, 'queuedAt', doc.jobId);
  const startedAt = optionalDate(doc.startedAt, 'startedAt', doc.jobId);
  const timeoutMinutes = doc.scheduling?.timeoutMinutes;
  return {
    _id: doc.jobId,
    tenantId: doc.tenantId,
    projectId: doc.projectId,
    status: doc.status,
    jobType: doc.jobType,
    priority: doc.priority,
    submittedBy: doc.submittedBy,
    dateCreated: requiredDate(doc.submittedAt, 'submittedAt', doc.jobId),
    queuedAt,
    queueScore: queueScore(queuedAt.getTime(), doc.priority, agingSecondsPerLevel),
    scheduledAt: optionalDate(doc.scheduling?.scheduledTime, 'scheduledTime', doc.jobId),
    startedAt,
    endedAt: optionalDate(doc.endedAt, 'endedAt', doc.jobId),
    timeoutAt: startedAt && typeof timeoutMinutes === 'number' ? new Date(startedAt.getTime() + timeoutMinutes * 60_000) : null,
    nodeId: doc.nodeId,
    revision: doc.revision,
    held: heldFromClaims(doc),
    doc,
  };
}

export function toDecimal(value: bigint): Decimal128 {
  return Decimal128.fromString(value.toString());
}

export function fromDecimal(value: Decimal128 | string | number | bigint): bigint {
  return BigInt(value.toString());
}

/**
 * PostgreSQL's percentile_cont: linear interpolation between the two values around
 * rank p × (n − 1) of the sorted values.
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/** Keeps the last document per job: a batch may hold two versions of one job. */
function lastPerJob(documents: readonly JobState[]): JobState[] {
  return [...new Map(documents.map((d) => [d.jobId, d])).values()];
}

const queued = { status: 'Queued' };

/** The job views' indexes (the live collection's and a rebuild's fresh copy's). */
export const JOB_VIEW_INDEXES: readonly IndexDescription[] = [
  // listJobs: scope + each filter, newest first.
  { key: { tenantId: 1, projectId: 1, dateCreated: -1, _id: -1 }, name: 'scope_created' },
  { key: { tenantId: 1, projectId: 1, status: 1, dateCreated: -1 }, name: 'scope_status' },
  { key: { tenantId: 1, projectId: 1, jobType: 1, dateCreated: -1 }, name: 'scope_type' },
  { key: { tenantId: 1, projectId: 1, priority: 1, dateCreated: -1 }, name: 'scope_priority' },
  { key: { tenantId: 1, projectId: 1, submittedBy: 1, dateCreated: -1 }, name: 'scope_submitter' },
  // Claim order of the queue, holding only queued jobs.
  { key: { queueScore: 1, _id: 1 }, name: 'queue', partialFilterExpression: queued },
  { key: { tenantId: 1, status: 1 }, name: 'tenant_status' },
  { key: { tenantId: 1, priority: 1 }, name: 'queued_by_priority', partialFilterExpression: queued },
  { key: { nodeId: 1 }, name: 'running', partialFilterExpression: { status: 'Running' } },
  { key: { timeoutAt: 1 }, name: 'running_timeout', partialFilterExpression: { status: 'Running' } },
  { key: { tenantId: 1, endedAt: 1 }, name: 'ended', partialFilterExpression: { endedAt: { $type: 'date' } } },
  { key: { tenantId: 1, startedAt: 1 }, name: 'started', partialFilterExpression: { startedAt: { $type: 'date' } } },
  // Automatic retries: due times (ISO strings, which sort as time) and dead letters.
  { key: { 'doc.nextRetryAt': 1 }, name: 'retry_due', partialFilterExpression: { status: 'Failed', 'doc.nextRetryAt': { $type: 'string' } } },
  { key: { tenantId: 1, projectId: 1, dateCreated: -1 }, name: 'dead_lettered', partialFilterExpression: { 'doc.deadLettered': { $type: 'object' } } },
  // Pipelines: the queued jobs waiting for a given dependency (a multikey index over the ids; only
  // status in the filter, so a query by one id, which implies it, can use it).
  { key: { 'doc.waitingFor': 1 }, name: 'waiting_for', partialFilterExpression: queued },
];

export class MongoJobReadStore implements JobReadStore {
  private readonly jobs: Collection<JobViewDocument>;
  private readonly checkpoints: Collection<CheckpointDocument>;
  private readonly nodes: Collection<NodeDocument>;
  private readonly queues: Collection<ProjectQueueDocument>;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly agingSecondsPerLevel = DEFAULT_AGING_SECONDS_PER_LEVEL,
    /** Running jobs one tenant may have (null = unlimited); claims skip a tenant at its cap. */
    private readonly tenantMaxRunningJobs: number | null = null,
    /** Tenants with a running cap of their own (null = unlimited). */
    private readonly runningCapsByTenant: Readonly<Record<string, number | null>> = {},
  ) {
    this.jobs = db.collection<JobViewDocument>('job_views');
    this.checkpoints = db.collection<CheckpointDocument>('projection_checkpoints');
    this.nodes = db.collection<NodeDocument>('execution_nodes');
    this.queues = db.collection<ProjectQueueDocument>('project_queues');
  }

  /** Creates the collections and indexes; idempotent, safe to run from several processes. */
  async migrate(): Promise<void> {
    // Collections exist before any transaction uses them (older servers cannot create them inside one).
    for (const name of ['job_views', 'projection_checkpoints', 'execution_nodes', 'project_queues']) {
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
    }
    await this.jobs.createIndexes([...JOB_VIEW_INDEXES]);
  }

  /** The database of these collections (a blue/green rebuild builds its copy beside them). */
  get database(): Db {
    return this.db;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The checkpoint document exists from the first load on, so concurrent runners conflict on it. */
  private async ensureCheckpoint(projection: string): Promise<void> {
    try {
      await this.checkpoints.updateOne(
        { _id: projection },
        { $setOnInsert: { commit: toDecimal(START_POSITION.commit), prepare: toDecimal(START_POSITION.prepare), updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (error) {
      // Two first loads at once: the loser's upsert hits the _id index; the row is there.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }

  async loadCheckpoint(projection: string): Promise<GlobalPosition> {
    await this.ensureCheckpoint(projection);
    const row = await this.checkpoints.findOne({ _id: projection });
    return row ? { commit: fromDecimal(row.commit), prepare: fromDecimal(row.prepare) } : START_POSITION;
  }

  private async inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      // withTransaction retries on transient errors (e.g. a write conflict with another
      // runner); the retry then sees the moved checkpoint and fails with CheckpointMovedError.
      return await session.withTransaction(() => work(session), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
      });
    } finally {
      await session.endSession();
    }
  }

  async applyJobDocuments(
    projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[],
    queues: readonly ProjectQueueState[] = [],
  ): Promise<void> {
    await this.ensureCheckpoint(projection);
    const views = lastPerJob(documents).map((d) => toJobViewDocument(d, this.agingSecondsPerLevel));
    await this.inTransaction(async (session) => {
      // Moving the checkpoint first claims its document: a concurrent runner's transaction
      // conflicts here and, retried, no longer matches `expected`.
      const moved = await this.checkpoints.updateOne(
        { _id: projection, commit: toDecimal(expected.commit), prepare: toDecimal(expected.prepare) },
        { $set: { commit: toDecimal(next.commit), prepare: toDecimal(next.prepare), updatedAt: new Date() } },
        { session },
      );
      if (moved.matchedCount === 0) throw new CheckpointMovedError(projection);
      for (const queue of queues) {
        await this.queues.replaceOne(
          { _id: projectQueueKey(queue.tenantId, queue.projectId) },
          { tenantId: queue.tenantId, projectId: queue.projectId, paused: queue.status === 'Paused', revision: queue.revision, doc: queue },
          { session, upsert: true },
        );
      }
      if (views.length === 0) return;
      // Delete + insert rather than replace: inserts accept any field name the job's free-form
      // parameters may carry ($-prefixed, dotted), a replacing update refuses some of them.
      const operations: AnyBulkWriteOperation<JobViewDocument>[] = views.flatMap((view) => [
        { deleteOne: { filter: { _id: view._id } } },
        { insertOne: { document: view } },
      ]);
      await this.jobs.bulkWrite(operations, { session, ordered: true });
    });
  }

  async resetJobProjection(projection: string): Promise<void> {
    await this.inTransaction(async (session) => {
      // Checkpoint first, as in applyJobDocuments: a runner applying concurrently conflicts.
      await this.checkpoints.updateOne(
        { _id: projection },
        { $set: { commit: toDecimal(START_POSITION.commit), prepare: toDecimal(START_POSITION.prepare), updatedAt: new Date() } },
        { session },
      );
      await this.jobs.deleteMany({}, { session });
      await this.queues.deleteMany({}, { session });
    });
  }

  async getJob(tenantId: string, projectId: string, jobId: string): Promise<JobState | null> {
    const row = await this.jobs.findOne({ _id: jobId, tenantId, projectId }, { projection: { doc: 1 } });
    return row ? row.doc : null;
  }

  async getJobsByIds(jobIds: readonly string[]): Promise<JobState[]> {
    if (jobIds.length === 0) return [];
    const rows = await this.jobs.find({ _id: { $in: [...jobIds] } }, { projection: { doc: 1 } }).toArray();
    return rows.map((r) => r.doc);
  }

  async listJobs(filter: JobListFilter, page: { offset: number; limit: number }): Promise<JobListPage> {
    const where: Filter<JobViewDocument> = { tenantId: filter.tenantId, projectId: filter.projectId };
    if (filter.status) where.status = filter.status;
    if (filter.jobType) where.jobType = filter.jobType;
    if (filter.priority) where.priority = filter.priority;
    if (filter.submittedBy) where.submittedBy = filter.submittedBy;
    if (filter.deadLettered === true) where['doc.deadLettered'] = { $type: 'object' };
    if (filter.deadLettered === false) where['doc.deadLettered'] = { $not: { $type: 'object' } };
    if (filter.dateFrom || filter.dateTo) {
      where.dateCreated = {
        ...(filter.dateFrom ? { $gte: filter.dateFrom } : {}),
        ...(filter.dateTo ? { $lte: filter.dateTo } : {}),
      };
    }
    const [rows, counts] = await Promise.all([
      page.limit > 0
        ? this.jobs.find(where, { projection: { doc: 1 } }).sort({ dateCreated: -1, _id: -1 }).skip(page.offset).limit(page.limit).toArray()
        : Promise.resolve([]),
      this.jobs.aggregate<{ _id: JobStatus; n: number }>([{ $match: where }, { $group: { _id: '$status', n: { $sum: 1 } } }]).toArray(),
    ]);
    const countsByStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    let totalJobs = 0;
    for (const row of counts) {
      countsByStatus[row._id] = row.n;
      totalJobs += row.n;
    }
    return { jobs: rows.map((r) => r.doc), totalJobs, countsByStatus };
  }

  async dueRetries(now: Date, limit: number): Promise<JobState[]> {
    const rows = await this.jobs.find(
      { status: 'Failed', 'doc.nextRetryAt': { $type: 'string', $lte: now.toISOString() } }, { projection: { doc: 1 } },
    ).sort({ 'doc.nextRetryAt': 1, _id: 1 }).limit(limit).toArray();
    return rows.map((r) => r.doc);
  }

  async nextRetryDue(): Promise<Date | null> {
    const [row] = await this.jobs.find({ status: 'Failed', 'doc.nextRetryAt': { $type: 'string' } }, { projection: { doc: 1 } })
      .sort({ 'doc.nextRetryAt': 1 }).limit(1).toArray();
    return row?.doc.nextRetryAt ? new Date(row.doc.nextRetryAt) : null;
  }

  async waitingDependents(jobId: string): Promise<JobState[]> {
    const rows = await this.jobs.find({ status: 'Queued', 'doc.waitingFor': jobId }, { projection: { doc: 1 } }).sort({ _id: 1 }).toArray();
    return rows.map((r) => r.doc);
  }

  async waitingJobs(afterJobId: string | null, limit: number): Promise<JobState[]> {
    const rows = await this.jobs.find(
      { status: 'Queued', 'doc.waitingFor.0': { $exists: true }, ...(afterJobId === null ? {} : { _id: { $gt: afterJobId } }) }, { projection: { doc: 1 } },
    ).sort({ _id: 1 }).limit(limit).toArray();
    return rows.map((r) => r.doc);
  }

  countDeadLettered(tenantId: string): Promise<number> {
    return this.jobs.countDocuments({ tenantId, 'doc.deadLettered': { $type: 'object' } });
  }

  /** Every queued job in queue order (job-domain's orderQueue, the rule the PostgreSQL adapter runs in SQL). */
  private async orderedQueue(now: Date): Promise<OrderedQueueJob<QueuedJobRef & QueueOrderJob>[]> {
    // Held jobs and the jobs of paused project queues are skipped by claims: not in the order at all.
    const [queued, paused] = await Promise.all([
      this.jobs.find({ status: 'Queued', held: { $ne: true } }, { projection: { doc: 0 } }).toArray(),
      this.queues.find({ paused: true }).toArray(),
    ]);
    const pausedKeys = new Set(paused.map((q) => q._id));
    const rows = queued.filter((r) => !pausedKeys.has(projectQueueKey(r.tenantId, r.projectId)));
    const tenantIds = [...new Set(rows.map((r) => r.tenantId))];
    const [running, started] = await Promise.all([
      this.jobs.aggregate<{ _id: string; n: number }>([
        { $match: { status: 'Running', tenantId: { $in: tenantIds } } }, { $group: { _id: '$tenantId', n: { $sum: 1 } } },
      ]).toArray(),
      this.jobs.aggregate<{ _id: string; last: Date }>([
        { $match: { tenantId: { $in: tenantIds }, startedAt: { $type: 'date' } } }, { $group: { _id: '$tenantId', last: { $max: '$startedAt' } } },
      ]).toArray(),
    ]);
    const tenants = new Map<string, TenantQueueState>(tenantIds.map((id) => [id, {
      runningJobs: running.find((r) => r._id === id)?.n ?? 0,
      lastStartedMs: started.find((r) => r._id === id)?.last.getTime() ?? null,
    }]));
    const jobs = rows.map((r) => ({ ...queuedRef(r), queueScore: r.queueScore, due: r.scheduledAt === null || r.scheduledAt <= now }));
    return orderQueue(jobs, tenants, {
      nowMs: now.getTime(), agingSecondsPerLevel: this.agingSecondsPerLevel, tenantMaxRunningJobs: this.tenantMaxRunningJobs,
      runningCapsByTenant: this.runningCapsByTenant,
    });
  }

  async nextQueuedJobs(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<QueuedJobRef[]> {
    if (limit <= 0) return [];
    const claimable = (await this.orderedQueue(now)).filter((j) => j.claimable && (!jobTypes || jobTypes.includes(j.jobType)));
    return claimable.slice(0, limit).map(({ jobId, tenantId, projectId, revision, priority, jobType }) =>
      ({ jobId, tenantId, projectId, revision, priority, jobType }));
  }

  async nextQueuedJobDocuments(now: Date, limit: number, jobTypes?: readonly JobType[]): Promise<JobState[]> {
    const refs = await this.nextQueuedJobs(now, limit, jobTypes);
    const byId = new Map((await this.getJobsByIds(refs.map((r) => r.jobId))).map((doc) => [doc.jobId, doc]));
    return refs.flatMap((r) => byId.get(r.jobId) ?? []);
  }

  async nextScheduledStart(now: Date): Promise<Date | null> {
    const next = await this.jobs.findOne(
      { status: 'Queued', scheduledAt: { $gt: now } }, { projection: { scheduledAt: 1 }, sort: { scheduledAt: 1 } },
    );
    return next?.scheduledAt ?? null;
  }

  async queuePosition(jobId: string, now: Date): Promise<number | null> {
    const index = (await this.orderedQueue(now)).findIndex((j) => j.jobId === jobId);
    return index < 0 ? null : index + 1;
  }

  async getProjectQueue(tenantId: string, projectId: string): Promise<ProjectQueueState | null> {
    const row = await this.queues.findOne({ _id: projectQueueKey(tenantId, projectId) });
    return row ? row.doc : null;
  }

  async queueView(filter: QueueViewFilter, now: Date, page: { offset: number; limit: number }): Promise<QueueViewPage> {
    const scope: Filter<JobViewDocument> = { tenantId: filter.tenantId, projectId: filter.projectId };
    if (filter.priority) scope.priority = filter.priority;
    if (filter.jobType) scope.jobType = filter.jobType;
    // orderedQueue leaves out held jobs and paused projects: those get no position.
    const [rows, ordered, waits] = await Promise.all([
      this.jobs.find({ ...scope, status: 'Queued' }).toArray(),
      this.orderedQueue(now),
      this.jobs.aggregate<{ n: number; wait: number | null }>([
        { $match: { ...scope, startedAt: { $gte: filter.waitsSince } } },
        { $group: { _id: null, n: { $sum: 1 }, wait: { $avg: { $divide: [{ $subtract: ['$startedAt', '$queuedAt'] }, 1000] } } } },
      ]).toArray(),
    ]);
    const positions = new Map(ordered.map((j, index) => [j.jobId, index + 1]));
    // The PostgreSQL adapter's order: due jobs by score, then those not due yet by level and score, then held ones.
    const notDue = (r: JobViewDocument) => r.scheduledAt !== null && r.scheduledAt > now;
    const level = (r: JobViewDocument) => (notDue(r) ? -effectiveLevel(r.queueScore, now.getTime(), this.agingSecondsPerLevel) : 0);
    rows.sort((a, b) => Number(a.held) - Number(b.held) || Number(notDue(a)) - Number(notDue(b)) || level(a) - level(b)
      || a.queueScore - b.queueScore || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const queuedByPriority = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    for (const row of rows) queuedByPriority[row.priority] += 1;
    const started = waits[0]?.n ?? 0;
    return {
      jobs: rows.slice(page.offset, page.offset + page.limit).map((r) => ({
        job: r.doc, queuePosition: positions.get(r._id) ?? null,
      })),
      queuedByPriority,
      heldJobs: rows.filter((r) => r.held).length,
      waitingJobs: rows.filter((r) => r.held && waitsForDependencies(r.doc)).length,
      averageWaitSeconds: started > 0 && waits[0].wait !== null ? Number(waits[0].wait) : null,
    };
  }

  async runningJobs(): Promise<RunningJobRef[]> {
    const rows = await this.jobs.find({ status: 'Running' }, { projection: { doc: 0 } }).toArray();
    return rows.map(runningRef);
  }

  async timedOutJobs(now: Date): Promise<RunningJobRef[]> {
    const rows = await this.jobs.find({ status: 'Running', timeoutAt: { $lt: now } }, { projection: { doc: 0 } }).toArray();
    return rows.map(runningRef);
  }

  async recordHeartbeat(h: ExecutionNodeHeartbeat): Promise<void> {
    // A pipeline update, so both times are the server's clock ($$NOW), never the node's.
    const update = [{
      $set: {
        jobCapacity: h.jobCapacity, activeJobs: h.activeJobs, cpuPercent: h.cpuPercent, cpuCores: h.cpuCores,
        memoryUsedBytes: h.memoryUsedBytes, memoryTotalBytes: h.memoryTotalBytes, diskAvailableBytes: h.diskAvailableBytes,
        draining: h.draining, runningJobIds: h.runningJobIds === null ? null : { $literal: [...h.runningJobIds] },
        lastHeartbeat: '$$NOW', startedAt: { $ifNull: ['$startedAt', '$$NOW'] },
      },
    }];
    try {
      await this.nodes.updateOne({ _id: h.nodeId }, update, { upsert: true });
    } catch (error) {
      // The first two heartbeats of a node raced: the second is an update now.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      await this.nodes.updateOne({ _id: h.nodeId }, update, { upsert: true });
    }
  }

  /** The server's clock, for lease decisions. */
  private async serverNow(): Promise<number> {
    const hello = await this.db.command({ hello: 1 });
    return (hello.localTime as Date).getTime();
  }

  async jobsWithExpiredLease(leaseSeconds: number): Promise<RunningJobRef[]> {
    const [now, nodes, running] = await Promise.all([
      this.serverNow(), this.nodes.find({}).toArray(), this.jobs.find({ status: 'Running' }).toArray(),
    ]);
    const lastHeartbeat = new Map(nodes.map((n) => [n._id, n.lastHeartbeat.getTime()]));
    const leaseStart = now - leaseSeconds * 1000;
    return running.filter((j) => {
      const heard = lastHeartbeat.get(String(j.nodeId));
      if (heard !== undefined) return heard < leaseStart;
      return Date.parse(j.doc.claimRecordedAt ?? (j.startedAt as Date).toISOString()) < leaseStart;
    }).map(runningRef);
  }

  async unreportedJobs(graceSeconds: number): Promise<RunningJobRef[]> {
    const [nodes, running] = await Promise.all([this.nodes.find({}).toArray(), this.jobs.find({ status: 'Running' }).toArray()]);
    const byId = new Map(nodes.map((n) => [n._id, n]));
    return running.filter((j) => {
      const node = byId.get(String(j.nodeId));
      if (!node || !node.runningJobIds || node.runningJobIds.includes(j._id) || !j.doc.claimRecordedAt) return false;
      return node.lastHeartbeat.getTime() > Date.parse(j.doc.claimRecordedAt) + graceSeconds * 1000;
    }).map(runningRef);
  }

  async dueSupervision(now: Date, limits: SupervisionLimits): Promise<SupervisionWork> {
    const [timedOut, expired, unreported] = await Promise.all([
      this.timedOutJobs(now), this.jobsWithExpiredLease(limits.leaseSeconds), this.unreportedJobs(limits.graceSeconds),
    ]);
    const forgetBefore = (await this.serverNow()) - limits.forgetNodesAfterSeconds * 1000;
    await this.nodes.deleteMany({ lastHeartbeat: { $lt: new Date(forgetBefore) } });
    const seen = new Set(timedOut.map((j) => j.jobId));
    const leaseExpired = expired.filter((j) => !seen.has(j.jobId));
    for (const j of leaseExpired) seen.add(j.jobId);
    return { timedOut, leaseExpired, unreported: unreported.filter((j) => !seen.has(j.jobId)) };
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.nodes.deleteOne({ _id: nodeId });
  }

  async listNodes(): Promise<ExecutionNodeRecord[]> {
    const rows = await this.nodes.find({}).sort({ _id: 1 }).toArray();
    return rows.map((r) => ({
      nodeId: r._id, jobCapacity: r.jobCapacity, activeJobs: r.activeJobs, cpuPercent: r.cpuPercent, cpuCores: r.cpuCores,
      memoryUsedBytes: r.memoryUsedBytes, memoryTotalBytes: r.memoryTotalBytes,
      diskAvailableBytes: r.diskAvailableBytes ?? null, draining: Boolean(r.draining), runningJobIds: r.runningJobIds ?? null,
      startedAt: r.startedAt.toISOString(), lastHeartbeat: r.lastHeartbeat.toISOString(),
    }));
  }

  async queuedJobsByPriority(): Promise<Readonly<Record<JobPriority, number>>> {
    const rows = await this.jobs.aggregate<{ _id: JobPriority; n: number }>([
      { $match: { status: 'Queued' } },
      { $group: { _id: '$priority', n: { $sum: 1 } } },
    ]).toArray();
    const counts = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }

  async queueStatistics(tenantId: string, since: Date): Promise<QueueStatistics> {
    const [byPriority, waits] = await Promise.all([
      this.jobs.aggregate<{ _id: JobPriority; n: number }>([
        { $match: { tenantId, status: 'Queued' } },
        { $group: { _id: '$priority', n: { $sum: 1 } } },
      ]).toArray(),
      this.jobs.aggregate<{ n: number; wait: number | null }>([
        { $match: { tenantId, startedAt: { $gte: since } } },
        // Date − date is milliseconds.
        { $group: { _id: null, n: { $sum: 1 }, wait: { $avg: { $divide: [{ $subtract: ['$startedAt', '$queuedAt'] }, 1000] } } } },
      ]).toArray(),
    ]);
    const queuedByPriority = Object.fromEntries(JOB_PRIORITIES.map((p) => [p, 0])) as Record<JobPriority, number>;
    for (const row of byPriority) queuedByPriority[row._id] = row.n;
    const started = waits[0]?.n ?? 0;
    return {
      queuedByPriority,
      startedInWindow: started,
      averageWaitSeconds: started > 0 && waits[0].wait !== null ? Number(waits[0].wait) : null,
    };
  }

  async completionStatistics(scope: { tenantId: string; jobType?: JobType }, since: Date): Promise<CompletionStatistics> {
    const match: Filter<JobViewDocument> = { tenantId: scope.tenantId, endedAt: { $gte: since } };
    if (scope.jobType) match.jobType = scope.jobType;
    const duration = { $divide: [{ $subtract: ['$endedAt', '$startedAt'] }, 1000] };
    const [counts] = await this.jobs.aggregate<{ completed: number; failed: number; mean: number | null; timed: number }>([
      { $match: match },
      {
        $group: {
          _id: null,
          completed: { $sum: { $cond: [{ $eq: ['$status', 'Completed'] }, 1, 0] } },
          failed: { $sum: { $cond: [{ $eq: ['$status', 'Failed'] }, 1, 0] } },
          // $avg skips the nulls of non-completed jobs, like avg(...) FILTER (...).
          mean: { $avg: { $cond: [{ $and: [{ $eq: ['$status', 'Completed'] }, { $eq: [{ $type: '$startedAt' }, 'date'] }] }, duration, null] } },
          timed: { $sum: { $cond: [{ $and: [{ $eq: ['$status', 'Completed'] }, { $eq: [{ $type: '$startedAt' }, 'date'] }] }, 1, 0] } },
        },
      },
    ]).toArray();
    const completed = counts?.completed ?? 0;
    let quartiles: { p25: number; p75: number } | null = null;
    if (completed > 0) {
      // Quartiles as percentile_cont: only the (at most four) values around the two ranks
      // are fetched, from the durations sorted on the server.
      const n = counts.timed;
      const valueAt = async (index: number): Promise<number> => {
        const [row] = await this.jobs.aggregate<{ d: number }>([
          { $match: { ...match, status: 'Completed', startedAt: { $type: 'date' } } },
          { $project: { _id: 0, d: duration } },
          { $sort: { d: 1 } },
          { $skip: index },
          { $limit: 1 },
        ], { allowDiskUse: true }).toArray();
        return row.d;
      };
      const quartile = async (p: number): Promise<number> => {
        const rank = p * (n - 1);
        const [lower, upper] = [Math.floor(rank), Math.ceil(rank)];
        const low = await valueAt(lower);
        const high = upper === lower ? low : await valueAt(upper);
        return percentileCont([low, high], rank - lower)!;
      };
      quartiles = n > 0 ? { p25: await quartile(0.25), p75: await quartile(0.75) } : { p25: 0, p75: 0 };
    }
    return {
      completed,
      failed: counts?.failed ?? 0,
      averageDurationSeconds: completed > 0 ? Number(counts.mean ?? 0) : null,
      durationQuartilesSeconds: quartiles,
    };
  }

  async durationSamples(scope: { tenantId: string; jobType: JobType }, since: Date, limit: number): Promise<DurationSample[]> {
    const rows = await this.jobs
      .find(
        { tenantId: scope.tenantId, jobType: scope.jobType, status: 'Completed', endedAt: { $gte: since }, 'doc.outcome.totalRecords': { $type: 'number' } },
        { projection: { startedAt: 1, endedAt: 1, 'doc.outcome.totalRecords': 1 } },
      )
      .sort({ endedAt: -1 })
      .limit(limit)
      .toArray();
    return rows.map((r) => ({
      records: Number(r.doc.outcome!.totalRecords),
      seconds: ((r.endedAt as Date).getTime() - (r.startedAt as Date).getTime()) / 1000,
    }));
  }

  async usageStatistics(scope: { tenantId: string; jobType: JobType }, since: Date): Promise<UsageStatistics> {
    const execution = (field: string) => `$doc.outcome.execution.${field}`;
    /** a / b, null when either is missing or b is 0 ($avg then skips it, as avg does in SQL). */
    const ratio = (a: string, b: string) => ({
      $cond: [{ $and: [{ $isNumber: a }, { $isNumber: b }, { $ne: [b, 0] }] }, { $divide: [a, b] }, null],
    });
    const [row] = await this.jobs.aggregate<{ n: number; cpuUnits: number | null; peak: number | null; disk: number | null }>([
      { $match: { tenantId: scope.tenantId, jobType: scope.jobType, status: 'Completed', endedAt: { $gte: since } } },
      {
        $group: {
          _id: null, n: { $sum: 1 },
          cpuUnits: { $avg: ratio(execution('cpuTimeSeconds'), execution('wallTimeSeconds')) },
          peak: { $avg: execution('peakMemoryBytes') },
          disk: { $avg: ratio(execution('diskBytesWritten'), '$doc.outcome.totalRecords') },
        },
      },
    ]).toArray();
    return { jobs: row?.n ?? 0, cpuUnits: row?.cpuUnits ?? null, peakMemoryBytes: row?.peak ?? null, diskBytesPerRecord: row?.disk ?? null };
  }
}

function queuedRef(r: Omit<JobViewDocument, 'doc'>): QueuedJobRef {
  return { jobId: r._id, tenantId: r.tenantId, projectId: r.projectId, revision: r.revision, priority: r.priority, jobType: r.jobType };
}

function runningRef(r: Omit<JobViewDocument, 'doc'>): RunningJobRef {
  return {
    ...queuedRef(r), nodeId: String(r.nodeId), startedAt: (r.startedAt as Date).toISOString(),
    timeoutAt: r.timeoutAt ? r.timeoutAt.toISOString() : null,
  };
}

export interface CreateMongoJobReadStoreOptions {
  /** e.g. `mongodb://127.0.0.1:27017/?replicaSet=rs0` (transactions need a replica set). */
  readonly url: string;
  readonly database: string;
  readonly agingSecondsPerLevel?: number;
  readonly tenantMaxRunningJobs?: number | null;
  readonly runningCapsByTenant?: Readonly<Record<string, number | null>>;
}

/** Connects and returns the store; call `migrate()` once to create collections and indexes. */
export async function createMongoJobReadStore(options: CreateMongoJobReadStoreOptions): Promise<MongoJobReadStore> {
  // ignoreUndefined: a JobState is JSON, where an undefined field is simply absent.
  const client = new MongoClient(options.url, { ignoreUndefined: true });
  await client.connect();
  return new MongoJobReadStore(client, client.db(options.database), options.agingSecondsPerLevel ?? DEFAULT_AGING_SECONDS_PER_LEVEL,
    options.tenantMaxRunningJobs ?? null, options.runningCapsByTenant ?? {});
}
