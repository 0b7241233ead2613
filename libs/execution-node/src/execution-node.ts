/**
 * An execution node: claims queued jobs up to its capacity, runs each in a child
 * process, reports measured progress, and ends the job with its outcome. The claim
 * is an append of JobStarted at the stream's revision: two nodes racing for one job
 * cannot both win. Every later append is fenced the same way, so a node that lost its
 * lease (its job was requeued) or whose job was cancelled or timed out learns it on
 * its next report and stops the process. Each heartbeat lists the jobs the node holds,
 * so the supervisor requeues a job the node has dropped; each attempt writes into a
 * folder of its own, so a stale node never touches the files of the attempt that won.
 * A free node claims when it is told a job was queued (the store's queue signals), when
 * the earliest scheduled job falls due, and when one of its own jobs ends; its poll is only
 * a slow fallback for a lost signal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { isDatabaseUnavailable } from '../../event-store/src/postgres/sql-client.js';
import { datasetFilePath, registerDatasetFromFile } from '../../datasets/src/register-dataset.js';
import {
  FIGURES_ARTIFACT_TYPE, JobRepository, JobRuleViolation, systemCommandMetadata,
  type CommandMetadata, type JobArtifact, type JobCommand, type JobOutcome, type JobState,
} from '../../job-domain/src/index.js';
import type {
  JobExecutionResult, MiningJobType, ProducedArtifact, ProgressReport,
} from '../../mining/src/job-execution.contract.js';
import type { Stores } from '../../storage/src/open-stores.js';
import { claimQueuedJobs, type ClaimOutcome } from './claim-queued-jobs.js';
import type { ChildMessage, ChildUsage } from './job-process.js';
import { MachineCpuMeter, cpuPercentBetween, sampleProcess, type ProcessSample } from './process-usage.js';

const FIGURES_FILE = 'figures.json';
/** Pause between attempts to record a job's end while the database is unreachable. */
const END_RETRY_MS = 1000;
/** The fallback poll when none is configured (CLAIM_POLL_SECONDS). */
export const DEFAULT_CLAIM_POLL_MS = 5000;
/** setTimeout's longest delay; a scheduled time further away is re-armed by a later round. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ExecutionNodeOptions {
  readonly nodeId: string;
  readonly capacity: number;
  readonly heartbeatSeconds: number;
  /** How often a free node looks for queued jobs without being told of one: the fallback for a lost signal. */
  readonly pollIntervalMs?: number;
  /** How often a running job's measured progress is appended. */
  readonly progressIntervalMs?: number;
  /** How long a graceful cancellation may take before the process is killed. */
  readonly cancelGraceMs?: number;
  /** Attempts a job may lose with its node (see RequeueJob); applies to the jobs this node hands back. */
  readonly maxLostAttempts: number;
}

/** Final reports (completed, failed, cancelled) are retried this often, with doubling pauses, before the job is dropped. */
const FINAL_REPORT_ATTEMPTS = 8;
const FINAL_REPORT_FIRST_PAUSE_MS = 250;
const FINAL_REPORT_MAX_PAUSE_MS = 5000;
/** Claim rounds in a row that may lose every candidate to other nodes before the round ends. */
const MAX_LOST_CLAIM_ROUNDS = 3;

export interface NodeLogger {
  log(message: string): void;
  warn(message: string): void;
}

interface RunningJob {
  state: JobState;
  child: ChildProcess;
  outputDir: string;
  startedAt: number;
  lastSample: ProcessSample | null;
  peakRss: number;
  progress: ProgressReport | null;
  stopping: 'cancel' | 'abandon' | 'timeout' | null;
  result: JobExecutionResult | null;
  failure: { errorType: string; message: string } | null;
  /** The process's own totals, sent with its last message; null when it was stopped before. */
  ownUsage: ChildUsage | null;
  ticker: NodeJS.Timeout;
  timeout: NodeJS.Timeout | null;
  reporting: Promise<void>;
}

const JOB_PROCESS = fileURLToPath(new URL('./job-process.js', import.meta.url));

export class ExecutionNode {
  private readonly running = new Map<string, RunningJob>();
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
   * Jobs whose claim may be recorded without this node knowing it: the database went away
   * while the claim was appended, or before the job could be launched. Settled on the next
   * claim round, from the job's own stream.
   */
  private readonly uncertainClaims = new Set<string>();
  /** One heartbeat write at a time: an older list of jobs must never land after a newer one. */
  private heartbeating = false;
  private stopped = false;
  private draining = false;

  constructor(
    private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly options: ExecutionNodeOptions,
    private readonly logger: NodeLogger = console,
  ) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  async start(): Promise<void> {
    await this.requeueOrphans();
    await this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatSeconds * 1000);
    this.stopListening = await this.stores.queue.onJobQueued(() => this.wake());
    this.claimTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? DEFAULT_CLAIM_POLL_MS);
    this.wake();
  }

  /** Runs a claim round now, or exactly one more after the round in flight: a burst of wake-ups costs two rounds at most. */
  private wake(): void {
    if (this.draining) return;
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
    for (const job of this.running.values()) {
      job.stopping = 'abandon';
      job.child.kill('SIGKILL');
      await this.send(job, {
        kind: 'RequeueJob', at: new Date().toISOString(), nodeId: this.nodeId, reason: 'node shut down',
        nodeLost: false, maxLostAttempts: this.options.maxLostAttempts,
      }).catch(() => undefined);
    }
    while (this.running.size > 0) await sleep(20);
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
          });
        } catch (error) {
          for (const jobId of attempted) {
            this.held.delete(jobId);
            if (isDatabaseUnavailable(error)) this.uncertainClaims.add(jobId);
          }
          throw error;
        }
        for (const jobId of outcome.lost) this.held.delete(jobId); // another node won it, or it changed meanwhile
        for (const state of outcome.claimed) {
          await this.launch(state).catch((error: unknown) => {
            if (isDatabaseUnavailable(error)) this.uncertainClaims.add(state.jobId);
            else return this.failToLaunch(state, error);
          });
          if (!this.running.has(state.jobId)) this.held.delete(state.jobId); // ended without a process
        }
        if (outcome.claimed.length > 0) lostRounds = 0;
        else if (outcome.lost.length > 0) lostRounds += 1;
        else break;
      }
      if (this.running.size < this.options.capacity && !this.draining) await this.wakeWhenScheduledJobIsDue();
    } catch (error) {
      this.logger.warn(`claim failed: ${String(error)}`);
    }
  }

  /** Arms the timer for the earliest scheduled job still to come; a job scheduled later is learnt of by its own signal. */
  private async wakeWhenScheduledJobIsDue(): Promise<void> {
    const next = await this.stores.jobs.nextScheduledStart(new Date());
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
    await this.repository.execute(state.jobId, {
      kind: 'FailJob', nodeId: this.nodeId, at: new Date().toISOString(), errorType: 'ExecutionError',
      message: `the job could not be started on ${this.nodeId}: ${error instanceof Error ? error.message : String(error)}`,
    }, this.metadata(), { retries: 3 }).catch((e) => this.logger.warn(`fail job ${state.jobId}: ${String(e)}`));
  }

  private async launch(state: JobState): Promise<void> {
    const datasetId = String(state.parameters.datasetId ?? '').toLowerCase();
    const dataset = await this.stores.datasets.get(state.tenantId, state.projectId, datasetId);
    if (!dataset) {
      await this.repository.execute(state.jobId, {
        kind: 'FailJob', nodeId: this.nodeId, at: new Date().toISOString(), errorType: 'InvalidInput',
        message: `dataset ${datasetId} not found in this project`,
      }, this.metadata(), { retries: 0, known: state }).catch((e) => this.logger.warn(`fail job ${state.jobId}: ${String(e)}`));
      return;
    }
    const outputDir = await this.stores.files.prepareAttemptOutputDir(state.tenantId, state.projectId, state.jobId, attemptFolder(state));
    const heapMb = state.parameters.increaseMemoryLimit === true ? 8192 : 4096;
    const child = fork(JOB_PROCESS, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const job: RunningJob = {
      state, child, outputDir, startedAt: Date.now(), lastSample: null, peakRss: 0, progress: null,
      stopping: null, result: null, failure: null, ownUsage: null, reporting: Promise.resolve(),
      ticker: setInterval(() => this.queueReport(job), this.options.progressIntervalMs ?? 1000),
      timeout: null,
    };
    const timeoutMs = state.scheduling.timeoutMinutes * 60_000 - (Date.now() - Date.parse(state.startedAt ?? new Date().toISOString()));
    job.timeout = setTimeout(() => this.timeOut(job), Math.max(0, timeoutMs));
    this.running.set(state.jobId, job);
    this.logger.log(`job ${state.jobId} (${state.jobType}) started on ${this.nodeId}`);
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'progress') {
        job.progress = message.progress;
        return;
      }
      job.ownUsage = message.usage;
      if (message.kind === 'result') job.result = message.result;
      else job.failure = { errorType: message.errorType, message: message.message };
    });
    // A failed signal or IPC send to a dying child must not take the node down; its 'close' still ends the job.
    child.on('error', (error) => this.logger.warn(`job ${state.jobId} process: ${String(error)}`));
    // 'close', not 'exit': 'exit' can come before the last IPC message (the result) is handled.
    child.once('close', (code, signal) => void this.finish(job, code, signal));
    child.send({
      request: {
        jobType: state.jobType as MiningJobType,
        parameters: state.parameters,
        dataset: { path: datasetFilePath(this.stores.files, dataset), format: dataset.format, columns: dataset.columnMapping },
        outputDir,
        title: state.jobName,
      },
    });
    void this.sample(job);
  }

  private async sample(job: RunningJob): Promise<ProcessSample | null> {
    if (job.child.pid === undefined) return null;
    const s = await sampleProcess(job.child.pid);
    if (s) {
      job.peakRss = Math.max(job.peakRss, s.rssBytes);
      const previous = job.lastSample;
      job.lastSample = s;
      return previous;
    }
    return null;
  }

  /** Reports run one after another so their expected revisions chain. */
  private queueReport(job: RunningJob): void {
    job.reporting = job.reporting.then(() => this.report(job)).catch((e) => this.logger.warn(`report ${job.state.jobId}: ${String(e)}`));
  }

  private async report(job: RunningJob): Promise<void> {
    if (job.stopping || job.result || job.failure) return;
    const previous = await this.sample(job);
    const current = job.lastSample;
    const p = job.progress;
    const diskBytes = await this.stores.files.folderBytes(job.outputDir);
    await this.send(job, {
      kind: 'ReportProgress',
      nodeId: this.nodeId,
      progress: {
        percentage: p?.percentage ?? 0,
        currentStage: p?.currentStage ?? 'Starting',
        recordsProcessed: p?.recordsProcessed ?? 0,
        totalRecords: p?.totalRecords ?? null,
        errorCount: p?.errorCount ?? 0,
        warningCount: p?.warningCount ?? 0,
        usage: {
          memoryBytes: current?.rssBytes ?? null,
          cpuPercent: previous && current ? cpuPercentBetween(previous, current) : null,
          diskBytes,
        },
        reportedAt: new Date().toISOString(),
      },
    });
  }

  /**
   * Appends a command for a running job on top of the state this node knows. When
   * someone else appended meanwhile (cancellation, timeout, requeue), reloads and
   * reacts instead of overwriting.
   */
  private async send(job: RunningJob, command: JobCommand): Promise<void> {
    try {
      const result = await this.repository.execute(job.state.jobId, command, this.metadata(), { retries: 0, known: job.state });
      job.state = result.state;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) && !(error instanceof JobRuleViolation)) throw error;
      const fresh = await this.repository.load(job.state.jobId);
      if (!fresh) return;
      job.state = fresh;
      if (fresh.status !== 'Running' || fresh.nodeId !== this.nodeId) {
        this.stopProcess(job, 'abandon', true);
        return;
      }
      if (fresh.cancellation && job.stopping !== 'cancel') {
        this.stopProcess(job, 'cancel', fresh.cancellation.forceTermination);
        return;
      }
      if (command.kind !== 'ReportProgress') await this.send(job, command); // plain race with our own report: try once more
    }
  }

  private stopProcess(job: RunningJob, reason: 'cancel' | 'abandon' | 'timeout', force: boolean): void {
    job.stopping = reason;
    if (job.child.exitCode !== null || job.child.signalCode !== null) return;
    job.child.kill(force ? 'SIGKILL' : 'SIGTERM');
    if (!force) {
      setTimeout(() => {
        if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGKILL');
      }, this.options.cancelGraceMs ?? 5000).unref();
    }
  }

  private timeOut(job: RunningJob): void {
    if (job.result || job.stopping) return;
    this.stopProcess(job, 'timeout', true);
  }

  private async finish(job: RunningJob, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    clearInterval(job.ticker);
    if (job.timeout) clearTimeout(job.timeout);
    await job.reporting;
    try {
      // Built once, so its outcome (artifact ids, wall time) is the one measured.
      const command = await this.whileDatabaseAway(job, () => this.finalCommand(job, code, signal));
      if (command) await this.appendFinal(job, command);
      // Only the attempt whose files the job's outcome points at keeps them.
      const published = job.state.status !== 'Running' && job.state.status !== 'Queued'
        && job.state.outcome?.attemptFolder === path.basename(job.outputDir);
      if (!published) await rm(job.outputDir, { recursive: true, force: true });
      this.logger.log(`job ${job.state.jobId} ended on ${this.nodeId}: ${job.state.status}`);
    } catch (error) {
      this.logger.warn(`ending job ${job.state.jobId} failed: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      this.running.delete(job.state.jobId);
      this.held.delete(job.state.jobId);
      this.wake(); // capacity freed here
    }
  }

  /**
   * Runs `step` again while it fails only because the database is away (a restart): the job
   * stays Running until its end is recorded, so giving up would leave it with nobody running it.
   */
  private async whileDatabaseAway<T>(job: RunningJob, step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.draining) throw error;
        this.logger.warn(`ending job ${job.state.jobId}: database unavailable, will retry: ${String(error)}`);
        await sleep(END_RETRY_MS);
      }
    }
  }

  /**
   * How this attempt ends. A computed result is always reported (decide turns it into
   * JobCancelled when a cancellation arrived meanwhile); null when the job is no longer ours.
   */
  private async finalCommand(job: RunningJob, code: number | null, signal: NodeJS.Signals | null): Promise<JobCommand | null> {
    const at = new Date().toISOString();
    if (job.stopping === 'abandon') return null;
    if (job.result) return { kind: 'CompleteJob', nodeId: this.nodeId, at, outcome: await this.outcome(job, job.result) };
    if (job.stopping === 'cancel') {
      const preserve = job.state.cancellation?.preservePartialResults ?? false;
      return { kind: 'ConfirmCancellation', nodeId: this.nodeId, at, partialOutcome: preserve ? await this.partialOutcome(job) : null };
    }
    if (job.stopping === 'timeout') {
      return {
        kind: 'FailJob', nodeId: this.nodeId, at, errorType: 'Timeout',
        message: `the job exceeded its timeout of ${job.state.scheduling.timeoutMinutes} minutes and was stopped`,
        outcome: await this.partialOutcome(job),
      };
    }
    const failure = job.failure ?? {
      errorType: 'ExecutionError',
      message: `the job process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`,
    };
    return { kind: 'FailJob', nodeId: this.nodeId, at, ...failure, outcome: await this.partialOutcome(job) };
  }

  /**
   * Appends the job's ending. A conflict is decided again on the fresh state (the rules
   * then honour a cancellation or timeout that came first); a refusal means the job is
   * no longer ours; any other failure (the database briefly away) is retried with
   * back-off. One causation id for every try: a try whose outcome was lost is stored once.
   */
  private async appendFinal(job: RunningJob, command: JobCommand): Promise<void> {
    const metadata = this.metadata();
    for (let attempt = 1; ; attempt++) {
      try {
        job.state = (await this.repository.execute(job.state.jobId, command, metadata, { retries: 5 })).state;
        return;
      } catch (error) {
        if (error instanceof JobRuleViolation) {
          this.logger.log(`job ${job.state.jobId}: ${command.kind} refused (${error.message})`);
          job.state = (await this.repository.load(job.state.jobId).catch(() => null)) ?? job.state;
          return;
        }
        // A database outage (a restart) is waited out without counting against the attempts.
        if (isDatabaseUnavailable(error) && !this.draining) {
          this.logger.warn(`job ${job.state.jobId}: ${command.kind}: database unavailable, will retry`);
          attempt -= 1;
          await sleep(END_RETRY_MS);
          continue;
        }
        if (attempt >= FINAL_REPORT_ATTEMPTS) throw error;
        const pauseMs = Math.min(FINAL_REPORT_MAX_PAUSE_MS, FINAL_REPORT_FIRST_PAUSE_MS * 2 ** (attempt - 1));
        this.logger.warn(`job ${job.state.jobId}: ${command.kind} failed (${String(error)}); try ${attempt + 1} in ${pauseMs} ms`);
        await sleep(pauseMs);
      }
    }
  }

  /**
   * Totals of the job's process: its own figures sent with its result when it got that
   * far, else the last outside sample (the counters only grow). null where neither measured.
   */
  private execution(job: RunningJob): JobOutcome['execution'] {
    const own = job.ownUsage;
    const last = job.lastSample;
    const cpu = Math.max(own?.cpuSeconds ?? -1, last?.cpuSeconds ?? -1);
    const peak = Math.max(job.peakRss, own?.maxRssBytes ?? 0);
    return {
      cpuTimeSeconds: cpu >= 0 ? Math.round(cpu * 1000) / 1000 : null,
      wallTimeSeconds: (Date.now() - job.startedAt) / 1000,
      peakMemoryBytes: peak > 0 ? peak : null,
      diskIoOperations: own?.ioOperations ?? null,
      diskBytesWritten: own?.bytesWritten ?? last?.bytesWritten ?? null,
    };
  }

  private async outcome(job: RunningJob, result: JobExecutionResult): Promise<JobOutcome> {
    await writeFile(path.join(job.outputDir, FIGURES_FILE), JSON.stringify(result.figures));
    const produced: ProducedArtifact[] = [
      ...result.artifacts,
      { type: FIGURES_ARTIFACT_TYPE, title: `${job.state.jobName}: all figures (JSON)`, format: 'json', fileName: FIGURES_FILE, outputType: 'data' },
    ];
    const artifacts: JobArtifact[] = [];
    for (const a of produced) {
      const file = path.join(job.outputDir, a.fileName);
      let datasetId: string | undefined;
      if (a.registerAsDataset) {
        const copy = path.join(this.stores.files.root, 'uploads', `${randomUUID()}-${a.fileName}`);
        await mkdir(path.dirname(copy), { recursive: true });
        await copyFile(file, copy);
        const dataset = await registerDatasetFromFile(this.stores.files, this.stores.datasets, {
          tenantId: job.state.tenantId, projectId: job.state.projectId, filePath: copy, originalName: a.fileName,
          name: a.title, columns: {}, createdBy: job.state.submittedBy, sourceJobId: job.state.jobId,
        });
        datasetId = dataset.datasetId;
      }
      artifacts.push({
        artifactId: randomUUID(), fileName: a.fileName, type: a.type, title: a.title, format: a.format,
        outputType: a.outputType, sizeBytes: (await stat(file)).size, primary: a.primary === true,
        ...(a.recordCount !== undefined ? { recordCount: a.recordCount } : {}),
        ...(a.accuracy !== undefined && a.accuracy !== null ? { accuracy: a.accuracy } : {}),
        ...(a.metrics ? { metrics: a.metrics } : {}),
        ...(datasetId ? { datasetId } : {}),
      });
    }
    return {
      attemptFolder: attemptFolder(job.state),
      recordsProcessed: result.recordsProcessed,
      totalRecords: result.totalRecords,
      dataQualityScore: result.dataQualityScore,
      dataValidation: result.dataValidation,
      warnings: result.warnings,
      processingErrors: result.processingErrors,
      artifacts,
      execution: this.execution(job),
    };
  }

  /** What a stopped job left in its folder, listed as partial outputs. */
  private async partialOutcome(job: RunningJob): Promise<JobOutcome> {
    const files = await readdir(job.outputDir).catch(() => [] as string[]);
    const artifacts: JobArtifact[] = [];
    for (const fileName of files) {
      const format = path.extname(fileName).slice(1) || 'bin';
      artifacts.push({
        artifactId: randomUUID(), fileName, type: 'PartialOutput', title: `Partial output ${fileName}`, format,
        outputType: format === 'svg' ? 'visualizations' : format === 'html' ? 'reports' : 'data',
        sizeBytes: (await stat(path.join(job.outputDir, fileName))).size, primary: false,
      });
    }
    const p = job.progress;
    return {
      attemptFolder: attemptFolder(job.state),
      recordsProcessed: p?.recordsProcessed ?? 0, totalRecords: p?.totalRecords ?? 0, dataQualityScore: null,
      dataValidation: null, warnings: [], processingErrors: [], artifacts, execution: this.execution(job),
    };
  }
}

/** The folder of the attempt a claim started, named by the revision of its JobStarted. */
function attemptFolder(state: JobState): string {
  if (state.claimRevision === null) throw new Error(`job ${state.jobId} is not claimed`);
  return `attempt-${state.claimRevision}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
