/**
 * Entry of a job runner: a long-lived child process with the mining engine loaded that
 * runs one job at a time, job after job, so a job pays neither Node's start nor the
 * engine's import. The job's CPU-heavy work stays off the node's event loop, and a
 * cancellation or timeout still stops it for real: the node kills the runner (and starts
 * a fresh one).
 *
 * Protocol over IPC (`RunnerRequest` in, `RunnerMessage` out): the runner says `ready`
 * once loaded; the node sends `run`; the runner sends progress (the latest at most every
 * PROGRESS_FORWARD_MS), then `result` or `error`, each ending message with what this job
 * used (the runner's own deltas over it). The job's log lines go with the progress forwards
 * (`log`) and, the last ones, with the `result` or `error`, so a short job sends no extra message.
 *
 * The runner does the job's file work itself, with plain blocking calls (it runs one job
 * and has nothing else to wait for): it prepares the attempt's folder, writes the figures
 * file and measures every artifact, so the node's event loop only sees one small result.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FIGURES_ARTIFACT_TYPE } from '../../job-domain/src/job.events.js';
import { FIGURES_FILE } from './job-outcome.js';
import { isTransientIoError, type FailureCategory } from '../../job-domain/src/job-failure.js';
import { ColumnMappingError, MalformedEventLogError } from '../../mining/src/ingest/index.js';
import { executeJob } from '../../mining/src/jobs/execute-job.js';
import { LoadedLogCache } from '../../mining/src/jobs/load-log.js';
import { InvalidJobParametersError } from '../../mining/src/jobs/validate-parameters.js';
import type { JobExecutionRequest, JobExecutionResult, ProducedArtifact, ProgressReport } from '../../mining/src/job-execution.contract.js';
import type { JobLogEntry } from '../../job-logs/src/job-log.js';
import { writeBytesOf, type ProcessSample } from './process-usage.js';
import { RunnerJournal } from './runner-journal.js';

/**
 * What one job used, measured by its runner as the difference of its own counters over
 * the job. The runner is reused, so its lifetime totals are not the job's: CPU, I/O
 * operations and bytes written are deltas, and peak memory is the highest resident set
 * size sampled while the job ran (maxRSS of a reused process only grows, so it is not per job).
 */
export interface JobUsage {
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  /** Block input + output operations (getrusage). */
  readonly ioOperations: number;
  /** write_bytes of /proc/self/io; null where that is not readable. */
  readonly bytesWritten: number | null;
}

export type RunnerRequest = { readonly kind: 'run'; readonly request: JobExecutionRequest };

/** An artifact in the attempt's folder, with its size. */
export interface WrittenArtifact extends ProducedArtifact {
  readonly sizeBytes: number;
}

/** A computed job as the runner hands it back: its figures are in the figures file, every artifact (that file too) measured. */
export interface FinishedJob extends Omit<JobExecutionResult, 'figures' | 'artifacts'> {
  readonly artifacts: readonly WrittenArtifact[];
}

/**
 * `totals`: the runner's own lifetime counters as it sends the message (what the node would
 * read from /proc), so the node has the baseline of the runner's next job without reading them.
 */
export type RunnerMessage =
  | { readonly kind: 'ready'; readonly totals: ProcessSample }
  | { readonly kind: 'progress'; readonly progress: ProgressReport }
  | { readonly kind: 'log'; readonly logs: readonly JobLogEntry[] }
  | { readonly kind: 'result'; readonly result: FinishedJob; readonly usage: JobUsage; readonly totals: ProcessSample; readonly logs: readonly JobLogEntry[] }
  | {
    readonly kind: 'error'; readonly errorType: string; readonly message: string; readonly usage: JobUsage; readonly totals: ProcessSample;
    readonly logs: readonly JobLogEntry[];
    /** What kind of failure it was (job-failure.ts): the automatic retries act on it. */
    readonly category: FailureCategory;
  };

/** How often the runner samples its resident set size while a job runs (when its event loop is free). */
const RSS_SAMPLE_MS = 100;
/**
 * Progress goes to the node at most this often, the latest report only: the node appends
 * at most one JobProgressed a second, and a job that ends sooner sends none.
 */
const PROGRESS_FORWARD_MS = 200;

const { values: runnerArguments } = parseArgs({ options: { 'log-cache-events': { type: 'string', default: '0' } } });
/** Logs this runner loaded, reused by its next jobs on the same dataset. */
const loadedLogs = new LoadedLogCache(Number(runnerArguments['log-cache-events']) || 0);

function send(message: RunnerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

function bytesWrittenSoFar(): number | null {
  try {
    return writeBytesOf(readFileSync('/proc/self/io', 'utf8'));
  } catch {
    return null; // no /proc here: not measured
  }
}

/**
 * write_bytes as the last job that ended with a result left it: its writes were all
 * synchronous and done, and an idle runner writes nothing, so it is the next job's starting
 * figure as read (one /proc read per job instead of two). Not kept after a failure, which may
 * leave a write behind.
 */
let bytesWrittenAfterLastResult: number | null | undefined;

/** The runner's counters at a job's start; `usedSince` turns them into the job's own figures. */
function countersNow(bytesWritten: number | null = bytesWrittenSoFar()) {
  const r = process.resourceUsage();
  return { cpu: process.cpuUsage(), io: r.fsRead + r.fsWrite, bytesWritten };
}

function totalsOf(counters: ReturnType<typeof countersNow>, rssBytes = process.memoryUsage.rss()): ProcessSample {
  return {
    cpuSeconds: (counters.cpu.user + counters.cpu.system) / 1e6, rssBytes,
    bytesWritten: counters.bytesWritten, at: Date.now(),
  };
}

/** The job's usage since `start`, and the runner's totals now (`rssBytes`: the resident set just sampled). */
function usedSince(start: ReturnType<typeof countersNow>, peakRssBytes: number, rssBytes: number): { usage: JobUsage; totals: ProcessSample } {
  const now = countersNow();
  const cpu = process.cpuUsage(start.cpu);
  const usage = {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes,
    ioOperations: now.io - start.io,
    bytesWritten: start.bytesWritten === null || now.bytesWritten === null ? null : now.bytesWritten - start.bytesWritten,
  };
  return { usage, totals: totalsOf(now, rssBytes) };
}

/** Writes the figures file beside the job's artifacts and measures them all. */
function finished(request: JobExecutionRequest, result: JobExecutionResult): FinishedJob {
  const { figures, artifacts, ...rest } = result;
  writeFileSync(path.join(request.outputDir, FIGURES_FILE), JSON.stringify(figures));
  const all: ProducedArtifact[] = [
    ...artifacts,
    { type: FIGURES_ARTIFACT_TYPE, title: `${request.title}: all figures (JSON)`, format: 'json', fileName: FIGURES_FILE, outputType: 'data' },
  ];
  return { ...rest, artifacts: all.map((a) => ({ ...a, sizeBytes: statSync(path.join(request.outputDir, a.fileName)).size })) };
}

/**
 * A fresh, empty folder per attempt (a node that lost the job never writes into its
 * successor's). Almost always new: made without first trying to remove it.
 */
function freshFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') rmSync(dir, { recursive: true, force: true });
    else if (code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
  }
}

/** The journal of the job running now (a SIGTERM sends its last lines). */
let journal: RunnerJournal | null = null;

async function run(request: JobExecutionRequest): Promise<void> {
  const start = countersNow(bytesWrittenAfterLastResult ?? bytesWrittenSoFar());
  bytesWrittenAfterLastResult = undefined;
  const lines = (journal = new RunnerJournal(request));
  let peakRss = process.memoryUsage.rss();
  /** Returns the resident set now, keeping the peak. */
  const sampleRss = () => {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    return rss;
  };
  const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
  let latestProgress: ProgressReport | null = null;
  let forwarder: NodeJS.Timeout | null = null;
  const forward = () => {
    forwarder = null;
    if (latestProgress) void send({ kind: 'progress', progress: latestProgress });
    if (lines.hasPending) void send({ kind: 'log', logs: lines.take() });
    latestProgress = null;
  };
  try {
    freshFolder(request.outputDir);
    const result = await executeJob(request, (progress) => {
      latestProgress = progress;
      lines.progressed(progress);
      forwarder ??= setTimeout(forward, PROGRESS_FORWARD_MS);
    }, loadedLogs, (quality) => lines.loaded(quality));
    if (forwarder) clearTimeout(forwarder);
    const done = finished(request, result);
    lines.finished(done);
    const rss = sampleRss();
    const used = usedSince(start, peakRss, rss);
    bytesWrittenAfterLastResult = used.totals.bytesWritten;
    await send({ kind: 'result', result: done, ...used, logs: lines.take() });
  } catch (error) {
    if (forwarder) clearTimeout(forwarder);
    const rss = sampleRss();
    // Bad input (parameters the data cannot satisfy, unmappable columns) is the submitter's to fix, not a fault.
    const category = failureCategoryOf(error);
    const errorType = category === 'InvalidParameters' || category === 'DatasetUnreadable' ? 'InvalidInput' : 'ExecutionError';
    const message = error instanceof Error ? error.message : String(error);
    lines.failed(errorType, message);
    await send({ kind: 'error', errorType, message, category, ...usedSince(start, peakRss, rss), logs: lines.take() });
  } finally {
    clearInterval(sampler);
    journal = null;
  }
}

/** Parameters the data cannot satisfy, a log that cannot be read, a passing I/O condition, or the engine's own failure. */
function failureCategoryOf(error: unknown): FailureCategory {
  if (error instanceof InvalidJobParametersError) return 'InvalidParameters';
  if (error instanceof ColumnMappingError || error instanceof MalformedEventLogError) return 'DatasetUnreadable';
  if (isTransientIoError(error)) return 'TransientIO';
  return 'EngineError';
}

// One job at a time: the node sends the next only after this one's result or error.
process.on('message', (message: RunnerRequest) => {
  if (message.kind === 'run') void run(message.request);
});
// A graceful stop: the node asks first (SIGTERM), and kills if asked to force or after a grace period.
// The job's last lines go first: a forced stop (SIGKILL) loses at most one forward interval of them.
process.on('SIGTERM', () => {
  if (!journal) process.exit(143);
  journal.stopping('SIGTERM');
  setTimeout(() => process.exit(143), 500).unref(); // the node gone: nothing would take the lines
  process.send!({ kind: 'log', logs: journal.take() } satisfies RunnerMessage, () => process.exit(143));
});
// The node is gone (crashed or killed): nothing would receive the results, so stop too.
process.on('disconnect', () => process.exit(1));
void send({ kind: 'ready', totals: totalsOf(countersNow()) });
