import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ColumnMapping, EventLog } from '../event-log.js';
import type { DatasetFormat } from '../job-execution.contract.js';
import { ColumnMappingError, detectColumns } from './columns.js';
import { isGzippedFormat } from './detect-format.js';
import { ByteInterner } from './byte-interner.js';
import { CsvRecordParser, type CsvRecord } from './csv-reader.js';
import { ABSENT_KEY, EventLogBuilder, type IngestQuality, type TimestampField } from './log-builder.js';
import { parseTimestampBytesInto, type ParsedTimestamp } from './timestamp.js';
import { XesRecordReader } from './xes-reader.js';

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
}

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
    try {
      if (source.format === 'csv' || source.format === 'csv.gz') {
        return await ingestCsv(textStream, source.columns ?? {}, now, report, checkLimits);
      }
      return await ingestXes(textStream, now, report, checkLimits);
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
): Promise<IngestResult> {
  const builder = new EventLogBuilder({ hasStartTimestamps: false, now, onMilestone: report, milestoneEvery: PROGRESS_EVERY_RECORDS });
  const reader = new XesRecordReader(builder);
  let bytesRead = 0;
  for await (const chunk of stream) {
    bytesRead += (chunk as Buffer).length;
    checkLimits(bytesRead, builder.recordsRead);
    reader.push(chunk as Buffer);
  }
  reader.end();
  checkLimits(bytesRead, builder.recordsRead);
  const { log, quality } = builder.build();
  report(builder.recordsRead);
  // The mapping names the lifecycle key only when the log has transitions, as a CSV mapping does.
  const mapping: ColumnMapping = log.eventLifecycle ? { ...XES_COLUMN_MAPPING, lifecycle: XES_LIFECYCLE_KEY } : XES_COLUMN_MAPPING;
  return { log, quality, columns: { mapping, sourceColumns: reader.sourceColumns } };
}

async function ingestCsv(
  stream: NodeJS.ReadableStream,
  overrides: Partial<ColumnMapping>,
  now: Date,
  report: (recordsRead: number) => void,
  checkLimits: (bytesRead: number, recordsRead: number) => void,
): Promise<IngestResult> {
  let header: string[] | null = null;
  let mapping: ColumnMapping | null = null;
  let builder: EventLogBuilder | null = null;
  let caseColumn = -1;
  let activityColumn = -1;
  let timestampColumn = -1;
  let resourceColumn = -1;
  let startColumn = -1;
  let lifecycleColumn = -1;
  let extraSourceColumns: number[] = [];

  // Columns with repeating values get one string per distinct value; extra columns keep a small pool.
  const caseIds = new ByteInterner();
  const activities = new ByteInterner();
  const resources = new ByteInterner();
  const lifecycles = new ByteInterner();
  let extraInterners: ByteInterner[] = [];

  const onHeader = (record: CsvRecord): void => {
    header = record.texts().map((name) => name.trim());
    mapping = detectColumns(header, overrides);
    const columnOf = (name: string | undefined): number => (name === undefined ? -1 : header!.indexOf(name));
    caseColumn = columnOf(mapping.caseId);
    activityColumn = columnOf(mapping.activity);
    timestampColumn = columnOf(mapping.timestamp);
    resourceColumn = columnOf(mapping.resource);
    startColumn = columnOf(mapping.startTimestamp);
    lifecycleColumn = columnOf(mapping.lifecycle);
    builder = new EventLogBuilder({
      hasStartTimestamps: startColumn >= 0,
      now,
      onMilestone: report,
      milestoneEvery: PROGRESS_EVERY_RECORDS,
    });
    builder.useKeyedValues({ cases: caseIds, activities, resources, lifecycles });
    // The lifecycle column stays among the extra columns too, as the XES attribute does.
    const mapped = new Set([caseColumn, activityColumn, timestampColumn, resourceColumn, startColumn]);
    extraSourceColumns = header.map((_, index) => index).filter((index) => !mapped.has(index));
    extraInterners = extraSourceColumns.map(() => new ByteInterner(EXTRA_COLUMN_POOL_BYTES));
    const usedNames = new Set<string>();
    for (const index of extraSourceColumns) {
      // Unnamed columns (e.g. a leading row index) get a positional name; repeated names a suffix.
      let name = header[index] === '' ? `column_${index + 1}` : header[index];
      for (let suffix = 2; usedNames.has(name); suffix++) name = `${header[index] || `column_${index + 1}`}_${suffix}`;
      usedNames.add(name);
      builder.extraColumn(name);
    }
  };

  const extraValues: (string | null)[] = [];
  const parsedTimestamp: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  const parsedStart: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  /** The field's entry in `interner` (ABSENT_KEY without the field; -1 when the interner did not keep it). */
  const keyOf = (record: CsvRecord, column: number, interner: ByteInterner): number => {
    if (column < 0 || column >= record.count) return ABSENT_KEY;
    record.internedText(column, interner);
    return interner.entry;
  };
  const onRow = (record: CsvRecord): void => {
    const rowBuilder = builder!;
    for (let i = 0; i < extraSourceColumns.length; i++) extraValues[i] = record.internedText(extraSourceColumns[i], extraInterners[i]) ?? null;
    const caseKey = keyOf(record, caseColumn, caseIds);
    const activityKey = keyOf(record, activityColumn, activities);
    const resourceKey = keyOf(record, resourceColumn, resources);
    const lifecycleKey = keyOf(record, lifecycleColumn, lifecycles);
    const timestamp = timestampFieldOf(record, timestampColumn, parsedTimestamp);
    const start = startColumn >= 0 ? timestampFieldOf(record, startColumn, parsedStart) : null;
    const fieldCountMismatch = record.count !== header!.length;
    if (caseKey !== -1 && activityKey !== -1 && resourceKey !== -1 && lifecycleKey !== -1) {
      rowBuilder.addKeyedRecord(caseKey, activityKey, timestamp, resourceKey, start, extraValues, lifecycleKey, fieldCountMismatch);
      return;
    }
    // A value past an interner's limit (a log of millions of distinct case ids): by its text.
    rowBuilder.addRecord(
      record.internedText(caseColumn, caseIds),
      record.internedText(activityColumn, activities),
      timestamp,
      resourceColumn >= 0 ? record.internedText(resourceColumn, resources) : null,
      start,
      extraValues,
      lifecycleColumn >= 0 ? record.internedText(lifecycleColumn, lifecycles) : null,
      fieldCountMismatch,
    );
  };

  const parser = new CsvRecordParser((record) => (header === null ? onHeader(record) : onRow(record)));
  const recordsRead = (): number => (builder === null ? 0 : (builder as EventLogBuilder).recordsRead);
  let bytesRead = 0;
  for await (const chunk of stream) {
    bytesRead += (chunk as Buffer).length;
    checkLimits(bytesRead, recordsRead());
    parser.push(chunk as Buffer);
    checkLimits(bytesRead, recordsRead());
  }
  parser.end();
  checkLimits(bytesRead, recordsRead());

  if (header === null || builder === null || mapping === null) throw new ColumnMappingError(['caseId', 'activity', 'timestamp'], []);
  const finished = builder as EventLogBuilder;
  const { log, quality } = finished.build();
  report(finished.recordsRead);
  return { log, quality, columns: { mapping, sourceColumns: header } };
}

/**
 * Field `column` of a CSV record as the builder takes a timestamp: a plain ASCII field parsed
 * from its bytes into `into` (null when blank, as its trimmed text would be empty), anything
 * else (quoted, or with bytes beyond ASCII) as its text.
 */
function timestampFieldOf(record: CsvRecord, column: number, into: ParsedTimestamp): TimestampField {
  if (column >= record.count) return undefined;
  const bytes = record.bytes;
  const start = record.starts[column];
  const end = record.ends[column];
  if (record.quoted[column] !== 0) return record.text(column);
  let blank = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte > 127) return record.text(column);
    // What String.prototype.trim removes, within ASCII: tab, line breaks, vertical tab, form feed, space.
    if (blank && byte !== 32 && (byte < 9 || byte > 13)) blank = false;
  }
  if (blank) return null;
  parseTimestampBytesInto(bytes, start, end, into);
  return into;
}
