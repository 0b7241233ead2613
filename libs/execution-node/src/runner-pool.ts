/**
 * The node's job runners: long-lived child processes (job-runner-process.ts) with the
 * mining engine loaded, one job at a time each. Runners are grouped by heap limit (a job
 * asking for `increaseMemoryLimit` needs a runner started with the larger one); the pool
 * keeps as many runners as the node has slots, warm spares of the default heap started
 * up front and the large ones on demand. A runner is retired after `maxJobsPerRunner` jobs
 * or when its resident memory is above `maxRssBytes` after a job; one that dies or is killed
 * (a forced cancellation, a timeout) is replaced at once, and so is one that is not ready
 * within `readyTimeoutMs` of its start (it is killed: a hung start must not hold a job).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JobExecutionRequest } from '../../mining/src/job-execution.contract.js';
import type { RunnerMessage, RunnerRequest } from './job-runner-process.js';
import { sampleProcess, type ProcessSample } from './process-usage.js';

const RUNNER_PROCESS = fileURLToPath(new URL('./job-runner-process.js', import.meta.url));

/** Heap limits (`--max-old-space-size`, MB): jobs with `increaseMemoryLimit` get the large one. */
export const DEFAULT_HEAP_MB = 4096;
export const LARGE_HEAP_MB = 8192;
/** Defaults of RUNNER_MAX_JOBS and RUNNER_MAX_RSS_MB. */
export const DEFAULT_RUNNER_MAX_JOBS = 500;
export const DEFAULT_RUNNER_MAX_RSS_MB = 1024;
/** Default of RUNNER_READY_TIMEOUT_SECONDS: a runner loads the engine in well under a second of CPU, so this is only ever reached by one that hangs. */
export const DEFAULT_RUNNER_READY_TIMEOUT_MS = 30_000;
/** Default of RUNNER_LOG_CACHE_EVENTS: about one BPI Challenge 2012 (262,200 events) fits, a few running-example-sized logs many times over. */
export const DEFAULT_RUNNER_LOG_CACHE_EVENTS = 200_000;

/** A runner that dies before it is ready is replaced after a pause that doubles up to this, so a broken start cannot spin. */
const MAX_RESPAWN_PAUSE_MS = 5000;
const FIRST_RESPAWN_PAUSE_MS = 100;
/** How long a stopping pool lets idle runners exit on SIGTERM before killing them. */
const CLOSE_GRACE_MS = 2000;

export interface RunnerPoolOptions {
  /** Runners alive at most, busy and idle together: the node's slots. */
  readonly size: number;
  readonly maxJobsPerRunner: number;
  readonly maxRssBytes: number;
  /** Events of loaded logs each runner keeps for later jobs on the same dataset (0: none). */
  readonly logCacheEvents: number;
  /** A runner not ready this long after its start is killed (and replaced), so a hung start cannot hold a job. */
  readonly readyTimeoutMs: number;
}

/** What the job on a runner hears from it. */
export interface RunnerListener {
  onMessage(message: Exclude<RunnerMessage, { kind: 'ready' }>): void;
  /** The runner's process ended (closed) while this job was on it. */
  onRunnerClosed(code: number | null, signal: NodeJS.Signals | null): void;
}

type RunnerState = 'starting' | 'idle' | 'busy' | 'retired';

/** The node's handle on one runner process. */
export class JobRunner {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  /** The runner's lifetime counters as it last reported them (at `ready` and with each job's end); null before. */
  lastTotals: ProcessSample | null = null;
  /** Milliseconds from fork to the runner's `ready`; null until then. */
  startMs: number | null = null;
  state: RunnerState = 'starting';
  jobsRun = 0;
  private listener: RunnerListener | null = null;
  readonly ready: Promise<void>;
  readonly closed: Promise<void>;

  constructor(readonly heapMb: number, logCacheEvents: number, readyTimeoutMs: number, onClose: (runner: JobRunner, duringJob: boolean) => void) {
    this.child = fork(RUNNER_PROCESS, [`--log-cache-events=${logCacheEvents}`], {
      // A profiled node (--cpu-prof…) profiles its runners too.
      execArgv: [...process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')), `--max-old-space-size=${heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let readied: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      readied = resolve;
      failed = reject;
    });
    this.ready.catch(() => undefined); // awaited by whoever needs it
    let readyTimedOut = false;
    const readyTimer = setTimeout(() => {
      readyTimedOut = true;
      this.kill('SIGKILL');
    }, readyTimeoutMs);
    readyTimer.unref();
    this.child.on('message', (message: RunnerMessage) => {
      if ('totals' in message) this.lastTotals = message.totals;
      if (message.kind === 'ready') {
        clearTimeout(readyTimer);
        this.startMs = performance.now() - this.startedAt;
        readied();
      } else {
        this.listener?.onMessage(message);
      }
    });
    // A failed signal or IPC send to a dying runner must not take the node down; its 'close' still follows.
    this.child.on('error', () => undefined);
    // 'close', not 'exit': 'exit' can come before the last IPC message (a result) is handled.
    this.closed = new Promise<void>((resolve) => {
      this.child.once('close', (code, signal) => {
        clearTimeout(readyTimer);
        failed(new Error(readyTimedOut
          ? `the job runner was not ready within ${readyTimeoutMs / 1000} s and was killed`
          : `the job runner ended before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        const listener = this.listener;
        const duringJob = this.state === 'busy';
        this.listener = null;
        this.state = 'retired';
        listener?.onRunnerClosed(code, signal);
        onClose(this, duringJob);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Hands the runner one job; its messages go to `listener` until `detach`. */
  run(request: JobExecutionRequest, listener: RunnerListener): void {
    this.listener = listener;
    this.jobsRun += 1;
    const message: RunnerRequest = { kind: 'run', request };
    this.child.send(message);
  }

  detach(): void {
    this.listener = null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }
}

/** The pool's runners now, and since the pool started: replaced after their share of jobs or memory, ended during a job (killed by a cancellation or timeout, or crashed). */
export interface RunnerPoolState {
  readonly busy: number;
  readonly idle: number;
  readonly starting: number;
  readonly recycled: number;
  readonly endedDuringJob: number;
}

export class RunnerPool {
  private readonly runners = new Set<JobRunner>();
  private recycled = 0;
  private endedDuringJob = 0;
  private closing = false;
  private respawnPauseMs = FIRST_RESPAWN_PAUSE_MS;
  private respawnTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RunnerPoolOptions, private readonly logger: { warn(message: string): void }) {}

  /** Starts the warm spares (default heap) up to the pool's size; does not wait for them. */
  start(): void {
    this.topUp();
  }

  /**
   * A ready runner with `heapMb` for one job, marked busy: an idle one, else one still
   * starting, else a new one (retiring an idle runner of the other heap limit if the pool
   * is full). Rejects when a new runner dies before it is ready; null when `stop` aborts
   * the wait first (the runner, still starting, is then free for the next job).
   */
  async acquire(heapMb: number, stop?: AbortSignal): Promise<JobRunner | null> {
    if (stop?.aborted) return null;
    const live = [...this.runners].filter((r) => r.state !== 'retired');
    const runner = live.find((r) => r.heapMb === heapMb && r.state === 'idle')
      ?? live.find((r) => r.heapMb === heapMb && r.state === 'starting')
      ?? this.spawnInPlaceOfIdle(heapMb, live);
    runner.state = 'busy';
    let onStop = () => undefined as void;
    const stopped = new Promise<null>((resolve) => {
      onStop = () => resolve(null);
      stop?.addEventListener('abort', onStop, { once: true });
    });
    try {
      const ready = await Promise.race([runner.ready.then(() => runner), stopped]); // a runner that dies first rejects its ready
      if (ready === null && runner.state === 'busy') runner.state = runner.startMs === null ? 'starting' : 'idle';
      return ready;
    } finally {
      stop?.removeEventListener('abort', onStop);
    }
  }

  /**
   * Takes a runner back after its job ended with a message (its process still running):
   * idle again, or retired when it has run its share of jobs or holds too much memory.
   */
  async release(runner: JobRunner): Promise<void> {
    runner.detach();
    if (!runner.alive || runner.state === 'retired') return;
    let retireBecause: string | null = null;
    if (runner.jobsRun >= this.options.maxJobsPerRunner) retireBecause = `ran ${runner.jobsRun} jobs`;
    else {
      // As the runner reported it with the job's end, else read from outside.
      const rss = runner.lastTotals?.rssBytes ?? sampleProcess(runner.pid!)?.rssBytes ?? null;
      if (rss !== null && rss > this.options.maxRssBytes) retireBecause = `holds ${Math.round(rss / 1048576)} MB`;
    }
    if (retireBecause === null && !this.closing) {
      runner.state = 'idle';
      return;
    }
    if (retireBecause !== null) this.recycled += 1;
    this.retire(runner);
  }

  /** Runner processes alive (busy, idle or starting), for tests and figures. */
  get pids(): number[] {
    return [...this.runners].filter((r) => r.state !== 'retired').flatMap((r) => (r.pid === undefined ? [] : [r.pid]));
  }

  get state(): RunnerPoolState {
    let busy = 0, idle = 0, starting = 0;
    for (const runner of this.runners) {
      if (runner.state === 'busy') busy += 1;
      else if (runner.state === 'idle') idle += 1;
      else if (runner.state === 'starting') starting += 1;
    }
    return { busy, idle, starting, recycled: this.recycled, endedDuringJob: this.endedDuringJob };
  }

  /** Stops every runner (busy ones are stopped by their jobs first) and waits until all have exited. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    const all = [...this.runners];
    for (const runner of all) runner.kill('SIGTERM');
    const killer = setTimeout(() => all.forEach((r) => r.kill('SIGKILL')), CLOSE_GRACE_MS);
    await Promise.all(all.map((r) => r.closed));
    clearTimeout(killer);
  }

  private retire(runner: JobRunner): void {
    runner.state = 'retired';
    runner.kill('SIGTERM'); // idle: it exits at once; its close replaces it
  }

  private spawnInPlaceOfIdle(heapMb: number, live: JobRunner[]): JobRunner {
    if (live.length >= this.options.size) {
      const spare = live.find((r) => r.state === 'idle' && r.heapMb !== heapMb) ?? live.find((r) => r.state === 'starting' && r.heapMb !== heapMb);
      if (spare) this.retire(spare);
    }
    return this.spawn(heapMb);
  }

  private spawn(heapMb: number): JobRunner {
    const runner = new JobRunner(heapMb, this.options.logCacheEvents, this.options.readyTimeoutMs, (closed, duringJob) => this.onClosed(closed, duringJob));
    this.runners.add(runner);
    runner.ready.then(() => {
      this.respawnPauseMs = FIRST_RESPAWN_PAUSE_MS;
      if (runner.state === 'starting') runner.state = 'idle';
    }, () => undefined);
    return runner;
  }

  private onClosed(runner: JobRunner, duringJob: boolean): void {
    this.runners.delete(runner);
    if (this.closing) return;
    if (duringJob) this.endedDuringJob += 1;
    if (runner.startMs === null) {
      // Died before it was ready: replace it after a pause, so a start that always fails cannot spin.
      this.logger.warn(`a job runner ended before it was ready; starting another in ${this.respawnPauseMs} ms`);
      if (!this.respawnTimer) {
        this.respawnTimer = setTimeout(() => {
          this.respawnTimer = null;
          this.topUp();
        }, this.respawnPauseMs);
        this.respawnPauseMs = Math.min(MAX_RESPAWN_PAUSE_MS, this.respawnPauseMs * 2);
      }
      return;
    }
    this.topUp();
  }

  /** Fills the pool with default-heap spares up to its size. */
  private topUp(): void {
    if (this.closing) return;
    let live = [...this.runners].filter((r) => r.state !== 'retired').length;
    while (live < this.options.size) {
      this.spawn(DEFAULT_HEAP_MB);
      live += 1;
    }
  }
}
