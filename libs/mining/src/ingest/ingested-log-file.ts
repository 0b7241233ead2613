/**
 * A dataset's log as read once at its import, stored as an Apache Arrow IPC file, so every job
 * on it loads the sorted, validated columnar log in milliseconds instead of parsing the source
 * again, and users can read it with their own tools (pyarrow, pandas, polars, DuckDB).
 *
 * One row per event in the log's order (case, then time, then source record). Columns:
 * `case:concept:name`, `concept:name` and `org:resource` (dictionary-encoded strings),
 * `time:timestamp` and `start_timestamp` (timestamps in milliseconds, UTC; the start only when
 * the log has start times), `lifecycle` (dictionary; only when the log has transitions),
 * `source_row` (the event's 0-based source record), then every extra column of the source
 * under its name (dictionary-encoded, null where missing). The schema's metadata
 * `process-mining:ingest` holds the quality report and the column mapping as JSON.
 *
 * Exact repeats the ingest set aside (see `EventLog.exactRepeats`) go in a second Arrow file
 * next to it (`<file>.repeats`), written only when there are any.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  Dictionary, Field, Int32, makeData, makeVector, Schema, Table, tableFromIPC, tableToIPC, TimestampMillisecond, Utf8,
  type Vector,
} from 'apache-arrow';
import type { EventLog, ExactRepeats } from '../event-log.js';
import { caseOffsetsOf } from '../event-log-columns.js';
import type { IngestResult } from './ingest.js';

/** Bump when the layout changes; a file of another version is read again from the source. */
export const INGESTED_LOG_FORMAT_VERSION = 1;
const METADATA_KEY = 'process-mining:ingest';

const CASE = 'case:concept:name';
const ACTIVITY = 'concept:name';
const TIMESTAMP = 'time:timestamp';
const RESOURCE = 'org:resource';
const START = 'start_timestamp';
const LIFECYCLE = 'lifecycle';
const SOURCE_ROW = 'source_row';
const RESERVED = new Set([CASE, ACTIVITY, TIMESTAMP, RESOURCE, START, LIFECYCLE, SOURCE_ROW]);

/** What the file's metadata holds besides the columns. */
interface IngestMetadata {
  readonly version: number;
  readonly caseCount: number;
  readonly quality: IngestResult['quality'];
  readonly columns: IngestResult['columns'];
  /** The extra columns' names in order, as the log has them (field names may carry a suffix to stay unique). */
  readonly extraColumns: readonly string[];
  readonly extraFields: readonly string[];
  readonly hasStart: boolean;
  readonly lifecycles: readonly string[] | null;
  readonly repeats: number;
}

/** The file does not hold a log this version can read; read the source instead. */
export class UnreadableIngestedLogError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file} is not an ingested log of format ${INGESTED_LOG_FORMAT_VERSION}: ${reason}`);
    this.name = 'UnreadableIngestedLogError';
  }
}

function dictionaryVector(dictionary: readonly string[], indexes: Int32Array, length: number): Vector {
  let nullCount = 0;
  for (let i = 0; i < length; i++) if (indexes[i]! < 0) nullCount++;
  return makeVector(makeData({
    type: new Dictionary(new Utf8(), new Int32()),
    length,
    data: indexes,
    dictionary: utf8Vector(dictionary),
    nullCount,
    ...(nullCount > 0 && { nullBitmap: validityOf(length, (i) => indexes[i]! >= 0) }),
  }));
}

/**
 * Strings as an Arrow Utf8 vector, laid out directly: the same buffers as `vectorFromArray`
 * gives, which builds them value by value and took 1.3 s for a million values (20× this).
 */
function utf8Vector(values: readonly string[]): Vector {
  const text = values.join('');
  let data = Buffer.from(text, 'utf8');
  const valueOffsets = new Int32Array(values.length + 1);
  // All ASCII (one byte per character) is the common case; otherwise each value's UTF-8 length.
  const byteLength = data.length === text.length ? (value: string) => value.length : (value: string) => Buffer.byteLength(value, 'utf8');
  let offset = 0;
  for (let i = 0; i < values.length; i++) {
    valueOffsets[i] = offset;
    offset += byteLength(values[i]!);
  }
  valueOffsets[values.length] = offset;
  // Lone surrogates at the ends of neighbouring values would pair up in the joined text.
  if (offset !== data.length) data = Buffer.concat(values.map((value) => Buffer.from(value, 'utf8')));
  return makeVector(makeData({ type: new Utf8(), length: values.length, valueOffsets, data, nullCount: 0 }));
}

function validityOf(length: number, valid: (i: number) => boolean): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) if (valid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
  return bitmap;
}

function timestampVector(epochMs: Float64Array, length: number): Vector {
  const data = new BigInt64Array(length);
  // Written as two little-endian 32-bit halves (Arrow's byte order): a BigInt per value costs ~40 ns.
  const words = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    const value = epochMs[i]!;
    if (Number.isNaN(value)) {
      nullCount++;
      continue;
    }
    const whole = Math.round(value);
    const high = Math.floor(whole / TWO_TO_32);
    words.setUint32(8 * i, whole - high * TWO_TO_32, true);
    words.setInt32(8 * i + 4, high, true);
  }
  return makeVector(makeData({
    type: new TimestampMillisecond('UTC'),
    length,
    data,
    nullCount,
    ...(nullCount > 0 && { nullBitmap: validityOf(length, (i) => !Number.isNaN(epochMs[i]!)) }),
  }));
}

const TWO_TO_32 = 2 ** 32;

/** Values as a dictionary (first appearance order) and an index per value, -1 for null. */
function encodeStrings(values: readonly (string | null)[], length: number): { dictionary: string[]; indexes: Int32Array } {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const indexes = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      indexes[i] = -1;
      continue;
    }
    let id = index.get(value);
    if (id === undefined) {
      id = dictionary.length;
      index.set(value, id);
      dictionary.push(value);
    }
    indexes[i] = id;
  }
  return { dictionary, indexes };
}

function asInt32(values: Uint32Array | Int32Array): Int32Array {
  return values instanceof Int32Array ? values : new Int32Array(values.buffer, values.byteOffset, values.length);
}

function uniqueFieldNames(names: readonly string[]): string[] {
  const used = new Set<string>(RESERVED);
  return names.map((name) => {
    let field = name;
    for (let n = 2; used.has(field); n++) field = `${name} (${n})`;
    used.add(field);
    return field;
  });
}

function writeTable(file: string, vectors: Record<string, Vector>, metadata: Map<string, string>): void {
  const table = new Table(vectors);
  const schema = new Schema(table.schema.fields as Field[], metadata);
  writeFileSync(file, tableToIPC(new Table(schema, table.batches), 'file'));
}

export function writeIngestedLog(file: string, ingested: IngestResult): void {
  const log = ingested.log;
  const n = log.eventCount;
  const extraNames = log.extraColumns.map((column) => column.name);
  const extraFields = uniqueFieldNames(extraNames);
  const vectors: Record<string, Vector> = {
    [CASE]: dictionaryVector(log.caseIds, asInt32(log.eventCase), n),
    [ACTIVITY]: dictionaryVector(log.activities, asInt32(log.eventActivity), n),
    [TIMESTAMP]: timestampVector(log.eventTimestamp, n),
    [RESOURCE]: dictionaryVector(log.resources, log.eventResource, n),
  };
  if (log.eventStart) vectors[START] = timestampVector(log.eventStart, n);
  if (log.eventLifecycle && log.lifecycles) vectors[LIFECYCLE] = dictionaryVector(log.lifecycles, log.eventLifecycle, n);
  vectors[SOURCE_ROW] = makeVector(log.eventRow.subarray(0, n));
  log.extraColumns.forEach((column, i) => {
    const { dictionary, indexes } = encodeStrings(column.values, n);
    vectors[extraFields[i]!] = dictionaryVector(dictionary, indexes, n);
  });
  const repeats = log.exactRepeats?.count ?? 0;
  const metadata: IngestMetadata = {
    version: INGESTED_LOG_FORMAT_VERSION,
    caseCount: log.caseCount,
    quality: ingested.quality,
    columns: ingested.columns,
    extraColumns: extraNames,
    extraFields,
    hasStart: log.eventStart !== null,
    lifecycles: log.eventLifecycle && log.lifecycles ? log.lifecycles : null,
    repeats,
  };
  writeTable(file, vectors, new Map([[METADATA_KEY, JSON.stringify(metadata)]]));
  if (repeats > 0) writeRepeats(repeatsFileOf(file), log.exactRepeats!, extraFields);
}

export function repeatsFileOf(file: string): string {
  return `${file}.repeats`;
}

function writeRepeats(file: string, repeats: ExactRepeats, extraFields: readonly string[]): void {
  const n = repeats.count;
  const vectors: Record<string, Vector> = {
    original: makeVector(repeats.original.subarray(0, n)),
    [SOURCE_ROW]: makeVector(repeats.row.subarray(0, n)),
  };
  if (repeats.start) vectors[START] = timestampVector(repeats.start, n);
  extraFields.forEach((field, column) => {
    const { dictionary, indexes } = encodeStrings(repeats.extraValues[column] ?? [], n);
    vectors[field] = dictionaryVector(dictionary, indexes, n);
  });
  writeTable(file, vectors, new Map([[METADATA_KEY, JSON.stringify({ version: INGESTED_LOG_FORMAT_VERSION })]]));
}

/** The one chunk of a column this module wrote (a file of other origin may have several). */
function onlyChunk(table: Table, name: string, file: string) {
  const column = table.getChild(name);
  if (!column) throw new UnreadableIngestedLogError(file, `no column ${name}`);
  if (column.data.length !== 1) throw new UnreadableIngestedLogError(file, `column ${name} is in ${column.data.length} chunks`);
  return column.data[0]!;
}

function dictionaryIndexes(table: Table, name: string, file: string, length: number): { indexes: Int32Array; dictionary: string[] } {
  const chunk = onlyChunk(table, name, file);
  const values = chunk.values as Int32Array;
  return { indexes: values.subarray(0, length), dictionary: (chunk.dictionary?.toArray() ?? []) as string[] };
}

function timestamps(table: Table, name: string, file: string, length: number): Float64Array {
  const chunk = onlyChunk(table, name, file);
  const values = chunk.values as BigInt64Array;
  // Read as two little-endian 32-bit halves: reading a BigInt64Array element makes a BigInt.
  const words = new DataView(values.buffer, values.byteOffset, 8 * length);
  const out = new Float64Array(length);
  const validity = chunk.nullBitmap;
  const hasNulls = chunk.nullCount > 0 && validity !== undefined && validity.length > 0;
  for (let i = 0; i < length; i++) {
    out[i] = hasNulls && (validity[i >> 3]! & (1 << (i & 7))) === 0
      ? Number.NaN
      : words.getInt32(8 * i + 4, true) * TWO_TO_32 + words.getUint32(8 * i, true);
  }
  return out;
}

function stringsOf(table: Table, name: string, file: string, length: number): (string | null)[] {
  const { indexes, dictionary } = dictionaryIndexes(table, name, file, length);
  const values = new Array<string | null>(length);
  for (let i = 0; i < length; i++) values[i] = indexes[i]! < 0 ? null : dictionary[indexes[i]!]!;
  return values;
}

function readTable(file: string): { table: Table; metadata: Record<string, unknown> } {
  let table: Table;
  try {
    table = tableFromIPC(readFileSync(file));
  } catch (error) {
    throw new UnreadableIngestedLogError(file, error instanceof Error ? error.message : String(error));
  }
  const text = table.schema.metadata.get(METADATA_KEY);
  if (text === undefined) throw new UnreadableIngestedLogError(file, 'no ingest metadata');
  const metadata = JSON.parse(text) as Record<string, unknown>;
  if (metadata['version'] !== INGESTED_LOG_FORMAT_VERSION) throw new UnreadableIngestedLogError(file, `format version ${String(metadata['version'])}`);
  return { table, metadata };
}

/** The log, quality report and column mapping exactly as the ingest that wrote the file returned them. */
export function readIngestedLog(file: string): IngestResult {
  const { table, metadata: raw } = readTable(file);
  const metadata = raw as unknown as IngestMetadata;
  const n = table.numRows;
  const cases = dictionaryIndexes(table, CASE, file, n);
  const activities = dictionaryIndexes(table, ACTIVITY, file, n);
  const resources = dictionaryIndexes(table, RESOURCE, file, n);
  const eventCase = new Uint32Array(cases.indexes.buffer, cases.indexes.byteOffset, n);
  const row = onlyChunk(table, SOURCE_ROW, file).values as Uint32Array;
  const lifecycle = metadata.lifecycles ? dictionaryIndexes(table, LIFECYCLE, file, n) : null;
  const extraColumns = metadata.extraColumns.map((name, i) => ({ name, values: stringsOf(table, metadata.extraFields[i]!, file, n) }));
  const log: EventLog = {
    eventCount: n,
    caseCount: metadata.caseCount,
    caseIds: cases.dictionary,
    activities: activities.dictionary,
    resources: resources.dictionary,
    eventCase,
    eventActivity: new Uint32Array(activities.indexes.buffer, activities.indexes.byteOffset, n),
    eventResource: resources.indexes,
    eventTimestamp: timestamps(table, TIMESTAMP, file, n),
    eventStart: metadata.hasStart ? timestamps(table, START, file, n) : null,
    eventRow: row.subarray(0, n),
    caseOffsets: caseOffsetsOf(eventCase, n, metadata.caseCount),
    extraColumns,
    ...(lifecycle && { lifecycles: metadata.lifecycles!, eventLifecycle: lifecycle.indexes }),
    exactRepeats: metadata.repeats > 0 ? readRepeats(repeatsFileOf(file), metadata) : null,
  };
  return { log, quality: metadata.quality, columns: metadata.columns };
}

function readRepeats(file: string, log: IngestMetadata): ExactRepeats {
  if (!existsSync(file)) throw new UnreadableIngestedLogError(file, 'the exact repeats file is missing');
  const { table } = readTable(file);
  const n = table.numRows;
  return {
    count: n,
    original: (onlyChunk(table, 'original', file).values as Uint32Array).subarray(0, n),
    row: (onlyChunk(table, SOURCE_ROW, file).values as Uint32Array).subarray(0, n),
    start: log.hasStart ? timestamps(table, START, file, n) : null,
    extraValues: log.extraFields.map((field) => stringsOf(table, field, file, n)),
  };
}
