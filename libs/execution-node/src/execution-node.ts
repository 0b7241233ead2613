/**
 * An execution node: claims queued jobs up to its capacity and runs each on one of its
 * warm job runners (job-run.ts, runner-pool.ts). The claim is an append of JobStarted at
 * the stream's revision: two nodes racing for one job cannot both win. Every later append
 * is fenced the same way, so a node that lost its lease (its job was requeued) or whose
 * job was cancelled or timed out learns it on its next report or check and stops the
 * runner. Each heartbeat lists the jobs the node holds, so the supervisor requeues a job
 * the node has dropped; each attempt writes into a folder of its own, so a stale node
 * never touches the files of the attempt that won. A free node claims when it is told a
 * job was queued (the store's queue signals), when the earliest scheduled job falls due,
 * and when one of its own jobs ends; its poll is only a slow fallback for a lost signal.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDatabaseUnavailable } from '../../event-store/src/postgres/sql-client.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import type { DescribeDataset } from '../../datasets/src/import/dataset-description.js';
import { datasetFilePath, ingestedLogPath, registerDatasetFromFile } from '../../datasets/src/register-dataset.js';
import { processModelFilePath } from '../../process-models/src/register-process-model.js';
import {
  JobRepository, classified, jobStreamId, systemCommandMetadata, type CommandMetadata, type JobState,
} from '../../job-domain/src/index.js';
import type { MiningJobType } from '../../mining/src/job-execution.contract.js';
import type { Stores } from '../../storage/src/open-stores.js';
import { attemptOutputFolder, type DatasetRegistration } from './job-outcome.js';
import {
  DEFAULT_CANCEL_GRACE_MS, DEFAULT_PROGRESS_EVERY_MS, DEFAULT_PROGRESS_MIN_INTERVAL_MS, JobRun, sleep, type NodeLogger,
} from './job-run.js';
import { MachineCpuMeter } from './process-usage.js';
import { DEFAULT_HEAP_MB, DEFAULT_RUNNER_LOG_CACHE_EVENTS, DEFAULT_RUNNER_MAX_JOBS, DEFAULT_RUNNER_MAX_RSS_MB, DEFAULT_RUNNER_READY_TIMEOUT_MS, LARGE_HEAP_MB, RunnerPool, type RunnerPoolState } from './runner-pool.js';
import { claimQueuedJobs, type ClaimOutcome } from './claim-queued-jobs.js';
import { contextFromTraceparent, endSpan, isTracing, startSpan, withSpan } from '../../telemetry/src/tracing.js';
import type { BackgroundService } from '../../lifecycle/src/background-service.js';
import { JobLogBuffer } from '../../job-logs/src/job-log-buffer.js';
import { logEntry, type JobLogLine } from '../../job-logs/src/job-log.js';

export type { NodeLogger } from './job-run.js';

/** The fallback poll when none is configured (CLAIM_POLL_SECONDS). */
export const DEFAULT_CLAIM_POLL_MS = 30_000;
/** setTimeout's longest delay; a scheduled time further away is re-armed by a later round. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export interface ExecutionNodeOptions {
  readonly nodeId: string;
  readonly capacity: number;
  readonly heartbeatSeconds: number;
  /**
   * While it holds no job and its last stored heartbeat said so too, the node stores one only
   * this often (its lease and the node list only need it live); defaults to `heartbeatSeconds`.
   */
  readonly idleHeartbeatSeconds?: number;
  /** How often a free node looks for queued jobs without being told of one: the fallback for a lost signal. */
  readonly pollIntervalMs?: number;
  /** At most one progress append per job per this interval (PROGRESS_MIN_INTERVAL); the job's stream is checked as often. */
  readonly progressMinIntervalMs?: number;
  /** Without a change of stage, a running job's progress is appended this often (PROGRESS_SECONDS). */
  readonly progressEveryMs?: number;
  /** How long a graceful cancellation may take before the runner is killed. */
  readonly cancelGraceMs?: number;
  /** A runner is replaced after this many jobs (RUNNER_MAX_JOBS). */
  readonly runnerMaxJobs?: number;
  /** A runner whose resident memory is above this after a job is replaced (RUNNER_MAX_RSS_MB). */
  readonly runnerMaxRssMb?: number;
  /** A runner not ready this long after its start is killed and replaced (RUNNER_READY_TIMEOUT_SECONDS). */
  readonly runnerReadyTimeoutMs?: number;
  /** Events of loaded logs each runner keeps for later jobs on the same dataset (RUNNER_LOG_CACHE_EVENTS). */
  readonly runnerLogCacheEvents?: number;
  /** Attempts a job may lose with its node (see RequeueJob); applies to the jobs this node hands back. */
  readonly maxLostAttempts: number;
  /** How the datasets a job produces are read to be registered: by default in this process; a node inside the API uses the API's import processes. */
  readonly describeDataset?: DescribeDataset;
}

/** The node's runner and progress settings from the service configuration. */
export function jobRunnerOptions(config: ServiceConfig): Partial<ExecutionNodeOptions> {
  return {
    runnerMaxJobs: config.runnerMaxJobs, runnerMaxRssMb: config.runnerMaxRssMb, runnerReadyTimeoutMs: config.runnerReadyTimeoutMs, runnerLogCacheEvents: config.runnerLogCacheEvents,
    progressMinIntervalMs: config.progressMinIntervalMs, progressEveryMs: config.progressEveryMs,
  };
}

/** Claim rounds in a row that may lose every candidate to other nodes before the round ends. */
const MAX_LOST_CLAIM_ROUNDS = 3;

export class ExecutionNode implements BackgroundService {
  readonly name = 'execution node';
  private readonly running = new Map<string, JobRun>();
  /** Jobs this node claimed and has not finished reporting: what its heartbeats list. */
  private readonly held = new Set<string>();
  private readonly cpu = new MachineCpuMeter();
  private claimTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Wakes the node when the earliest scheduled job falls due. */
  private scheduledTimer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  /** One claim round at a time; a wake during a round asks for exactly one more. */
  private claiming = false;
  private claimAgain = false;
  /**
   * Whether the scheduled timer stands for the earliest scheduled start: a job scheduled
   * sooner can only come with a queue signal (or be missed with one, hence the poll), so
   * only a round after a signal, the poll or the timer reads it again, not one after a job
   * of this node ended.
   */
  private scheduledStartKnown = false;
  /**
   * Jobs whose claim may be recorded without this node knowing it: the database went away
   * while the claim was appended, or before the job could be launched. Settled on the next
   * claim round, from the job's own stream.
   */
  private readonly uncertainClaims = new Set<string>();
  /** One heartbeat write at a time: an older list of jobs must never land after a newer one. */
  private heartbeating = false;
  private heartbeatRecordedAt: Date | null = null;
  /** What the last stored heartbeat said, so an idle node can leave an unchanged one unsaid. */
  private lastHeartbeatIdle = false;
  private lastHeartbeatDraining = false;
  private stopped = false;
  private draining = false;
  private readonly runners: RunnerPool;
  /** Log lines of all this node's jobs, stored together. */
  private readonly logs: JobLogBuffer;

  constructor(
    private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly options: ExecutionNodeOptions,
    private readonly logger: NodeLogger = console,
  ) {
    this.runners = new RunnerPool({
      size: options.capacity,
      maxJobsPerRunner: options.runnerMaxJobs ?? DEFAULT_RUNNER_MAX_JOBS,
      maxRssBytes: (options.runnerMaxRssMb ?? DEFAULT_RUNNER_MAX_RSS_MB) * 1024 * 1024,
      logCacheEvents: options.runnerLogCacheEvents ?? DEFAULT_RUNNER_LOG_CACHE_EVENTS,
      readyTimeoutMs: options.runnerReadyTimeoutMs ?? DEFAULT_RUNNER_READY_TIMEOUT_MS,
    }, logger);
    this.logs = new JobLogBuffer(stores.jobLogs, {}, logger);
  }

  /** When this node's last heartbeat was stored; null before the first (readiness reads it). */
  get lastHeartbeatAt(): Date | null {
    return this.heartbeatRecordedAt;
  }

  /** How often this node stores its heartbeat right now: longer while it is idle (readiness allows one such interval late). */
  get heartbeatIntervalSeconds(): number {
    return this.lastHeartbeatIdle ? this.idleHeartbeatSeconds : this.options.heartbeatSeconds;
  }

  private get idleHeartbeatSeconds(): number {
    return Math.max(this.options.heartbeatSeconds, this.options.idleHeartbeatSeconds ?? this.options.heartbeatSeconds);
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Pids of this node's job runner processes (busy, idle or starting). */
  get runnerPids(): number[] {
    return this.runners.pids;
  }

  /** Its job runners now and since start (for the metrics). */
  get runnerPoolState(): RunnerPoolState {
    return this.runners.state;
  }

  /** Pid of the runner a job of this node runs on; null when it runs on none here. */
  runnerPidOf(jobId: string): number | null {
    return this.running.get(jobId)?.runnerPid ?? null;
  }

  async start(): Promise<void> {
    this.runners.start(); // warm spares first: they load the engine while the node registers
    await this.requeueOrphans();
    await this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatSeconds * 1000);
    this.stopListening = await this.stores.queue.onJobQueued(() => this.wake());
    this.claimTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? DEFAULT_CLAIM_POLL_MS);
    this.wake();
  }

  /** Runs a claim round now, or exactly one more after the round in flight: a burst of wake-ups costs two rounds at most. */
  private wake(cause: 'signal' | 'ownJobEnded' = 'signal'): void {
    if (this.draining) return;
    if (cause !== 'ownJobEnded') this.scheduledStartKnown = false;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    void this.claimRounds();
  }

  private async claimRounds(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        await this.claim();
      } while (this.claimAgain && !this.draining);
    } finally {
      this.claiming = false;
    }
  }

  /**
   * Stops claiming; lets running jobs finish for `graceMs`, then stops their processes
   * and gives the jobs back to the queue so another node runs them.
   */
  async stop(graceMs = 0): Promise<void> {
    this.draining = true;
    if (this.claimTimer) clearInterval(this.claimTimer);
    if (this.scheduledTimer) clearTimeout(this.scheduledTimer);
    await this.stopListening?.().catch(() => undefined);
    const deadline = Date.now() + graceMs;
    while (this.running.size > 0 && Date.now() < deadline) await sleep(100);
    for (const job of this.running.values()) await job.handBack(this.options.maxLostAttempts);
    while (this.running.size > 0) await sleep(20);
    await this.runners.close();
    await this.logs.close();
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.stores.jobs.removeNode(this.nodeId).catch(() => undefined);
  }

  /**
   * Jobs recorded as running on this node id but not running here: a previous process
   * with the same id ended without handing them back. Requeue them now rather than
   * after the lease (this node's fresh heartbeats would keep that lease alive).
   */
  private async requeueOrphans(): Promise<void> {
    for (const job of await this.stores.jobs.runningJobs()) {
      if (job.nodeId !== this.nodeId || this.held.has(job.jobId)) continue;
      await this.repository.execute(job.jobId, {
        kind: 'RequeueJob', at: new Date().toISOString(), nodeId: this.nodeId, reason: 'its node restarted', nodeLost: true,
        maxLostAttempts: this.options.maxLostAttempts,
      }, this.metadata(), { retries: 0 }).catch(() => undefined); // already moved on: nothing to do
    }
  }

  private metadata(): CommandMetadata {
    return systemCommandMetadata(`node:${this.nodeId}`);
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped || this.heartbeating) return;
    const idle = this.held.size === 0 && this.running.size === 0 && this.uncertainClaims.size === 0;
    // Idle and already said so: only every idle interval (half a tick early rather than a tick late).
    if (idle && this.lastHeartbeatIdle && this.lastHeartbeatDraining === this.draining && this.heartbeatRecordedAt
      && Date.now() - this.heartbeatRecordedAt.getTime() + this.options.heartbeatSeconds * 500 < this.idleHeartbeatSeconds * 1000) return;
    this.heartbeating = true;
    try {
      const disk = await statfs(this.stores.files.root).catch(() => null);
      await this.stores.jobs.recordHeartbeat({
        nodeId: this.nodeId,
        jobCapacity: this.options.capacity,
        activeJobs: this.running.size,
        cpuPercent: this.cpu.sample(),
        cpuCores: os.availableParallelism(),
        memoryUsedBytes: os.totalmem() - os.freemem(),
        memoryTotalBytes: os.totalmem(),
        diskAvailableBytes: disk ? disk.bavail * disk.bsize : null,
        draining: this.draining,
        runningJobIds: [...this.held],
      });
      this.heartbeatRecordedAt = new Date();
      this.lastHeartbeatIdle = idle;
      this.lastHeartbeatDraining = this.draining;
    } catch (error) {
      this.logger.warn(`heartbeat failed: ${String(error)}`);
    } finally {
      this.heartbeating = false;
    }
  }

  /** One claim round (run through `wake`): claims due jobs while there is room, then waits for the next scheduled one. */
  private async claim(): Promise<void> {
    if (this.draining) return;
    try {
      await this.settleUncertainClaims();
      // Up to the free capacity per round trip; a round that only lost races looks again, a few times.
      for (let lostRounds = 0; this.running.size < this.options.capacity && !this.draining && lostRounds < MAX_LOST_CLAIM_ROUNDS;) {
        let attempted: readonly string[] = [];
        let outcome: ClaimOutcome;
        try {
          outcome = await claimQueuedJobs(this.stores.jobs, this.repository, {
            nodeId: this.nodeId, limit: this.options.capacity - this.running.size, now: new Date(), metadata: () => this.metadata(),
            skip: (jobId) => this.held.has(jobId),
            // Listed before the claims are appended, so no heartbeat after a claim can omit it.
            beforeAppend: (jobIds) => {
              attempted = jobIds;
              for (const jobId of jobIds) this.held.add(jobId);
            },
          }, this.stores.tenantRunningGate);
        } catch (error) {
          for (const jobId of attempted) {
            this.held.delete(jobId);
            if (isDatabaseUnavailable(error)) this.uncertainClaims.add(jobId);
          }
          throw error;
        }
        for (const jobId of outcome.lost) this.held.delete(jobId); // another node won it, or it changed meanwhile
        for (const jobId of outcome.uncertain) {
          this.held.delete(jobId);
          this.uncertainClaims.add(jobId);
        }
        for (const state of outcome.claimed) {
          await this.launch(state).catch((error: unknown) => {
            if (isDatabaseUnavailable(error)) this.uncertainClaims.add(state.jobId);
            else return this.failToLaunch(state, error);
          });
          if (!this.running.has(state.jobId)) this.held.delete(state.jobId); // ended without a runner
        }
        if (outcome.claimed.length > 0) lostRounds = 0;
        else if (outcome.lost.length > 0) lostRounds += 1;
        else break;
      }
      if (this.running.size < this.options.capacity && !this.draining && !this.scheduledStartKnown) await this.wakeWhenScheduledJobIsDue();
    } catch (error) {
      this.logger.warn(`claim failed: ${String(error)}`);
    }
  }

  /** Arms the timer for the earliest scheduled job still to come; a job scheduled later is learnt of by its own signal. */
  private async wakeWhenScheduledJobIsDue(): Promise<void> {
    this.scheduledStartKnown = true; // a signal during the read clears it again
    const next = await this.stores.jobs.nextScheduledStart(new Date()).catch((error: unknown) => {
      this.scheduledStartKnown = false;
      throw error;
    });
    if (this.scheduledTimer) clearTimeout(this.scheduledTimer);
    this.scheduledTimer = null;
    if (!next || this.draining) return;
    this.scheduledTimer = setTimeout(() => {
      this.scheduledTimer = null;
      this.wake();
    }, Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - Date.now())));
  }

  /** A job this node claimed but does not run goes back to the queue (until then it would sit Running here). */
  private async settleUncertainClaims(): Promise<void> {
    for (const jobId of [...this.uncertainClaims]) {
      if (!this.running.has(jobId)) {
        const state = await this.repository.load(jobId);
        if (state?.status === 'Running' && state.nodeId === this.nodeId) {
          await this.repository.execute(jobId, {
            kind: 'RequeueJob', at: new Date().toISOString(), nodeId: this.nodeId,
            reason: 'its start was interrupted by a database outage', nodeLost: false, maxLostAttempts: this.options.maxLostAttempts,
          }, this.metadata(), { retries: 0, known: state }).catch((error: unknown) => {
            if (isDatabaseUnavailable(error)) throw error; // still unknown: try again next round
          });
        }
      }
      this.uncertainClaims.delete(jobId);
    }
  }

  /** A claimed job that could not be started (no folder, no process) must not stay Running on this node. */
  private async failToLaunch(state: JobState, error: unknown): Promise<void> {
    this.logger.warn(`job ${state.jobId} could not start: ${error instanceof Error ? error.stack : String(error)}`);
    const message = `the job could not be started on ${this.nodeId}: ${error instanceof Error ? error.message : String(error)}`;
    await this.repository.execute(state.jobId, {
      kind: 'FailJob', nodeId: this.nodeId, at: new Date().toISOString(), errorType: 'ExecutionError', message,
      failure: classified('TransientIO'),
    }, this.metadata(), { retries: 3, logLines: this.failureLog(state.jobId, 'ExecutionError', message) })
      .catch((e) => this.logger.warn(`fail job ${state.jobId}: ${String(e)}`));
  }

  /** With tracing on, the run is a span of the submission's trace (its traceparent is in the JobSubmitted metadata). */
  private async launch(state: JobState): Promise<void> {
    if (!isTracing()) return this.launchRun(state);
    const [submitted] = await this.stores.events.readStream(jobStreamId(state.jobId)); // a claimed job's stream is a few events long
    const span = startSpan('job run', {
      attributes: { 'pm.job.id': state.jobId, 'pm.job.type': state.jobType, 'pm.node.id': this.nodeId },
      parent: contextFromTraceparent(submitted?.metadata.traceparent),
    });
    try {
      await withSpan(span, () => this.launchRun(state));
    } catch (error) {
      endSpan(span, String(error));
      throw error;
    }
    const run = this.running.get(state.jobId);
    if (!run) return endSpan(span);
    void run.ended.then(() => endSpan(span));
  }

  private async launchRun(state: JobState): Promise<void> {
    const datasetId = String(state.parameters.datasetId ?? '').toLowerCase();
    const dataset = await this.stores.datasets.get(state.tenantId, state.projectId, datasetId);
    if (!dataset) {
      const message = `dataset ${datasetId} not found in this project`;
      await this.repository.execute(state.jobId, {
        kind: 'FailJob', nodeId: this.nodeId, at: new Date().toISOString(), errorType: 'InvalidInput', message, failure: classified('DatasetUnreadable'),
      }, this.metadata(), { retries: 0, known: state, logLines: this.failureLog(state.jobId, 'InvalidInput', message) })
        .catch((e) => this.logger.warn(`fail job ${state.jobId}: ${String(e)}`));
      return;
    }
    // A conformance job's uploaded model is resolved like its dataset (the engine never sees the registry).
    const modelId = typeof state.parameters.modelId === 'string' ? state.parameters.modelId.toLowerCase() : null;
    const processModel = modelId ? await this.stores.models.get(state.tenantId, state.projectId, modelId) : null;
    if (modelId && !processModel) {
      const message = `process model ${modelId} not found in this project`;
      await this.repository.execute(state.jobId, {
        kind: 'FailJob', nodeId: this.nodeId, at: new Date().toISOString(), errorType: 'InvalidInput', message, failure: classified('InvalidParameters'),
      }, this.metadata(), { retries: 0, known: state, logLines: this.failureLog(state.jobId, 'InvalidInput', message) })
        .catch((e) => this.logger.warn(`fail job ${state.jobId}: ${String(e)}`));
      return;
    }
    const ingested = ingestedLogPath(this.stores.files, dataset);
    const outputDir = this.stores.files.attemptOutputDir(state.tenantId, state.projectId, attemptOutputFolder(state));
    const run = new JobRun(state, outputDir, {
      nodeId: this.nodeId, repository: this.repository, events: this.stores.events, files: this.stores.files,
      datasets: this.datasetRegistration, pool: this.runners, logger: this.logger, logs: this.logs,
      timing: {
        progressMinIntervalMs: this.options.progressMinIntervalMs ?? DEFAULT_PROGRESS_MIN_INTERVAL_MS,
        progressEveryMs: this.options.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
        cancelGraceMs: this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS,
      },
      metadata: () => this.metadata(),
      isDraining: () => this.draining,
    });
    this.running.set(state.jobId, run);
    try {
      await run.start({
        jobType: state.jobType as MiningJobType,
        parameters: state.parameters,
        dataset: {
          path: datasetFilePath(this.stores.files, dataset), format: dataset.format, columns: dataset.columnMapping, expectedRecords: dataset.rowCount,
          ...(ingested !== null && { ingestedPath: ingested }),
        },
        ...(processModel && {
          processModel: { path: processModelFilePath(this.stores.files, processModel), format: processModel.format, modelId: processModel.modelId, name: processModel.name },
        }),
        outputDir,
        title: state.jobName,
      }, state.parameters.increaseMemoryLimit === true ? LARGE_HEAP_MB : DEFAULT_HEAP_MB);
    } catch (error) {
      this.running.delete(state.jobId);
      throw error;
    }
    this.logger.log(`job ${state.jobId} (${state.jobType}) started on ${this.nodeId}, runner pid ${run.runnerPid}`);
    void run.ended.then(() => {
      this.running.delete(state.jobId);
      this.held.delete(state.jobId);
      this.wake('ownJobEnded'); // capacity freed here
    });
  }

  /** The log of a claimed job that failed before it ran (stored with its JobFailed, where the writer can). */
  private failureLog(jobId: string, errorType: string, message: string): JobLogLine[] {
    const line = logEntry('ERROR', 'ExecutionNode', 'Initialization', `Failed on node ${this.nodeId} before it ran (${errorType}): ${message}`, {
      nodeId: this.nodeId, errorType,
    });
    return [{ ...line, jobId }];
  }

  /** Files a job produced become datasets of its project: a copy under uploads/, registered like an upload. */
  private readonly datasetRegistration: DatasetRegistration = {
    registerJobOutput: async (job, file, artifact) => {
      const copy = path.join(this.stores.files.root, 'uploads', `${randomUUID()}-${artifact.fileName}`);
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(file, copy);
      const dataset = await registerDatasetFromFile(this.stores.files, this.stores.datasets, {
        tenantId: job.tenantId, projectId: job.projectId, filePath: copy, originalName: artifact.fileName,
        name: artifact.title, columns: {}, createdBy: job.submittedBy, sourceJobId: job.jobId,
      }, this.options.describeDataset);
      return dataset.datasetId;
    },
  };
}

