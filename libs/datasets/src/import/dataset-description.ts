/**
 * What registering a dataset learns by reading its log once, and how an ingest failure
 * crosses the process boundary between the dataset import process and its caller.
 */
import type { Readable } from 'node:stream';
import type { ColumnMapping } from '../../../mining/src/event-log.js';
import {
  ColumnMappingError, EventLogTooLargeError, MalformedEventLogError, ingestEventLog, type IngestLimits, type IngestResult,
} from '../../../mining/src/ingest/index.js';
import { writeIngestedLog } from '../../../mining/src/ingest/ingested-log-file.js';
import type { DatasetFormat, DataValidation, QualityWarning } from '../../../mining/src/job-execution.contract.js';

export interface DatasetDescription {
  readonly sourceColumns: readonly string[];
  readonly columnMapping: ColumnMapping;
  readonly cases: number;
  readonly events: number;
  readonly activities: number;
  readonly dataValidation: DataValidation;
  readonly warnings: readonly QualityWarning[];
  readonly dataQualityScore: number;
}

export interface DescribeRequest {
  readonly path: string;
  readonly format: DatasetFormat;
  readonly columns: Partial<ColumnMapping>;
  readonly limits?: IngestLimits;
  /** Where to write the log as read (writeIngestedLog), for jobs to load instead of reading the source again. */
  readonly ingestedLogPath?: string;
}

/** How this process reads a log (IngestSource.bytes, IngestOptions.readThreads and readBlockBytes). */
export interface DescribeReading {
  readonly bytes?: Readable;
  readonly readThreads?: number;
  readonly readBlockBytes?: number;
}

/** Reads a log once and describes it; throws the ingest's typed errors for a log that cannot be read. */
export type DescribeDataset = (request: DescribeRequest) => Promise<DatasetDescription>;

/**
 * Reads the log once: describes it and, when asked, writes it as read for the jobs on it.
 * `reading.bytes` are the file's bytes from another reader (one that follows a file still being
 * written); `reading.readThreads` parse a large log's blocks beside this thread.
 */
export async function readAndDescribe(request: DescribeRequest, reading: DescribeReading = {}): Promise<DatasetDescription> {
  const { bytes, readThreads = 0, readBlockBytes } = reading;
  const source = { path: request.path, format: request.format, columns: request.columns, ...(bytes && { bytes }) };
  const ingested = await ingestEventLog(source, { ...(request.limits && { limits: request.limits }), readThreads, ...(readBlockBytes && { readBlockBytes }) });
  if (request.ingestedLogPath !== undefined) writeIngestedLog(request.ingestedLogPath, ingested);
  return describeIngested(ingested);
}

export function describeIngested(ingested: IngestResult): DatasetDescription {
  return {
    sourceColumns: ingested.columns.sourceColumns,
    columnMapping: ingested.columns.mapping,
    cases: ingested.log.caseCount,
    events: ingested.log.eventCount,
    activities: ingested.log.activities.length,
    dataValidation: ingested.quality.validation,
    warnings: ingested.quality.warnings,
    dataQualityScore: ingested.quality.dataQualityScore,
  };
}

/** An ingest failure as plain data (IPC carries no classes). */
export type IngestFailure =
  | { readonly kind: 'columnMapping'; readonly missing: string[]; readonly sourceColumns: string[]; readonly unknownColumns: Record<string, string> }
  | { readonly kind: 'tooLarge'; readonly limit: 'decompressedBytes' | 'records'; readonly maximum: number }
  | { readonly kind: 'malformed'; readonly format: DatasetFormat; readonly reason: string }
  | { readonly kind: 'unexpected'; readonly message: string };

export function ingestFailureOf(error: unknown): IngestFailure {
  if (error instanceof ColumnMappingError) {
    return { kind: 'columnMapping', missing: error.missing, sourceColumns: error.sourceColumns, unknownColumns: { ...error.unknownColumns } };
  }
  if (error instanceof EventLogTooLargeError) return { kind: 'tooLarge', limit: error.limit, maximum: error.maximum };
  if (error instanceof MalformedEventLogError) return { kind: 'malformed', format: error.format, reason: error.reason };
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}

export function errorOfIngestFailure(failure: IngestFailure): Error {
  switch (failure.kind) {
    case 'columnMapping':
      return new ColumnMappingError(failure.missing, failure.sourceColumns, failure.unknownColumns);
    case 'tooLarge':
      return new EventLogTooLargeError(failure.limit, failure.maximum);
    case 'malformed':
      return new MalformedEventLogError(failure.format, failure.reason);
    case 'unexpected':
      return new Error(`the dataset import failed: ${failure.message}`);
  }
}
