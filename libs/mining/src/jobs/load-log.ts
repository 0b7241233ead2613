/** Loading + Validating stages shared by every job type: ingest with progress, then the quality report. */
import { statSync } from 'node:fs';
import type { EventLog } from '../event-log.js';
import { ingestEventLog, type IngestResult } from '../ingest/index.js';
import { readIngestedLog, UnreadableIngestedLogError } from '../ingest/ingested-log-file.js';
import type { DataValidation, JobExecutionRequest, QualityWarning } from '../job-execution.contract.js';
import { withExactRepeats } from '../log-transforms/index.js';
import type { ProgressTracker } from './progress.js';

export interface ProcessingError {
  readonly type: string;
  readonly message: string;
  readonly count: number;
}

export interface LoadedLog {
  readonly log: EventLog;
  readonly ingest: IngestResult;
  readonly quality: QualityFigures;
}

/** The `quality` figure every job reports. */
export interface QualityFigures {
  readonly dataQualityScore: number;
  readonly dataValidation: DataValidation;
  readonly warnings: readonly QualityWarning[];
  readonly processingErrors: readonly ProcessingError[];
  readonly columnMapping: IngestResult['columns']['mapping'];
  readonly sourceColumns: readonly string[];
  /** `qualityChecks.checkDuplicates` as applied: exact repeats found, and whether they were removed. */
  readonly duplicates?: { readonly checkDuplicates: boolean; readonly exactRepeats: number; readonly removed: number };
}

/**
 * The job's duplicate policy on a loaded log: by default exact repeats stay removed (as the
 * ingest did, counted in `duplicatesRemoved`); `qualityChecks.checkDuplicates: false` puts them
 * back, so `validRecords` counts them and `duplicatesRemoved` is 0. The loaded log is not changed.
 */
export function applyDuplicatePolicy(loaded: LoadedLog, parameters: Readonly<Record<string, unknown>>): LoadedLog {
  const checks = parameters['qualityChecks'] as { checkDuplicates?: boolean } | undefined;
  const checkDuplicates = checks?.checkDuplicates !== false;
  const exactRepeats = loaded.log.exactRepeats?.count ?? 0;
  const validation = loaded.quality.dataValidation;
  if (checkDuplicates || exactRepeats === 0) {
    return { ...loaded, quality: { ...loaded.quality, duplicates: { checkDuplicates, exactRepeats, removed: validation.duplicatesRemoved } } };
  }
  return {
    ...loaded,
    log: withExactRepeats(loaded.log),
    quality: {
      ...loaded.quality,
      dataValidation: { ...validation, validRecords: validation.validRecords + validation.duplicatesRemoved, duplicatesRemoved: 0 },
      duplicates: { checkDuplicates, exactRepeats, removed: 0 },
    },
  };
}

const INVALID_REASON_MESSAGES: Readonly<Record<string, string>> = {
  missingCaseId: 'Records rejected: missing case id',
  missingActivity: 'Records rejected: missing activity',
  missingTimestamp: 'Records rejected: missing timestamp',
  unparseableTimestamp: 'Records rejected: unparseable timestamp',
};

/**
 * Logs a long-lived process (a job runner) has loaded, kept for the next jobs on the same
 * dataset, least recently used dropped first, up to `maxEvents` events in all (0 keeps
 * none). A dataset's file never changes once registered; the key still includes the file's
 * size, modification time and inode, and the ingest settings. Jobs only read a loaded log.
 */
export class LoadedLogCache {
  private readonly logs = new Map<string, LoadedLog>();
  private events = 0;

  constructor(readonly maxEvents: number) {}

  async keyOf(request: JobExecutionRequest): Promise<string | null> {
    if (this.maxEvents <= 0) return null;
    // Blocking: the cache lives in a job runner, which has nothing else to do meanwhile (a thread-pool round trip costs more).
    const file = statSync(request.dataset.path, { throwIfNoEntry: false });
    if (!file) return null;
    const { path, format, columns } = request.dataset;
    return JSON.stringify([path, format, columns ?? null, file.size, file.mtimeMs, file.ino]);
  }

  get(key: string): LoadedLog | undefined {
    const loaded = this.logs.get(key);
    if (loaded) {
      this.logs.delete(key); // re-inserted: most recently used last
      this.logs.set(key, loaded);
    }
    return loaded;
  }

  set(key: string, loaded: LoadedLog): void {
    const size = loaded.log.eventCount;
    if (size > this.maxEvents || this.logs.has(key)) return;
    while (this.events + size > this.maxEvents) {
      const [oldestKey, oldest] = this.logs.entries().next().value!;
      this.logs.delete(oldestKey);
      this.events -= oldest.log.eventCount;
    }
    this.logs.set(key, loaded);
    this.events += size;
  }

  /** Events held, for tests and figures. */
  get heldEvents(): number {
    return this.events;
  }
}

export async function loadEventLog(request: JobExecutionRequest, progress: ProgressTracker, cache?: LoadedLogCache): Promise<LoadedLog> {
  const key = cache ? await cache.keyOf(request) : null;
  const cached = key === null ? undefined : cache!.get(key);
  if (cached) {
    progress.enter('Loading');
    reportLoaded(cached.ingest, progress);
    progress.enter('Validating');
    return cached;
  }
  const loaded = await ingestAndReport(request, progress);
  if (key !== null) cache!.set(key, loaded);
  return loaded;
}

function reportLoaded(ingest: IngestResult, progress: ProgressTracker): void {
  const { validation, warnings } = ingest.quality;
  const warningCount = warnings.reduce((sum, w) => sum + w.count, 0);
  progress.loaded(validation.totalRecords, validation.validRecords, validation.invalidRecords, warningCount);
}

/** The log as read at the dataset's import when there is one this version reads, else the source read again. */
async function readLog(request: JobExecutionRequest, progress: ProgressTracker): Promise<IngestResult> {
  const ingested = request.dataset.ingestedPath;
  if (ingested !== undefined) {
    try {
      return readIngestedLog(ingested);
    } catch (error) {
      if (!(error instanceof UnreadableIngestedLogError) && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return ingestEventLog(
    { path: request.dataset.path, format: request.dataset.format, ...(request.dataset.columns && { columns: request.dataset.columns }) },
    { onProgress: (p) => progress.loading(p.recordsRead, p.bytesRead, p.totalBytes) },
  );
}

async function ingestAndReport(request: JobExecutionRequest, progress: ProgressTracker): Promise<LoadedLog> {
  progress.enter('Loading');
  const ingest = await readLog(request, progress);
  const { validation, warnings, dataQualityScore, invalidReasons } = ingest.quality;
  const processingErrors: ProcessingError[] = Object.entries(invalidReasons)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ type: 'InvalidRecord', message: INVALID_REASON_MESSAGES[reason] ?? `Records rejected: ${reason}`, count }));
  reportLoaded(ingest, progress);
  progress.enter('Validating');
  return {
    log: ingest.log,
    ingest,
    quality: {
      dataQualityScore,
      dataValidation: validation,
      warnings,
      processingErrors,
      columnMapping: ingest.columns.mapping,
      sourceColumns: ingest.columns.sourceColumns,
    },
  };
}
