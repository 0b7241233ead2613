/** Loading + Validating stages shared by every job type: ingest with progress, then the quality report. */
import type { EventLog } from '../event-log.js';
import { ingestEventLog, type IngestResult } from '../ingest/index.js';
import type { DataValidation, JobExecutionRequest, QualityWarning } from '../job-execution.contract.js';
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
}

const INVALID_REASON_MESSAGES: Readonly<Record<string, string>> = {
  missingCaseId: 'Records rejected: missing case id',
  missingActivity: 'Records rejected: missing activity',
  missingTimestamp: 'Records rejected: missing timestamp',
  unparseableTimestamp: 'Records rejected: unparseable timestamp',
};

export async function loadEventLog(request: JobExecutionRequest, progress: ProgressTracker): Promise<LoadedLog> {
  progress.enter('Loading');
  const ingest = await ingestEventLog(
    { path: request.dataset.path, format: request.dataset.format, ...(request.dataset.columns && { columns: request.dataset.columns }) },
    { onProgress: (p) => progress.loading(p.recordsRead, p.bytesRead, p.totalBytes) },
  );
  const { validation, warnings, dataQualityScore, invalidReasons } = ingest.quality;
  const processingErrors: ProcessingError[] = Object.entries(invalidReasons)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ type: 'InvalidRecord', message: INVALID_REASON_MESSAGES[reason] ?? `Records rejected: ${reason}`, count }));
  const warningCount = warnings.reduce((sum, w) => sum + w.count, 0);
  progress.loaded(validation.totalRecords, validation.validRecords, validation.invalidRecords, warningCount);
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
