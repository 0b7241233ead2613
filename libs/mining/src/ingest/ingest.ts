import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ColumnMapping, EventLog } from '../event-log.js';
import type { DatasetFormat } from '../job-execution.contract.js';
import { ColumnMappingError, detectColumns } from './columns.js';
import { isGzippedFormat } from './detect-format.js';
import { CsvRows, XesTraces, type BlockReading } from './blocked-read.js';
import { CsvBlockMerger, CsvBlockParser, type CsvLayout } from './csv-blocks.js';
import { CsvRecordParser, type CsvRecord } from './csv-reader.js';
import { EventLogBuilder, type IngestQuality } from './log-builder.js';
import { XesBlockMerger, XesBlockParser } from './xes-blocks.js';

export interface IngestSource {
  readonly path: string;
  readonly format: DatasetFormat;
  /** CSV only: explicit columns; fields left out are auto-detected. */
  readonly columns?: Partial<ColumnMapping>;
  /** The file's bytes from another reader (of a file still being written); by default `path` is read. */
  readonly bytes?: Readable;
}

export interface IngestProgress {
  /** Source records read so far (CSV data rows or XES events, valid or not). */
  readonly recordsRead: number;
  /** Bytes of the file read so far (compressed bytes for `xes.gz`). */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

export interface IngestOptions {
  /** Called every `PROGRESS_EVERY_RECORDS` records and once at the end. */
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Reference time for implausible-future checks; defaults to the current time. */
  readonly now?: Date;
  /** Checked while reading, so an oversized log stops early with `EventLogTooLargeError`. */
  readonly limits?: IngestLimits;
  /** Threads that parse a large CSV's blocks beside this one (default 0: this thread reads alone). */
  readonly readThreads?: number;
  /** About how many bytes a block handed to a read thread has (default READ_BLOCK_BYTES). */
  readonly readBlockBytes?: number;
}

/** Blocks of a few megabytes: each thread's share of a large file is many blocks, and one block's hand-over costs little. */
export const READ_BLOCK_BYTES = 4 * 1024 * 1024;

export interface IngestLimits {
  /** Bytes a gzipped log may inflate to. */
  readonly maxDecompressedBytes?: number;
  /** Source records (CSV rows, XES events). */
  readonly maxRecords?: number;
}

/** The log is larger than a configured limit (a gzip bomb, too many events). */
export class EventLogTooLargeError extends Error {
  constructor(readonly limit: 'decompressedBytes' | 'records', readonly maximum: number) {
    super(limit === 'decompressedBytes'
      ? `the gzipped event log inflates to more than ${maximum} bytes (the limit)`
      : `the event log has more than ${maximum} records (the limit)`);
    this.name = 'EventLogTooLargeError';
  }
}

export interface IngestResult {
  readonly log: EventLog;
  readonly quality: IngestQuality;
  readonly columns: { readonly mapping: ColumnMapping; readonly sourceColumns: string[] };
}

export const PROGRESS_EVERY_RECORDS = 10_000;

const FORMAT_NAMES: Readonly<Record<DatasetFormat, string>> = { csv: 'CSV', 'csv.gz': 'gzipped CSV', xes: 'XES', 'xes.gz': 'gzipped XES' };

/** The file is not a readable event log of its format (corrupt gzip, malformed XML). */
export class MalformedEventLogError extends Error {
  constructor(readonly format: DatasetFormat, readonly reason: string) {
    super(`not a readable ${FORMAT_NAMES[format]} event log: ${reason}`);
    this.name = 'MalformedEventLogError';
  }
}
/** Large reads keep the per-chunk overhead (and the re-parse of a split record) negligible. */
const READ_CHUNK_BYTES = 1 << 20;

/** The fixed XES keys the log fields come from. */
export const XES_COLUMN_MAPPING: ColumnMapping = {
  caseId: 'case:concept:name',
  activity: 'concept:name',
  timestamp: 'time:timestamp',
  resource: 'org:resource',
};
const XES_LIFECYCLE_KEY = 'lifecycle:transition';

/** Distinct bytes an extra CSV column remembers (values of a column of unique ids are decoded each time). */
const EXTRA_COLUMN_POOL_BYTES = 1024 * 1024;

/**
 * Streams an event log file (CSV or XES, plain or gzipped) into a sorted, de-duplicated columnar
 * EventLog with a reconciled data-quality report. Memory holds the growing log columns plus
 * one read chunk, never the whole file text.
 *
 * @throws ColumnMappingError when a CSV header lacks the case, activity or timestamp column.
 */
export async function ingestEventLog(source: IngestSource, options: IngestOptions = {}): Promise<IngestResult> {
  const totalBytes = (await stat(source.path)).size;
  const fileStream = source.bytes ?? createReadStream(source.path, { highWaterMark: READ_CHUNK_BYTES });
  const report = (recordsRead: number): void =>
    options.onProgress?.({ recordsRead, bytesRead: Math.min((fileStream as { bytesRead?: number }).bytesRead ?? 0, totalBytes), totalBytes });
  const now = options.now ?? new Date();
  const limits = options.limits ?? {};
  const checkRecords = (records: number): void => {
    if (limits.maxRecords !== undefined && records > limits.maxRecords) throw new EventLogTooLargeError('records', limits.maxRecords);
  };

  try {
    const gunzip = isGzippedFormat(source.format) ? createGunzip({ chunkSize: READ_CHUNK_BYTES }) : null;
    const textStream = gunzip ? fileStream.pipe(gunzip) : fileStream;
    const maxInflated = gunzip ? limits.maxDecompressedBytes : undefined;
    const checkLimits = (inflatedBytes: number, records: number): void => {
      if (maxInflated !== undefined && inflatedBytes > maxInflated) throw new EventLogTooLargeError('decompressedBytes', maxInflated);
      checkRecords(records);
    };
    const reading: BlockReading = { threads: Math.max(0, Math.floor(options.readThreads ?? 0)), blockBytes: options.readBlockBytes ?? READ_BLOCK_BYTES };
    try {
      if (source.format === 'csv' || source.format === 'csv.gz') {
        return await ingestCsv(textStream, source.columns ?? {}, now, report, checkLimits, reading);
      }
      return await ingestXes(textStream, now, report, checkLimits, reading);
    } catch (error) {
      if (error instanceof EventLogTooLargeError || error instanceof ColumnMappingError) throw error;
      // A broken gzip stream or malformed XML is bad input, not a fault of ours (CSV parsing itself never fails).
      if (source.format === 'csv') throw error;
      throw new MalformedEventLogError(source.format, error instanceof Error ? error.message : String(error));
    } finally {
      gunzip?.destroy();
    }
  } finally {
    fileStream.destroy();
  }
}

async function ingestXes(
  stream: NodeJS.ReadableStream,
  now: Date,
  report: (recordsRead: number) => void,
  checkLimits: (bytesRead: number, recordsRead: number) => void,
  reading: BlockReading,
): Promise<IngestResult> {
  const builder = new EventLogBuilder({ hasStartTimestamps: false, now, onMilestone: report, milestoneEvery: PROGRESS_EVERY_RECORDS });
  const merger = new XesBlockMerger(builder);
  const traces = new XesTraces(new XesBlockParser(), merger, reading);
  let bytesRead = 0;
  try {
    for await (const chunk of stream) {
      bytesRead += (chunk as Buffer).length;
      checkLimits(bytesRead, builder.recordsRead);
      await traces.push(chunk as Buffer);
    }
    await traces.end();
  } finally {
    traces.close();
  }
  checkLimits(bytesRead, builder.recordsRead);
  const { log, quality } = builder.build();
  report(builder.recordsRead);
  // The mapping names the lifecycle key only when the log has transitions, as a CSV mapping does.
  const mapping: ColumnMapping = log.eventLifecycle ? { ...XES_COLUMN_MAPPING, lifecycle: XES_LIFECYCLE_KEY } : XES_COLUMN_MAPPING;
  return { log, quality, columns: { mapping, sourceColumns: merger.sourceColumns } };
}

async function ingestCsv(
  stream: NodeJS.ReadableStream,
  overrides: Partial<ColumnMapping>,
  now: Date,
  report: (recordsRead: number) => void,
  checkLimits: (bytesRead: number, recordsRead: number) => void,
  reading: BlockReading,
): Promise<IngestResult> {
  let header: string[] | null = null;
  let mapping: ColumnMapping | null = null;
  let builder: EventLogBuilder | null = null;
  let layout: CsvLayout | null = null;

  const onHeader = (record: CsvRecord): false => {
    const names = record.texts().map((name) => name.trim());
    header = names;
    mapping = detectColumns(names, overrides);
    const columnOf = (name: string | undefined): number => (name === undefined ? -1 : names.indexOf(name));
    const caseColumn = columnOf(mapping.caseId);
    const activityColumn = columnOf(mapping.activity);
    const timestampColumn = columnOf(mapping.timestamp);
    const resourceColumn = columnOf(mapping.resource);
    const startColumn = columnOf(mapping.startTimestamp);
    builder = new EventLogBuilder({
      hasStartTimestamps: startColumn >= 0,
      now,
      onMilestone: report,
      milestoneEvery: PROGRESS_EVERY_RECORDS,
    });
    // The lifecycle column stays among the extra columns too, as the XES attribute does.
    const mapped = new Set([caseColumn, activityColumn, timestampColumn, resourceColumn, startColumn]);
    const extraSourceColumns = names.map((_, index) => index).filter((index) => !mapped.has(index));
    const usedNames = new Set<string>();
    for (const index of extraSourceColumns) {
      // Unnamed columns (e.g. a leading row index) get a positional name; repeated names a suffix.
      let name = names[index] === '' ? `column_${index + 1}` : names[index];
      for (let suffix = 2; usedNames.has(name); suffix++) name = `${names[index] || `column_${index + 1}`}_${suffix}`;
      usedNames.add(name);
      builder.extraColumn(name);
    }
    layout = {
      delimiter: headerParser.delimiter!,
      headerLength: names.length,
      caseColumn,
      activityColumn,
      timestampColumn,
      resourceColumn,
      startColumn,
      lifecycleColumn: columnOf(mapping.lifecycle),
      extraSourceColumns,
      extraPoolBytes: EXTRA_COLUMN_POOL_BYTES,
    };
    return false; // the records after it go to the block parsers
  };
  const headerParser = new CsvRecordParser(onHeader);

  let rows: CsvRows | null = null;
  const recordsRead = (): number => (builder === null ? 0 : (builder as EventLogBuilder).recordsRead);
  let bytesRead = 0;
  try {
    for await (const chunk of stream) {
      bytesRead += (chunk as Buffer).length;
      checkLimits(bytesRead, recordsRead());
      if (rows !== null) {
        await rows.push(chunk as Buffer);
      } else {
        headerParser.push(chunk as Buffer);
        if (layout !== null) {
          const merger = new CsvBlockMerger(builder!, (layout as CsvLayout).extraSourceColumns.length);
          rows = new CsvRows(new CsvBlockParser(layout), merger, layout, reading);
          const rest = headerParser.takeRest();
          if (rest !== null) await rows.push(rest);
        }
      }
      checkLimits(bytesRead, recordsRead());
    }
    if (rows === null) headerParser.end();
    else await rows.end();
  } finally {
    (rows as CsvRows | null)?.close();
  }
  checkLimits(bytesRead, recordsRead());

  if (header === null || builder === null || mapping === null) throw new ColumnMappingError(['caseId', 'activity', 'timestamp'], []);
  const finished = builder as EventLogBuilder;
  const { log, quality } = finished.build();
  report(finished.recordsRead);
  return { log, quality, columns: { mapping, sourceColumns: header } };
}
