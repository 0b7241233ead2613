/**
 * Writes the enriched dataset: one row per event of the analysed log (sorted by case, then
 * time), the core fields under XES-style names so the file re-ingests without a mapping,
 * the source's extra columns, then the requested enrichment columns. Written in blocks
 * through one file handle so a million rows never sit in memory as one string.
 */
import { open } from 'node:fs/promises';
import { ANOMALY_FLAG, type AnomalyKind, type CaseEnrichment } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import type { EnrichmentName } from './validate-parameters.js';

export const ENRICHED_CORE_COLUMNS = {
  caseId: 'case:concept:name',
  activity: 'concept:name',
  timestamp: 'time:timestamp',
  resource: 'org:resource',
  startTimestamp: 'start_timestamp',
} as const;

const ANOMALY_KINDS = Object.keys(ANOMALY_FLAG) as AnomalyKind[];
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
const PROGRESS_EVERY_ROWS = 50_000;

/** A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection); UTF-16 codes. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)));
/**
 * A plain decimal number such as `-12.5` or `+3e2`: a spreadsheet evaluates it to that
 * number and nothing else (no function, no reference), so it is left usable as a number.
 */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One CSV cell of log text (ids, names, source columns, headers). A value a spreadsheet
 * would run as a formula gets a leading single quote inside a quoted field, as OWASP
 * recommends; the quote shows as text and the rest stays readable.
 */
export function csvField(value: string): string {
  if (FORMULA_TRIGGERS.has(value.charCodeAt(0)) && !PLAIN_NUMBER.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const DAY_MS = 86_400_000;
const ZERO = 48;
/** The longest text Date#toISOString gives (expanded years: `+275760-09-13T00:00:00.000Z`). */
const ISO_TIMESTAMP_MAX_BYTES = 27;
const DAY_PREFIXES_KEPT = 100_000;

/** Writes ASCII text (timestamps, numbers) byte by byte: cheaper than a Buffer#write call for a few characters. */
function writeAscii(target: Uint8Array, offset: number, text: string): number {
  for (let k = 0; k < text.length; k++) target[offset++] = text.charCodeAt(k);
  return offset;
}

function writeTwoDigits(target: Uint8Array, offset: number, value: number): number {
  const tens = (value / 10) | 0;
  target[offset] = ZERO + tens;
  target[offset + 1] = ZERO + value - tens * 10;
  return offset + 2;
}

/**
 * Writes `YYYY-MM-DDT` of a day since the epoch (the proleptic Gregorian calendar, as Date
 * uses; H. Hinnant's civil_from_days): rows of a case mostly fall on different days, and a
 * Date per day cost more than the rest of the timestamp. False outside years 0–9999.
 */
function writeDayPrefix(target: Uint8Array, daysSinceEpoch: number): boolean {
  const z = daysSinceEpoch + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return false;
  const century = Math.floor(year / 100);
  writeTwoDigits(target, 0, century);
  writeTwoDigits(target, 2, year - century * 100);
  target[4] = 45; // '-'
  writeTwoDigits(target, 5, month);
  target[7] = 45;
  writeTwoDigits(target, 8, day);
  target[10] = 84; // 'T'
  return true;
}

/**
 * ISO-8601 UTC like Date#toISOString, but the date part is computed once per day: rows are
 * sorted by case and then time, so consecutive rows mostly share the day, and formatting a
 * million timestamps through Date objects dominated the write. Encoded straight into bytes,
 * so the enriched CSV builds no string per row.
 */
export class IsoTimestampFormatter {
  private day = Number.NaN;
  /** `YYYY-MM-DDT` of `day`. */
  private dayPrefix: Uint8Array = new Uint8Array(11);
  /**
   * The prefixes of the days met so far: a case's rows mostly fall on different days, but a log
   * spans few of them. Emptied when it holds DAY_PREFIXES_KEPT days (a log spread over centuries).
   */
  private readonly dayPrefixes = new Map<number, Uint8Array>();
  private readonly scratch = Buffer.alloc(ISO_TIMESTAMP_MAX_BYTES);

  /** Writes the timestamp's text (nothing for a missing one) at `offset`, at most ISO_TIMESTAMP_MAX_BYTES; returns the offset after it. */
  encodeInto(target: Uint8Array, offset: number, epochMs: number): number {
    if (!Number.isFinite(epochMs)) return offset;
    const day = Math.floor(epochMs / DAY_MS);
    if (day !== this.day) {
      let prefix = this.dayPrefixes.get(day);
      if (prefix === undefined) {
        prefix = new Uint8Array(11);
        // Years beyond 9999 or before 0 use the expanded form; leave those to Date entirely.
        if (!writeDayPrefix(prefix, day)) return writeAscii(target, offset, new Date(epochMs).toISOString());
        if (this.dayPrefixes.size >= DAY_PREFIXES_KEPT) this.dayPrefixes.clear();
        this.dayPrefixes.set(day, prefix);
      }
      this.dayPrefix = prefix;
      this.day = day;
    }
    let rest = Math.round(epochMs - day * DAY_MS);
    if (rest >= DAY_MS) return writeAscii(target, offset, new Date(epochMs).toISOString());
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const secondsOfMinute = rest % 60;
    rest = (rest - secondsOfMinute) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    const prefix = this.dayPrefix;
    for (let k = 0; k < 11; k++) target[offset++] = prefix[k]!;
    offset = writeTwoDigits(target, offset, hours);
    target[offset++] = 58; // ':'
    offset = writeTwoDigits(target, offset, minutes);
    target[offset++] = 58;
    offset = writeTwoDigits(target, offset, secondsOfMinute);
    target[offset++] = 46; // '.'
    const hundreds = (millis / 100) | 0;
    target[offset++] = ZERO + hundreds;
    offset = writeTwoDigits(target, offset, millis - hundreds * 100);
    target[offset++] = 90; // 'Z'
    return offset;
  }

  format(epochMs: number): string {
    return this.scratch.toString('latin1', 0, this.encodeInto(this.scratch, 0, epochMs));
  }
}

const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Seconds with millisecond precision, printed from integer milliseconds (no float-to-string, no 0.1 + 0.2 tails). */
export function formatSeconds(value: number): string {
  if (!Number.isFinite(value)) return '';
  const totalMillis = Math.round(value * 1000);
  const sign = totalMillis < 0 ? '-' : '';
  const absolute = Math.abs(totalMillis);
  const millis = absolute % 1000;
  const whole = (absolute - millis) / 1000;
  if (millis === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${THREE_DIGITS[millis]!.replace(/0+$/, '')}`;
}

/**
 * Writes formatSeconds(value) at `offset`, at most SECONDS_MAX_BYTES; returns the offset after
 * it. Digit by digit, without the string and regex formatSeconds costs on every row.
 */
export function writeSeconds(target: Uint8Array, offset: number, value: number): number {
  if (!Number.isFinite(value)) return offset;
  const totalMillis = Math.round(value * 1000);
  const absolute = Math.abs(totalMillis);
  // Beyond exact integers (some 285,000 years) the digits are formatSeconds' own.
  if (absolute > Number.MAX_SAFE_INTEGER) return writeAscii(target, offset, formatSeconds(value));
  if (totalMillis < 0) target[offset++] = 45; // '-'
  const millis = absolute % 1000;
  let whole = (absolute - millis) / 1000;
  let digits = 1;
  for (let power = 10; power <= whole; power *= 10) digits++;
  offset += digits;
  // Last digit first, from the end of the number back.
  for (let position = offset - 1; position >= offset - digits; position--) {
    const rest = whole % 10;
    target[position] = ZERO + rest;
    whole = (whole - rest) / 10;
  }
  if (millis === 0) return offset;
  target[offset++] = 46; // '.'
  const hundreds = (millis / 100) | 0;
  const tens = ((millis / 10) | 0) % 10;
  const units = millis % 10;
  target[offset++] = ZERO + hundreds;
  if (tens !== 0 || units !== 0) target[offset++] = ZERO + tens;
  if (units !== 0) target[offset++] = ZERO + units;
  return offset;
}

/** The longest formatSeconds text: a sign, 21 characters of a large number (`1.2345678901234567e+21`), a point and 3 digits. */
const SECONDS_MAX_BYTES = 32;

const COMMA = 44;
const NEWLINE = 10;
/**
 * Rows one encodeRows call encodes at most. Its first calls return before V8 optimises the row
 * loop, so the optimised code has seen the loop's exit too: a path first taken in optimised code
 * (the exit, a full buffer, a progress report) cost a deoptimisation and a recompile each. And
 * the next call soon runs the optimised code once it is ready: a long call still in the
 * unoptimised loop had V8 compile the loop a second time for that call (on-stack replacement).
 */
const ROWS_PER_CALL = 64;

/** The most bytes csvField(value) takes in UTF-8: every `"` doubled, the quotes and a leading `'`, 3 bytes per UTF-16 unit. */
function textCellMaxBytes(value: string): number {
  return (value.length * 2 + 3) * 3;
}

/**
 * Writes csvField(value) at `offset`, room for textCellMaxBytes(value) reserved; returns the offset
 * after it. Plain ASCII text csvField leaves as it is (no formula trigger first, nothing to quote)
 * is copied as it scans, without a regex or string per cell; anything else goes through csvField.
 */
function putText(target: Buffer, offset: number, value: string): number {
  let used = offset;
  if (!FORMULA_TRIGGERS.has(value.charCodeAt(0))) {
    let k = 0;
    for (; k < value.length; k++) {
      const code = value.charCodeAt(k);
      if (code >= 128 || code === 34 || code === 44 || code === 13 || code === 10) break; // non-ASCII, `"`, `,`, CR, LF
      target[used++] = code;
    }
    if (k === value.length) return used;
  }
  return offset + target.write(csvField(value), offset);
}

/** Writes text as UTF-8 at `offset`, room for 3 bytes per UTF-16 unit reserved; ASCII byte by byte. */
function putUtf8(target: Buffer, offset: number, text: string): number {
  let used = offset;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code >= 128) return offset + target.write(text, offset);
    target[used++] = code;
  }
  return used;
}

function copyBytes(target: Uint8Array, offset: number, source: Uint8Array, start: number, end: number): number {
  for (let k = start; k < end; k++) target[offset++] = source[k]!;
  return offset;
}

/**
 * Encoded cells back to back in one buffer, cell k from starts[k] to starts[k + 1]: the row loop
 * copies a cell by index, an empty one (a missing resource) the same way as any other.
 */
class CellTable {
  bytes: Buffer;
  readonly starts: Uint32Array;
  private count = 0;

  constructor(cells: number, expectedBytes: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(64, expectedBytes));
    this.starts = new Uint32Array(cells + 1);
  }

  /** The buffer, with room for `more` bytes past the cells so far. */
  roomFor(more: number): Buffer {
    const used = this.starts[this.count]!;
    if (used + more > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, used + more));
      this.bytes.copy(larger, 0, 0, used);
      this.bytes = larger;
    }
    return this.bytes;
  }

  /** Ends the next cell at `end` (bytes written through roomFor's buffer). */
  endCell(end: number): void {
    this.starts[++this.count] = end;
  }

  get end(): number {
    return this.starts[this.count]!;
  }
}

/** csvField cells of the texts, after `emptyCells` empty ones. */
function textCells(texts: readonly string[], emptyCells = 0): CellTable {
  let textLength = 0;
  for (const text of texts) textLength += text.length;
  const table = new CellTable(emptyCells + texts.length, 2 * textLength);
  for (let k = 0; k < emptyCells; k++) table.endCell(0);
  for (const text of texts) table.endCell(putText(table.roomFor(textCellMaxBytes(text)), table.end, text));
  return table;
}

/**
 * Encodes rows straight into a reusable buffer, names encoded once and a case's cells once per
 * case: per-row strings cost more in building, UTF-8 encoding and GC than the rest of the write.
 */
class RowEncoder {
  bytes = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  used = 0;
  private readonly activityCells: CellTable;
  /** Cell 0 is empty, for an event without a resource; resource r is cell r + 1. */
  private readonly resourceCells: CellTable;
  /**
   * The case of the last row: its id's cell, then its enrichment cells (each with its leading
   * comma). Encoded when a row's case differs from the row before's, in the row loop: rows come
   * sorted by case, and a loop over every case first cost a cold job more than it saved.
   */
  private caseCells = Buffer.allocUnsafe(256);
  private currentCase = -1;
  private caseIdEnd = 0;
  private caseCellsEnd = 0;
  private readonly withDuration: boolean;
  private readonly withVariant: boolean;
  private readonly withRework: boolean;
  private readonly withAnomalies: boolean;
  private readonly withSincePrevious: boolean;
  private readonly anomalyFlags = ANOMALY_KINDS.map((kind) => ANOMALY_FLAG[kind]);
  private readonly completion = new IsoTimestampFormatter();
  private readonly start = new IsoTimestampFormatter();

  constructor(private readonly log: EventLog, private readonly perCase: CaseEnrichment, enrichments: ReadonlySet<EnrichmentName>, private readonly hasResource: boolean) {
    this.activityCells = textCells(log.activities);
    this.resourceCells = textCells(log.resources, 1);
    this.withDuration = enrichments.has('caseDuration');
    this.withVariant = enrichments.has('variant');
    this.withRework = enrichments.has('rework');
    this.withAnomalies = enrichments.has('anomalies');
    this.withSincePrevious = enrichments.has('timeSincePrevious');
  }

  put(cell: Uint8Array): void {
    if (this.used + cell.length > this.bytes.length) this.grow(cell.length);
    this.bytes.set(cell, this.used);
    this.used += cell.length;
  }

  /** Makes room for `more` bytes past `used`, keeping what the buffer holds (a row larger than the buffer). */
  private grow(more: number): void {
    const larger = Buffer.allocUnsafe(this.used + more);
    this.bytes.copy(larger, 0, 0, this.used);
    this.bytes = larger;
  }

  /** Makes room for row `i` (when it is larger than the buffer). */
  growForRow(i: number): void {
    this.encodeCase(this.log.eventCase[i]!);
    this.grow(this.rowMaxBytes(i));
  }

  private encodeCase(c: number): void {
    const { perCase, anomalyFlags } = this;
    const caseId = this.log.caseIds[c]!;
    const variantId = this.withVariant ? perCase.variantIds[c]! : '';
    // The id, the duration, the variant id, the rework flag (a small integer) and the anomaly flags, commas included.
    const most = textCellMaxBytes(caseId) + 1 + SECONDS_MAX_BYTES + 1 + 3 * variantId.length + 4 + 2 * (anomalyFlags.length + 1);
    if (most > this.caseCells.length) this.caseCells = Buffer.allocUnsafe(2 * most);
    const bytes = this.caseCells;
    let used = putText(bytes, 0, caseId);
    this.caseIdEnd = used;
    if (this.withDuration) {
      bytes[used++] = COMMA;
      used = writeSeconds(bytes, used, perCase.caseDurationSeconds[c]!);
    }
    if (this.withVariant) {
      bytes[used++] = COMMA;
      used = putUtf8(bytes, used, variantId);
    }
    if (this.withRework) {
      bytes[used++] = COMMA;
      used = writeSeconds(bytes, used, perCase.caseRework[c]!); // its digits
    }
    if (this.withAnomalies) {
      const flags = perCase.caseAnomalyFlags[c]!;
      bytes[used++] = COMMA;
      bytes[used++] = flags === 0 ? ZERO : ZERO + 1;
      for (let k = 0; k < anomalyFlags.length; k++) {
        bytes[used++] = COMMA;
        bytes[used++] = (flags & anomalyFlags[k]!) !== 0 ? ZERO + 1 : ZERO;
      }
    }
    this.caseCellsEnd = used;
    this.currentCase = c;
  }

  /** Row `i`'s bytes at most, its case encoded: cells, separators, timestamps and the newline. */
  private rowMaxBytes(i: number): number {
    const { activityCells, resourceCells } = this;
    const extraColumns = this.log.extraColumns;
    const a = this.log.eventActivity[i]!;
    const r = this.log.eventResource[i]! + 1;
    let bytes = this.caseCellsEnd + activityCells.starts[a + 1]! - activityCells.starts[a]! + resourceCells.starts[r + 1]! - resourceCells.starts[r]!
      + SECONDS_MAX_BYTES + ISO_TIMESTAMP_MAX_BYTES * 2 + extraColumns.length + 4;
    for (let k = 0; k < extraColumns.length; k++) {
      const value = extraColumns[k]!.values[i];
      if (value !== null && value !== undefined) bytes += textCellMaxBytes(value);
    }
    return bytes;
  }

  /**
   * Encodes rows `first` up to `end` (at most ROWS_PER_CALL) while they fit in the buffer; returns
   * the row after the last encoded (`first` when not even that row fits).
   */
  encodeRows(first: number, end: number): number {
    const { log, hasResource, withSincePrevious, completion, start } = this;
    const { eventCase, eventActivity, eventResource, eventTimestamp, eventStart, extraColumns } = log;
    const sincePrevious = this.perCase.eventSecondsSincePrevious;
    const { bytes: activityBytes, starts: activityStarts } = this.activityCells;
    const { bytes: resourceBytes, starts: resourceStarts } = this.resourceCells;
    // The buffer and the write position in locals for the row loop; stored back at the end.
    const bytes = this.bytes;
    let used = this.used;
    let i = first;
    for (; i < end; i++) {
      const c = eventCase[i]!;
      if (c !== this.currentCase) this.encodeCase(c);
      if (used + this.rowMaxBytes(i) > bytes.length) break;
      const a = eventActivity[i]!;
      const r = eventResource[i]! + 1;
      const caseCells = this.caseCells;
      used = copyBytes(bytes, used, caseCells, 0, this.caseIdEnd);
      bytes[used++] = COMMA;
      used = copyBytes(bytes, used, activityBytes, activityStarts[a]!, activityStarts[a + 1]!);
      bytes[used++] = COMMA;
      used = completion.encodeInto(bytes, used, eventTimestamp[i]!);
      if (hasResource) {
        bytes[used++] = COMMA;
        used = copyBytes(bytes, used, resourceBytes, resourceStarts[r]!, resourceStarts[r + 1]!);
      }
      if (eventStart) {
        bytes[used++] = COMMA;
        used = start.encodeInto(bytes, used, eventStart[i]!);
      }
      for (let k = 0; k < extraColumns.length; k++) {
        bytes[used++] = COMMA;
        const value = extraColumns[k]!.values[i];
        if (value !== null && value !== undefined) used = putText(bytes, used, value);
      }
      used = copyBytes(bytes, used, caseCells, this.caseIdEnd, this.caseCellsEnd);
      if (withSincePrevious) {
        bytes[used++] = COMMA;
        used = writeSeconds(bytes, used, sincePrevious[i]!);
      }
      bytes[used++] = NEWLINE;
    }
    this.used = used;
    return i;
  }
}

export interface EnrichedCsvSummary {
  readonly rowCount: number;
  readonly columns: readonly string[];
  readonly addedColumns: readonly string[];
}

export async function writeEnrichedCsv(
  filePath: string,
  log: EventLog,
  perCase: CaseEnrichment,
  enrichments: ReadonlySet<EnrichmentName>,
  onBlock?: (rowsWritten: number) => void,
): Promise<EnrichedCsvSummary> {
  const hasResource = log.eventResource.some((r) => r >= 0);
  const coreColumns: string[] = [ENRICHED_CORE_COLUMNS.caseId, ENRICHED_CORE_COLUMNS.activity, ENRICHED_CORE_COLUMNS.timestamp];
  if (hasResource) coreColumns.push(ENRICHED_CORE_COLUMNS.resource);
  if (log.eventStart) coreColumns.push(ENRICHED_CORE_COLUMNS.startTimestamp);

  const addedColumns: string[] = [];
  if (enrichments.has('caseDuration')) addedColumns.push('case_duration_seconds');
  if (enrichments.has('variant')) addedColumns.push('variant_id');
  if (enrichments.has('rework')) addedColumns.push('rework_flag');
  if (enrichments.has('anomalies')) addedColumns.push('anomaly_flag', ...ANOMALY_KINDS.map((kind) => `anomaly_${kind}`));
  if (enrichments.has('timeSincePrevious')) addedColumns.push('seconds_since_previous_event');

  // Extra source columns keep their names unless they clash with a core or added column
  // (e.g. a source that already had `variant_id`): those get a `source_` prefix.
  const taken = new Set([...coreColumns, ...addedColumns]);
  const extraNames = log.extraColumns.map((column) => {
    let name = column.name;
    while (taken.has(name)) name = `source_${name}`;
    taken.add(name);
    return name;
  });
  const columns = [...coreColumns, ...extraNames, ...addedColumns];

  const encoder = new RowEncoder(log, perCase, enrichments, hasResource);
  const handle = await open(filePath, 'w');
  try {
    encoder.put(Buffer.from(columns.map(csvField).join(',') + '\n'));
    for (let next = 0; next < log.eventCount;) {
      const end = Math.min(log.eventCount, next + ROWS_PER_CALL, (Math.floor(next / PROGRESS_EVERY_ROWS) + 1) * PROGRESS_EVERY_ROWS);
      const after = encoder.encodeRows(next, end);
      if (after < end) {
        // The buffer is full: written out, or made larger for a row larger than all of it.
        if (after === next && encoder.used === 0) encoder.growForRow(next);
        else {
          await handle.write(encoder.bytes, 0, encoder.used);
          encoder.used = 0;
        }
      }
      if (after > next && after % PROGRESS_EVERY_ROWS === 0) onBlock?.(after);
      next = after;
    }
    if (encoder.used > 0) await handle.write(encoder.bytes, 0, encoder.used);
  } finally {
    await handle.close();
  }
  return { rowCount: log.eventCount, columns, addedColumns };
}
