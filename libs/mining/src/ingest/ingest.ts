import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ColumnMapping, EventLog } from '../event-log.js';
import type { DatasetFormat } from '../job-execution.contract.js';
import { ColumnMappingError, detectColumns } from './columns.js';
import { isGzippedFormat } from './detect-format.js';
import { openCsvBlockReaders, type CsvBlockReader, type ParsedCsvBlock } from './csv-block-readers.js';
import { CsvBlockMerger, CsvBlockParser, type CsvLayout } from './csv-blocks.js';
import { CsvRecordParser, type CsvRecord } from './csv-reader.js';
import { EventLogBuilder, type IngestQuality } from './log-builder.js';
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
    try {
      if (source.format === 'csv' || source.format === 'csv.gz') {
        const reading = { threads: Math.max(0, Math.floor(options.readThreads ?? 0)), blockBytes: options.readBlockBytes ?? READ_BLOCK_BYTES };
        return await ingestCsv(textStream, source.columns ?? {}, now, report, checkLimits, reading);
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
  reading: CsvReading,
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
  for await (const chunk of stream) {
    bytesRead += (chunk as Buffer).length;
    checkLimits(bytesRead, recordsRead());
    if (rows !== null) {
      await rows.push(chunk as Buffer);
    } else {
      headerParser.push(chunk as Buffer);
      if (layout !== null) {
        rows = new CsvRows(new CsvBlockMerger(builder!, (layout as CsvLayout).extraSourceColumns.length), layout, reading);
        const rest = headerParser.takeRest();
        if (rest !== null) await rows.push(rest);
      }
    }
    checkLimits(bytesRead, recordsRead());
  }
  if (rows === null) headerParser.end();
  else await rows.end();
  checkLimits(bytesRead, recordsRead());

  if (header === null || builder === null || mapping === null) throw new ColumnMappingError(['caseId', 'activity', 'timestamp'], []);
  const finished = builder as EventLogBuilder;
  const { log, quality } = finished.build();
  report(finished.recordsRead);
  return { log, quality, columns: { mapping, sourceColumns: header } };
}

/** How a CSV's records are parsed: by how many block threads (0: on this thread alone), in blocks of about how many bytes. */
interface CsvReading {
  readonly threads: number;
  readonly blockBytes: number;
}

/**
 * The records after a CSV's header, pushed as they arrive. Read on this thread until there is
 * more than a block; then cut into blocks that end at a line feed, parsed by the block
 * readers in turn (at most two blocks in flight per reader) and merged in file order. A block
 * cut inside a quoted field is told by its parse, which then ends inside a record: the rest
 * of it and the next block are parsed again here, and from the first block that starts at a
 * record again the readers' parses count once more. So the records are the one-thread read's
 * wherever the cuts fall.
 */
class CsvRows {
  /** This thread's parser: the read of a small file, and of the blocks after a cut inside a record. */
  private readonly own: CsvBlockParser;
  private readonly ownNumber: number;
  private readers: CsvBlockReader[] | null = null;
  private nextReader = 0;
  private readonly inFlight: { readonly reader: number; readonly parsed: Promise<ParsedCsvBlock>; readonly final: boolean }[] = [];
  private waiting: Buffer[] = [];
  private waitingBytes = 0;

  constructor(private readonly merger: CsvBlockMerger, private readonly layout: CsvLayout, private readonly reading: CsvReading) {
    this.own = new CsvBlockParser(layout);
    this.ownNumber = reading.threads;
  }

  async push(bytes: Buffer): Promise<void> {
    if (this.reading.threads < 1) {
      this.merger.merge(this.ownNumber, this.own.parse(bytes, false));
      return;
    }
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
    while (this.waitingBytes >= this.reading.blockBytes) {
      const cut = this.lineEndNear(this.reading.blockBytes);
      // Without a line feed for a while (lone CR line ends, or one huge record), the bytes go anyway: the parse tells.
      if (cut < 0 && this.waitingBytes < 4 * this.reading.blockBytes) return;
      await this.dispatch(this.takeWaiting(cut < 0 ? this.waitingBytes : cut), false);
    }
  }

  async end(): Promise<void> {
    try {
      if (this.readers === null) {
        // Never more than a block: read here.
        for (const bytes of this.waiting) this.merger.merge(this.ownNumber, this.own.parse(bytes, false));
        this.merger.merge(this.ownNumber, this.own.parse(EMPTY, true));
        return;
      }
      await this.dispatch(this.takeWaiting(this.waitingBytes), true);
      while (this.inFlight.length > 0) await this.mergeNext();
    } finally {
      this.close();
    }
  }

  private close(): void {
    for (const { parsed } of this.inFlight) parsed.catch(() => undefined);
    this.readers?.forEach((reader) => reader.close());
  }

  private async dispatch(block: Buffer, final: boolean): Promise<void> {
    try {
      this.readers ??= openCsvBlockReaders(this.layout, this.reading.threads);
      const reader = this.nextReader;
      this.nextReader = (reader + 1) % this.readers.length;
      this.inFlight.push({ reader, parsed: this.readers[reader]!.parse(block, final), final });
      while (this.inFlight.length > 2 * this.readers.length) await this.mergeNext();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  private async mergeNext(): Promise<void> {
    const { reader, parsed, final } = this.inFlight.shift()!;
    const { records, rest, bytes } = await parsed;
    if (this.own.hasRest) {
      // The block before was cut inside a record, so this one's parse started in the middle of one.
      this.merger.learnEntries(reader, records);
      this.merger.merge(this.ownNumber, this.own.parse(asBuffer(bytes), final));
      return;
    }
    this.merger.merge(reader, records);
    if (rest !== null && rest.length > 0) this.merger.merge(this.ownNumber, this.own.parse(asBuffer(rest), false));
  }

  /** The offset just after the last line feed among the first `limit` waiting bytes, else after the first one past them; -1 without any. */
  private lineEndNear(limit: number): number {
    let offset = 0;
    let lastBefore = -1;
    for (const chunk of this.waiting) {
      if (offset >= limit) {
        const at = chunk.indexOf(LINE_FEED);
        if (at >= 0) return offset + at + 1;
      } else {
        const at = chunk.lastIndexOf(LINE_FEED, limit - offset - 1);
        if (at >= 0) lastBefore = offset + at + 1;
        if (offset + chunk.length >= limit && lastBefore >= 0) return lastBefore;
        // Past the limit inside this chunk: the first line feed after it.
        if (offset + chunk.length > limit) {
          const after = chunk.indexOf(LINE_FEED, limit - offset);
          if (after >= 0) return offset + after + 1;
        }
      }
      offset += chunk.length;
    }
    return lastBefore;
  }

  /** The first `length` waiting bytes as one block in memory of its own (it moves to a thread). */
  private takeWaiting(length: number): Buffer {
    const block = Buffer.from(new ArrayBuffer(length));
    let filled = 0;
    while (filled < length) {
      const chunk = this.waiting[0]!;
      const taken = Math.min(chunk.length, length - filled);
      block.set(taken === chunk.length ? chunk : chunk.subarray(0, taken), filled);
      filled += taken;
      if (taken === chunk.length) this.waiting.shift();
      else this.waiting[0] = chunk.subarray(taken);
    }
    this.waitingBytes -= length;
    return block;
  }
}

const EMPTY = Buffer.alloc(0);
const LINE_FEED = 10;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
