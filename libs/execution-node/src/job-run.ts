/**
 * One claimed job on this node, from handing it to a runner to recording its end: the
 * runner's messages, measured progress (appended at a bounded rate), cancellation and
 * timeout (by stopping the runner), and the final report, retried while the database is
 * away. Every append is fenced by the stream's revision, so a job this node lost (requeued,
 * cancelled, timed out by the supervisor) is learnt of on the next append or check and
 * its runner stopped.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { WrongExpectedRevisionError, type EventStore } from '../../event-store/src/event-store.port.js';
import { isDatabaseUnavailable } from '../../event-store/src/postgres/sql-client.js';
import type { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import {
  JobRepository, JobRuleViolation, classified, jobStreamId, type FailureClassification, type CommandMetadata, type JobCommand, type JobState,
} from '../../job-domain/src/index.js';
import type { JobExecutionRequest, ProgressReport } from '../../mining/src/job-execution.contract.js';
import { completedOutcome, partialOutcome, type AttemptMeasurements, type DatasetRegistration } from './job-outcome.js';
import type { FinishedJob, JobUsage, RunnerMessage } from './job-runner-process.js';
import { cpuPercentBetween, sampleProcess, type ProcessSample } from './process-usage.js';
import type { JobRunner, RunnerListener, RunnerPool } from './runner-pool.js';
import { logEntry, type JobLogBuffer, type JobLogEntry } from '../../job-logs/src/index.js';

/** Pause between attempts to record a job's end while the database is unreachable. */
const END_RETRY_MS = 1000;
/** Final reports (completed, failed, cancelled) are retried this often, with doubling pauses, before the job is dropped. */
const FINAL_REPORT_ATTEMPTS = 8;
const FINAL_REPORT_FIRST_PAUSE_MS = 250;
const FINAL_REPORT_MAX_PAUSE_MS = 5000;

/** Defaults of PROGRESS_MIN_INTERVAL and PROGRESS_SECONDS. */
export const DEFAULT_PROGRESS_MIN_INTERVAL_MS = 1000;
export const DEFAULT_PROGRESS_EVERY_MS = 5000;
export const DEFAULT_CANCEL_GRACE_MS = 5000;

export interface NodeLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface JobRunTiming {
  /** At most one JobProgressed per this interval; also how often the job's stream is checked for a cancellation. */
  readonly progressMinIntervalMs: number;
  /** Without a change of stage, progress is appended this often. */
  readonly progressEveryMs: number;
  /** How long a graceful cancellation may take before the runner is killed. */
  readonly cancelGraceMs: number;
}

export interface JobRunDependencies {
  readonly nodeId: string;
  readonly repository: JobRepository;
  readonly events: EventStore;
  readonly files: ArtifactStore;
  readonly datasets: DatasetRegistration;
  readonly pool: RunnerPool;
  readonly logger: NodeLogger;
  readonly timing: JobRunTiming;
  /** The node's shared buffer of job log lines. */
  readonly logs: JobLogBuffer;
  metadata(): CommandMetadata;
  /** The node is shutting down: an outage is no longer waited out. */
  isDraining(): boolean;
}

type StopReason = 'cancel' | 'abandon' | 'timeout';

export class JobRun implements RunnerListener {
  private runner: JobRunner | null = null;
  private readonly startedAt = Date.now();
  private baseline: ProcessSample | null = null;
  private lastSample: ProcessSample | null = null;
  private peakRss = 0;
  private progress: ProgressReport | null = null;
  private stopping: StopReason | null = null;
  private result: FinishedJob | null = null;
  private failure: { errorType: string; message: string; failure: FailureClassification } | null = null;
  private usage: JobUsage | null = null;
  /** The last JobProgressed appended (the claim counts as the first, at stage Starting). */
  private lastReport: { at: number; stage: string } = { at: this.startedAt, stage: 'Starting' };
  private ticker: NodeJS.Timeout | null = null;
  private timeout: NodeJS.Timeout | null = null;
  /** Progress appends and checks run one after another, so their expected revisions chain. */
  private reporting: Promise<void> = Promise.resolve();
  private ending = false;
  /** Aborted when the job is to stop (cancelled, timed out, no longer ours, node shutting down): ends a wait for its runner. */
  private readonly stopRequested = new AbortController();
  private resolveEnded: () => void = () => undefined;
  /** Resolves once the job's end is recorded (or given up) and its folder settled. */
  readonly ended = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  constructor(public state: JobState, readonly outputDir: string, private readonly deps: JobRunDependencies) {}

  get jobId(): string {
    return this.state.jobId;
  }

  /** Pid of the runner the job is on (null before it has one). */
  get runnerPid(): number | null {
    return this.runner?.pid ?? null;
  }

  /**
   * Hands the job to a ready runner with the heap it needs; throws when none could be started.
   * The job is watched from its claim on: one still waiting for its runner hears a
   * cancellation, a lost claim, its timeout or the node's shutdown, and ends without it.
   */
  async start(request: JobExecutionRequest, heapMb: number): Promise<void> {
    const timeoutMs = this.state.scheduling.timeoutMinutes * 60_000 - (Date.now() - Date.parse(this.state.startedAt ?? new Date().toISOString()));
    this.timeout = setTimeout(() => this.timeOut(), Math.max(0, timeoutMs));
    this.ticker = setInterval(() => this.queue(() => this.tick()), this.deps.timing.progressMinIntervalMs);
    let runner: JobRunner | null;
    try {
      runner = await this.deps.pool.acquire(heapMb, this.stopRequested.signal);
    } catch (error) {
      clearInterval(this.ticker);
      clearTimeout(this.timeout);
      throw error;
    }
    if (runner && this.stopping) {
      await this.deps.pool.release(runner);
      runner = null;
    }
    if (!runner) {
      // Stopped before its runner was ready: it never ran here.
      this.log('WARN', 'Initialization', `Stopped before a job runner was ready: ${this.stopReasonText(this.stopping!)}`, { reason: this.stopping });
      void this.end(null, null);
      return;
    }
    this.runner = runner;
    // The runner is reused: its counters at the start are the baseline of this job's figures,
    // as it reported them when it was ready or ended its last job (it has been idle since).
    this.baseline = runner.lastTotals ?? sampleProcess(runner.pid!);
    if (this.baseline) this.peakRss = this.baseline.rssBytes;
    this.log('INFO', 'Initialization', `Claimed by node ${this.deps.nodeId}; running on job runner pid ${runner.pid}`, {
      nodeId: this.deps.nodeId, runnerPid: runner.pid ?? null, requeueCount: this.state.requeueCount, jobType: this.state.jobType,
    });
    runner.run(request, this);
  }

  onMessage(message: Exclude<RunnerMessage, { kind: 'ready' }>): void {
    if (message.kind === 'progress') {
      this.progress = message.progress;
      return;
    }
    if (message.kind === 'log') {
      this.deps.logs.write(this.jobId, message.logs);
      return;
    }
    this.deps.logs.write(this.jobId, message.logs);
    this.usage = message.usage;
    if (message.kind === 'result') this.result = message.result;
    else this.failure = { errorType: message.errorType, message: message.message, failure: classified(message.category ?? 'EngineError') };
    // A runner being stopped ends the job when it has closed; a finished one is reused.
    if (!this.stopping) void this.end(null, null);
  }

  onRunnerClosed(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.ending) {
      this.log(this.stopping ? 'WARN' : 'ERROR', this.progress?.currentStage ?? 'Initialization',
        `Job runner pid ${this.runner?.pid} ended (${signal ? `signal ${signal}` : `exit code ${code}`})`, { runnerPid: this.runner?.pid ?? null, exitCode: code, signal });
    }
    void this.end(code, signal);
  }

  /** The node is stopping: stop the runner and give the job back to the queue (unless its end is being recorded). */
  async handBack(maxLostAttempts: number): Promise<void> {
    if (this.ending) return;
    this.stopProcess('abandon', true);
    await this.send({
      kind: 'RequeueJob', at: new Date().toISOString(), nodeId: this.deps.nodeId, reason: 'node shut down',
      nodeLost: false, maxLostAttempts,
    }).catch(() => undefined);
  }

  private queue(step: () => Promise<void>): void {
    this.reporting = this.reporting.then(step).catch((e) => this.deps.logger.warn(`report ${this.jobId}: ${String(e)}`));
  }

  /**
   * Every `progressMinIntervalMs`: samples the runner from outside and appends progress
   * when the stage changed or `progressEveryMs` passed since the last report; otherwise
   * checks the job's stream, so a cancellation or a lost claim is still noticed within one
   * interval. A job that ends within its first interval appends no progress at all.
   */
  private async tick(): Promise<void> {
    if (this.stopping || this.result || this.failure || this.ending) return;
    if (!this.runner) return this.checkForChanges(); // still waiting for its runner
    const previous = this.sample();
    const { progressEveryMs, progressMinIntervalMs } = this.deps.timing;
    const stage = this.progress?.currentStage ?? 'Starting';
    // Half an interval of slack: ticks drift by a few milliseconds.
    const due = stage !== this.lastReport.stage || Date.now() - this.lastReport.at >= progressEveryMs - progressMinIntervalMs / 2;
    if (due) await this.report(previous, stage);
    else await this.checkForChanges();
  }

  /** Samples the runner (/proc); returns the sample before this one. */
  private sample(): ProcessSample | null {
    const pid = this.runner?.pid;
    if (pid === undefined) return null;
    const s = sampleProcess(pid);
    if (!s) return null;
    this.peakRss = Math.max(this.peakRss, s.rssBytes);
    const previous = this.lastSample ?? this.baseline;
    this.lastSample = s;
    return previous;
  }

  private async report(previous: ProcessSample | null, stage: string): Promise<void> {
    const current = this.lastSample;
    const p = this.progress;
    const diskBytes = await this.deps.files.folderBytes(this.outputDir);
    this.lastReport = { at: Date.now(), stage };
    await this.send({
      kind: 'ReportProgress',
      nodeId: this.deps.nodeId,
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

  /** A read of the job's stream past the revision this node knows: someone else appended (a cancellation, a requeue, a timeout). */
  private async checkForChanges(): Promise<void> {
    const newer = await this.deps.events.readStream(jobStreamId(this.jobId), { fromRevision: BigInt(this.state.revision + 1) });
    if (newer.length === 0) return;
    const fresh = await this.deps.repository.load(this.jobId);
    if (fresh) this.react(fresh);
  }

  /**
   * Appends a command for the running job on top of the state this node knows. When
   * someone else appended meanwhile (cancellation, timeout, requeue), reloads and
   * reacts instead of overwriting.
   */
  private async send(command: JobCommand): Promise<void> {
    try {
      this.state = (await this.deps.repository.execute(this.jobId, command, this.deps.metadata(), { retries: 0, known: this.state })).state;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) && !(error instanceof JobRuleViolation)) throw error;
      const fresh = await this.deps.repository.load(this.jobId);
      if (!fresh) return;
      if (this.react(fresh)) return;
      if (command.kind !== 'ReportProgress') await this.send(command); // plain race with our own report: try once more
    }
  }

  /** Takes in a fresher state; stops the runner when the job is no longer ours or is being cancelled. True when it stopped it. */
  private react(fresh: JobState): boolean {
    this.state = fresh;
    if (fresh.status !== 'Running' || fresh.nodeId !== this.deps.nodeId) {
      this.stopProcess('abandon', true);
      return true;
    }
    if (fresh.cancellation && this.stopping !== 'cancel') {
      this.stopProcess('cancel', fresh.cancellation.forceTermination);
      return true;
    }
    return false;
  }

  /**
   * Stops the job by stopping its runner (a fresh one replaces it): SIGKILL when forced,
   * else SIGTERM and SIGKILL after the grace. A job whose result is already in is left to end.
   */
  private stopProcess(reason: StopReason, force: boolean): void {
    this.stopping = reason;
    this.stopRequested.abort();
    const runner = this.runner;
    if (this.ending || !runner || !runner.alive) return;
    this.log('WARN', this.progress?.currentStage ?? 'Initialization',
      `Stopping: ${this.stopReasonText(reason)}; ${force ? 'killing' : 'terminating'} job runner pid ${runner.pid}`,
      { reason, signal: force ? 'SIGKILL' : 'SIGTERM', runnerPid: runner.pid ?? null, graceMilliseconds: force ? null : this.deps.timing.cancelGraceMs });
    runner.kill(force ? 'SIGKILL' : 'SIGTERM');
    if (!force) setTimeout(() => runner.kill('SIGKILL'), this.deps.timing.cancelGraceMs).unref();
  }

  private stopReasonText(reason: StopReason): string {
    return reason === 'cancel' ? 'cancellation requested'
      : reason === 'timeout' ? `timed out after ${this.state.scheduling.timeoutMinutes} minutes`
        : `no longer run here (${this.state.status}${this.state.nodeId && this.state.nodeId !== this.deps.nodeId ? ` on ${this.state.nodeId}` : ''})`;
  }

  private timeOut(): void {
    if (this.result || this.failure || this.stopping) return;
    this.stopProcess('timeout', true);
  }

  /** Ends the attempt once: with the runner's result or error (the runner goes back to the pool), or with the runner's exit. */
  private async end(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.timeout) clearTimeout(this.timeout);
    const runner = this.runner;
    if (runner && code === null && signal === null) await this.deps.pool.release(runner);
    await this.reporting;
    try {
      // Built once, so its outcome (artifact ids, wall time) is the one measured.
      const command = await this.whileDatabaseAway(() => this.finalCommand(code, signal));
      if (command) await this.appendFinal(command);
      else {
        await this.deps.logs.storeNow(await this.deps.logs.takeForFinalAppend(this.jobId))
          .catch((e) => this.deps.logger.warn(`job ${this.jobId}: storing its log failed: ${String(e)}`));
      }
      // Only the attempt whose files the job's outcome points at keeps them.
      const published = this.state.status !== 'Running' && this.state.status !== 'Queued'
        && this.state.outcome?.outputFolder === path.basename(this.outputDir);
      if (!published) await rm(this.outputDir, { recursive: true, force: true });
      this.deps.logger.log(`job ${this.jobId} ended on ${this.deps.nodeId}: ${this.state.status}`);
    } catch (error) {
      this.deps.logger.warn(`ending job ${this.jobId} failed: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      this.resolveEnded();
    }
  }

  private log(level: JobLogEntry['level'], stage: string, message: string, details: Record<string, unknown>): void {
    this.deps.logs.write(this.jobId, [logEntry(level, 'ExecutionNode', stage, message, details)]);
  }

  private logOutcome(command: JobCommand): void {
    this.deps.logs.write(this.jobId, [outcomeLine(command, this.deps.nodeId, Date.now() - this.startedAt)]);
  }

  private measurements(): AttemptMeasurements {
    return {
      startedAt: this.startedAt, usage: this.usage, baseline: this.baseline, lastSample: this.lastSample,
      peakRssBytes: this.peakRss, progress: this.progress,
    };
  }

  /**
   * How this attempt ends. A computed result is always reported (decide turns it into
   * JobCancelled when a cancellation arrived meanwhile); null when the job is no longer ours.
   */
  private async finalCommand(code: number | null, signal: NodeJS.Signals | null): Promise<JobCommand | null> {
    const at = new Date().toISOString();
    const nodeId = this.deps.nodeId;
    if (this.stopping === 'abandon') return null;
    if (this.result) {
      return { kind: 'CompleteJob', nodeId, at, outcome: await completedOutcome(this.state, this.outputDir, this.result, this.measurements(), this.deps.datasets) };
    }
    if (this.stopping === 'cancel') {
      const preserve = this.state.cancellation?.preservePartialResults ?? false;
      return { kind: 'ConfirmCancellation', nodeId, at, partialOutcome: preserve ? await partialOutcome(this.state, this.outputDir, this.measurements()) : null };
    }
    if (this.stopping === 'timeout') {
      return {
        kind: 'FailJob', nodeId, at, errorType: 'Timeout', failure: classified('Timeout'),
        message: `the job exceeded its timeout of ${this.state.scheduling.timeoutMinutes} minutes and was stopped`,
        outcome: await partialOutcome(this.state, this.outputDir, this.measurements()),
      };
    }
    const failure = this.failure ?? {
      errorType: 'ExecutionError', failure: classified('RunnerCrashed'),
      message: `the job process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`,
    };
    return { kind: 'FailJob', nodeId, at, ...failure, outcome: await partialOutcome(this.state, this.outputDir, this.measurements()) };
  }

  /**
   * Runs `step` again while it fails only because the database is away (a restart): the job
   * stays Running until its end is recorded, so giving up would leave it with nobody running it.
   */
  private async whileDatabaseAway<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.deps.isDraining()) throw error;
        this.deps.logger.warn(`ending job ${this.jobId}: database unavailable, will retry: ${String(error)}`);
        await sleep(END_RETRY_MS);
      }
    }
  }

  /**
   * Appends the job's ending. A conflict is decided again on the fresh state (the rules
   * then honour a cancellation or timeout that came first); a refusal means the job is
   * no longer ours; any other failure (the database briefly away) is retried with
   * back-off. One causation id for every try: a try whose outcome was lost is stored once.
   */
  private async appendFinal(command: JobCommand): Promise<void> {
    const metadata = this.deps.metadata();
    this.logOutcome(command);
    // Every line of the job is stored before its final event: with it, in the same statement, where the writer can.
    let logLines = await this.deps.logs.takeForFinalAppend(this.jobId);
    if (!this.deps.repository.logLinesGoWithAppend) {
      await this.whileDatabaseAway(() => this.deps.logs.storeNow(logLines));
      logLines = [];
    }
    for (let attempt = 1; ; attempt++) {
      try {
        this.state = (await this.deps.repository.execute(this.jobId, command, metadata, { retries: 5, known: this.state, logLines })).state;
        return;
      } catch (error) {
        if (error instanceof JobRuleViolation) {
          this.deps.logger.log(`job ${this.jobId}: ${command.kind} refused (${error.message})`);
          await this.deps.logs.storeNow(logLines).catch((e) => this.deps.logger.warn(`job ${this.jobId}: storing its log failed: ${String(e)}`));
          this.state = (await this.deps.repository.load(this.jobId).catch(() => null)) ?? this.state;
          return;
        }
        // A database outage (a restart) is waited out without counting against the attempts.
        if (isDatabaseUnavailable(error) && !this.deps.isDraining()) {
          this.deps.logger.warn(`job ${this.jobId}: ${command.kind}: database unavailable, will retry`);
          attempt -= 1;
          await sleep(END_RETRY_MS);
          continue;
        }
        if (attempt >= FINAL_REPORT_ATTEMPTS) {
          await this.deps.logs.storeNow(logLines).catch(() => undefined);
          throw error;
        }
        const pauseMs = Math.min(FINAL_REPORT_MAX_PAUSE_MS, FINAL_REPORT_FIRST_PAUSE_MS * 2 ** (attempt - 1));
        this.deps.logger.warn(`job ${this.jobId}: ${command.kind} failed (${String(error)}); try ${attempt + 1} in ${pauseMs} ms`);
        await sleep(pauseMs);
      }
    }
  }
}

/** The node's line about how the attempt ends (the runner's own lines say what the job did). */
function outcomeLine(command: JobCommand, nodeId: string, wallMs: number): JobLogEntry {
  const details = { nodeId, wallMilliseconds: wallMs };
  switch (command.kind) {
    case 'CompleteJob':
      return logEntry('INFO', 'ExecutionNode', 'Completion', `Completed on node ${nodeId} after ${wallMs} ms`, {
        ...details, artifacts: command.outcome.artifacts.length, cpuTimeSeconds: command.outcome.execution.cpuTimeSeconds,
        peakMemoryBytes: command.outcome.execution.peakMemoryBytes,
      });
    case 'ConfirmCancellation':
      return logEntry('WARN', 'ExecutionNode', 'Completion', `Cancelled on node ${nodeId} after ${wallMs} ms`, {
        ...details, partialResultsPreserved: command.partialOutcome !== null,
      });
    case 'FailJob':
      return logEntry('ERROR', 'ExecutionNode', 'Completion', `Failed on node ${nodeId} (${command.errorType}): ${command.message}`, {
        ...details, errorType: command.errorType,
      });
    default:
      return logEntry('INFO', 'ExecutionNode', 'Completion', `${command.kind} on node ${nodeId}`, details);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
