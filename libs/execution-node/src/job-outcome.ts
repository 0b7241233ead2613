/**
 * What a job's attempt leaves behind: its artifacts (the figures file included), the
 * datasets it produced (registered through a port), and its measured usage. Pure of the
 * node's claim loop and of the runner's lifecycle: given the attempt's folder and what was
 * measured, it builds the job's outcome.
 */
import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { JobArtifact, JobOutcome, JobState } from '../../job-domain/src/index.js';
import type { ProgressReport } from '../../mining/src/job-execution.contract.js';
import type { FinishedJob, JobUsage } from './job-runner-process.js';
import type { ProcessSample } from './process-usage.js';

/** Registers a file a job produced as a new dataset of the job's project (DataEnrichment's enriched log). */
export interface DatasetRegistration {
  /** Returns the new dataset's id. The file stays where it is (the registration takes its own copy). */
  registerJobOutput(job: JobState, file: string, artifact: { readonly fileName: string; readonly title: string }): Promise<string>;
}

/** What was measured of one attempt: by its runner (per job) and, while it ran, from outside. */
export interface AttemptMeasurements {
  readonly startedAt: number;
  /** The runner's own figures for this job, sent with its result; null when it was stopped before. */
  readonly usage: JobUsage | null;
  /** The runner's counters just before the job was handed to it (its own last report, else read from /proc). */
  readonly baseline: ProcessSample | null;
  /** The latest outside sample while the job ran. */
  readonly lastSample: ProcessSample | null;
  /** Highest resident set size sampled from outside while the job ran (0: none). */
  readonly peakRssBytes: number;
  readonly progress: ProgressReport | null;
}

/** The file of all a job's figures, written by its runner as the last of its artifacts. */
export const FIGURES_FILE = 'figures.json';

/** The folder of the attempt a claim started, named by the job and the revision of its JobStarted. */
export function attemptOutputFolder(state: JobState): string {
  if (state.claimRevision === null) throw new Error(`job ${state.jobId} is not claimed`);
  return `${state.jobId}.attempt-${state.claimRevision}`;
}

/**
 * The attempt's usage: the runner's own per-job figures when it got that far, else the
 * difference of the outside samples over the job (a runner is reused, so its totals are
 * not the job's). Peak memory is the highest resident set size seen while the job ran.
 * null where nothing measured it.
 */
export function measuredExecution(m: AttemptMeasurements): JobOutcome['execution'] {
  const outside = m.baseline && m.lastSample && m.lastSample.at > m.baseline.at ? { from: m.baseline, to: m.lastSample } : null;
  // The baseline may be the runner's own report (microseconds) and the last sample a /proc
  // reading (clock ticks): a difference below one tick is no CPU, never a negative one.
  const cpu = m.usage?.cpuSeconds ?? (outside ? Math.max(0, outside.to.cpuSeconds - outside.from.cpuSeconds) : null);
  const outsideWritten = outside && outside.from.bytesWritten !== null && outside.to.bytesWritten !== null
    ? Math.max(0, outside.to.bytesWritten - outside.from.bytesWritten) : null;
  const peak = Math.max(m.peakRssBytes, m.usage?.peakRssBytes ?? 0);
  return {
    cpuTimeSeconds: cpu !== null ? Math.round(cpu * 1000) / 1000 : null,
    wallTimeSeconds: (Date.now() - m.startedAt) / 1000,
    peakMemoryBytes: peak > 0 ? peak : null,
    diskIoOperations: m.usage?.ioOperations ?? null,
    diskBytesWritten: m.usage ? m.usage.bytesWritten : outsideWritten,
  };
}

/** A completed attempt (its runner wrote and measured the artifacts, the figures file too): registers produced datasets, lists every artifact. */
export async function completedOutcome(
  state: JobState, outputDir: string, result: FinishedJob, measured: AttemptMeasurements, datasets: DatasetRegistration,
): Promise<JobOutcome> {
  const artifacts: JobArtifact[] = [];
  for (const a of result.artifacts) {
    const datasetId = a.registerAsDataset ? await datasets.registerJobOutput(state, path.join(outputDir, a.fileName), a) : undefined;
    artifacts.push({
      artifactId: randomUUID(), fileName: a.fileName, type: a.type, title: a.title, format: a.format,
      outputType: a.outputType, sizeBytes: a.sizeBytes, primary: a.primary === true,
      ...(a.recordCount !== undefined ? { recordCount: a.recordCount } : {}),
      ...(a.accuracy !== undefined && a.accuracy !== null ? { accuracy: a.accuracy } : {}),
      ...(a.metrics ? { metrics: a.metrics } : {}),
      ...(datasetId ? { datasetId } : {}),
    });
  }
  return {
    outputFolder: attemptOutputFolder(state),
    recordsProcessed: result.recordsProcessed,
    totalRecords: result.totalRecords,
    dataQualityScore: result.dataQualityScore,
    dataValidation: result.dataValidation,
    warnings: result.warnings,
    processingErrors: result.processingErrors,
    artifacts,
    execution: measuredExecution(measured),
  };
}

/** What a stopped attempt left in its folder, listed as partial outputs. */
export async function partialOutcome(state: JobState, outputDir: string, measured: AttemptMeasurements): Promise<JobOutcome> {
  const files = await readdir(outputDir).catch(() => [] as string[]);
  const artifacts: JobArtifact[] = [];
  for (const fileName of files) {
    const format = path.extname(fileName).slice(1) || 'bin';
    artifacts.push({
      artifactId: randomUUID(), fileName, type: 'PartialOutput', title: `Partial output ${fileName}`, format,
      outputType: format === 'svg' ? 'visualizations' : format === 'html' ? 'reports' : format === 'pnml' || format === 'bpmn' ? 'models' : 'data',
      sizeBytes: (await stat(path.join(outputDir, fileName))).size, primary: false,
    });
  }
  const p = measured.progress;
  return {
    outputFolder: attemptOutputFolder(state),
    recordsProcessed: p?.recordsProcessed ?? 0, totalRecords: p?.totalRecords ?? 0, dataQualityScore: null,
    dataValidation: null, warnings: [], processingErrors: [], artifacts, execution: measuredExecution(measured),
  };
}
