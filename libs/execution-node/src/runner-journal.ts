/**
 * What a job runner writes into its job's execution log, from what the engine already
 * reports: each stage entered (the progress callback), what was loaded and its quality
 * (counts of every data-quality warning and rejected record), the measured rates, and the
 * job's error. Kept few for a short job: one line per stage, one for the load, one per
 * warning, one at the end.
 */
import { statSync } from 'node:fs';
import type { JobLogComponent, JobLogEntry, JobLogLevel } from '../../job-logs/src/job-log.js';
import { logEntry } from '../../job-logs/src/job-log.js';
import type { QualityFigures } from '../../mining/src/jobs/load-log.js';
import type { JobExecutionRequest, JobStage, ProgressReport } from '../../mining/src/job-execution.contract.js';
import type { FinishedJob } from './job-runner-process.js';

const STAGE_COMPONENT: Readonly<Record<JobStage, JobLogComponent>> = {
  Loading: 'DataLoader', Validating: 'DataValidator', Filtering: 'DataLoader', Discovering: 'ProcessMiner',
  Measuring: 'ProcessMiner', Rendering: 'ReportWriter', 'Writing outputs': 'ReportWriter',
};

/** Records per second over `ms`; null when too short to measure (a log taken from the runner's cache). */
function perSecond(records: number, ms: number): number | null {
  return ms >= 1 ? Math.round((records / ms) * 1000) : null;
}

export class RunnerJournal {
  private pending: JobLogEntry[] = [];
  private stage: JobStage | null = null;
  private readonly startedAt = performance.now();
  private loadingSince: number | null = null;
  private readonly loggedWarnings = new Set<string>();

  constructor(private readonly request: JobExecutionRequest) {}

  /** The lines written since the last call. */
  take(): JobLogEntry[] {
    const lines = this.pending;
    this.pending = [];
    return lines;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** A progress report: a line when it enters a stage. */
  progressed(progress: ProgressReport): void {
    if (progress.currentStage === this.stage) return;
    this.stage = progress.currentStage;
    if (this.stage === 'Loading') {
      this.loadingSince = performance.now();
      const dataset = this.request.dataset;
      let datasetSize: number | null = null;
      try {
        datasetSize = statSync(dataset.path).size;
      } catch {
        datasetSize = null; // not measured
      }
      const expectedRecords = dataset.expectedRecords ?? null;
      this.write('INFO', 'DataLoader', `Loading the event log (${dataset.format}${datasetSize === null ? '' : `, ${datasetSize} bytes`}${expectedRecords === null ? '' : `, ${expectedRecords} records expected`})`, {
        datasetSize, format: dataset.format, expectedRecords, source: dataset.ingestedPath !== undefined ? 'imported' : 'uploaded file',
      });
      return;
    }
    this.write('INFO', STAGE_COMPONENT[this.stage], `Stage ${this.stage} started`, {
      progress: progress.percentage, recordsProcessed: progress.recordsProcessed, totalRecords: progress.totalRecords,
    });
  }

  /** The log is loaded: its size, load rate and every data-quality warning with its count. */
  loaded(quality: QualityFigures): void {
    const v = quality.dataValidation;
    const loadMs = this.loadingSince === null ? null : performance.now() - this.loadingSince;
    this.write('INFO', 'DataLoader', `Loaded ${v.totalRecords} records: ${v.validRecords} valid, ${v.invalidRecords} invalid, ${v.duplicatesRemoved} duplicates removed`, {
      totalRecords: v.totalRecords, validRecords: v.validRecords, invalidRecords: v.invalidRecords, duplicatesRemoved: v.duplicatesRemoved,
      dataQualityScore: quality.dataQualityScore,
      loadMilliseconds: loadMs === null ? null : Math.round(loadMs * 10) / 10,
      recordsPerSecond: loadMs === null ? null : perSecond(v.totalRecords, loadMs),
    });
    for (const warning of quality.warnings) this.warning(warning.type, warning.message, warning.count);
    for (const error of quality.processingErrors) {
      this.write('WARN', 'DataValidator', `${error.message} (${error.count})`, { type: error.type, count: error.count });
    }
  }

  /** The job's result is in: warnings of its own, and the rate over the whole job. */
  finished(result: FinishedJob): void {
    for (const warning of result.warnings) this.warning(warning.type, warning.message, warning.count);
    const ms = performance.now() - this.startedAt;
    this.write('INFO', 'JobRunner', `Finished: ${result.recordsProcessed} records processed in ${Math.round(ms)} ms, ${result.artifacts.length} artifacts written`, {
      recordsProcessed: result.recordsProcessed, totalRecords: result.totalRecords, durationMilliseconds: Math.round(ms * 10) / 10,
      recordsPerSecond: perSecond(result.recordsProcessed, ms), artifacts: result.artifacts.length, dataQualityScore: result.dataQualityScore,
    });
  }

  failed(errorType: string, message: string): void {
    this.write('ERROR', 'JobRunner', `Failed (${errorType}): ${message}`, { errorType, stage: this.stage });
  }

  /** The runner was asked to stop (a graceful cancellation). */
  stopping(signal: string): void {
    this.write('WARN', 'JobRunner', `Stopping on ${signal}`, { signal });
  }

  private warning(type: string, message: string, count: number): void {
    const key = `${type}\u0001${message}`;
    if (this.loggedWarnings.has(key)) return;
    this.loggedWarnings.add(key);
    this.write('WARN', 'DataValidator', `${message} (${count})`, { type, count });
  }

  private write(level: JobLogLevel, component: JobLogComponent, message: string, details: Record<string, unknown>): void {
    this.pending.push(logEntry(level, component, this.stage ?? 'Initialization', message, details));
  }
}
