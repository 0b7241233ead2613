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
/** The most bytes csvField(value) takes in UTF-8: every `"` doubled, the quotes and a leading `'`, 3 bytes per UTF-16 unit. */
function textCellMaxBytes(value: string): number {
  return (value.length * 2 + 3) * 3;
}

/** Copies an encoded cell to `offset` (room reserved); returns the offset after it. Short cells byte by byte, cheaper than a set call. */
function copyCell(target: Uint8Array, offset: number, cell: Uint8Array): number {
  const length = cell.length;
  if (length >= 16) {
    target.set(cell, offset);
    return offset + length;
  }
  for (let k = 0; k < length; k++) target[offset++] = cell[k]!;
  return offset;
}

/**
 * Encodes rows straight into a reusable buffer, ids, names and per-case cells encoded once:
 * per-row strings cost more in building, UTF-8 encoding and GC than the rest of the write.
 */
class RowEncoder {
  bytes = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  used = 0;
  private readonly caseIdCells: Buffer[];
  private readonly activityCells: Buffer[];
  private readonly resourceCells: Buffer[];
  /** Per case: its enrichment cells, each with its leading comma. */
  private readonly caseCells: Buffer[];
  private readonly completion = new IsoTimestampFormatter();
  private readonly start = new IsoTimestampFormatter();

  constructor(
    private readonly log: EventLog, private readonly perCase: CaseEnrichment, private readonly enrichments: ReadonlySet<EnrichmentName>,
    private readonly hasResource: boolean,
  ) {
    const encodedCell = (value: string): Buffer => Buffer.from(csvField(value));
    this.caseIdCells = log.caseIds.map(encodedCell);
    this.activityCells = log.activities.map(encodedCell);
    this.resourceCells = log.resources.map(encodedCell);
    this.caseCells = new Array<Buffer>(log.caseCount);
    // The same on every row of a case: encoded once.
    for (let c = 0; c < log.caseCount; c++) {
      let cells = '';
      if (enrichments.has('caseDuration')) cells += `,${formatSeconds(perCase.caseDurationSeconds[c]!)}`;
      if (enrichments.has('variant')) cells += `,${perCase.variantIds[c]}`;
      if (enrichments.has('rework')) cells += `,${perCase.caseRework[c]}`;
      if (enrichments.has('anomalies')) {
        const flags = perCase.caseAnomalyFlags[c]!;
        cells += `,${flags === 0 ? 0 : 1}`;
        for (const kind of ANOMALY_KINDS) cells += (flags & ANOMALY_FLAG[kind]) !== 0 ? ',1' : ',0';
      }
      this.caseCells[c] = Buffer.from(cells);
    }
  }

  put(cell: Uint8Array): void {
    if (this.used + cell.length > this.bytes.length) this.grow(cell.length);
    this.used = copyCell(this.bytes, this.used, cell);
  }

  /**
   * A value's csvField cell. Plain ASCII text csvField leaves as it is (no formula trigger
   * first, nothing to quote) is copied as it scans, without a regex or string per cell;
   * anything else goes through csvField. Room for textCellMaxBytes(value) must be reserved.
   */
  private putText(bytes: Buffer, offset: number, value: string): number {
    let used = offset;
    if (!FORMULA_TRIGGERS.has(value.charCodeAt(0))) {
      let k = 0;
      for (; k < value.length; k++) {
        const code = value.charCodeAt(k);
        if (code >= 128 || code === 34 || code === 44 || code === 13 || code === 10) break; // non-ASCII, `"`, `,`, CR, LF
        bytes[used++] = code;
      }
      if (k === value.length) return used;
    }
    return offset + bytes.write(csvField(value), offset);
  }

  /** Makes room for `more` bytes past `used`, keeping what the buffer holds (a row larger than the buffer). */
  private grow(more: number): void {
    const larger = Buffer.allocUnsafe(this.used + more);
    this.bytes.copy(larger, 0, 0, this.used);
    this.bytes = larger;
  }

  /** Encodes rows from `first` while they fit (at least one); returns the row after the last encoded. */
  encodeRows(first: number, onBlock?: (rowsWritten: number) => void): number {
    const { log, perCase, caseIdCells, activityCells, resourceCells, caseCells, hasResource } = this;
    const withSincePrevious = this.enrichments.has('timeSincePrevious');
    const extraColumns = log.extraColumns;
    const eventStart = log.eventStart;
    const { completion, start } = this;
    // The buffer and the write position in locals for the row loop; stored back at the end.
    let bytes = this.bytes;
    let used = this.used;
    let i = first;
    for (; i < log.eventCount; i++) {
      const c = log.eventCase[i]!;
      const caseIdCell = caseIdCells[c]!;
      const activityCell = activityCells[log.eventActivity[i]!]!;
      const r = hasResource ? log.eventResource[i]! : -1;
      const resourceCell = r >= 0 ? resourceCells[r]! : null;
      const caseCell = caseCells[c]!;
      // The row's bytes at most: cells, separators, timestamps and the newline.
      let rowBytes = caseIdCell.length + activityCell.length + caseCell.length + SECONDS_MAX_BYTES + ISO_TIMESTAMP_MAX_BYTES * 2 + extraColumns.length + 4;
      if (resourceCell) rowBytes += resourceCell.length;
      for (let k = 0; k < extraColumns.length; k++) {
        const value = extraColumns[k]!.values[i];
        if (value !== null && value !== undefined) rowBytes += textCellMaxBytes(value);
      }
      if (used + rowBytes > bytes.length) {
        if (i > first) break;
        this.used = used;
        this.grow(rowBytes);
        bytes = this.bytes;
      }

      used = copyCell(bytes, used, caseIdCell);
      bytes[used++] = COMMA;
      used = copyCell(bytes, used, activityCell);
      bytes[used++] = COMMA;
      used = completion.encodeInto(bytes, used, log.eventTimestamp[i]!);
      if (hasResource) {
        bytes[used++] = COMMA;
        if (resourceCell) used = copyCell(bytes, used, resourceCell);
      }
      if (eventStart) {
        bytes[used++] = COMMA;
        used = start.encodeInto(bytes, used, eventStart[i]!);
      }
      for (let k = 0; k < extraColumns.length; k++) {
        bytes[used++] = COMMA;
        const value = extraColumns[k]!.values[i];
        if (value !== null && value !== undefined) used = this.putText(bytes, used, value);
      }
      used = copyCell(bytes, used, caseCell);
      if (withSincePrevious) {
        bytes[used++] = COMMA;
        used = writeSeconds(bytes, used, perCase.eventSecondsSincePrevious[i]!);
      }
      bytes[used++] = NEWLINE;
      if ((i + 1) % PROGRESS_EVERY_ROWS === 0) onBlock?.(i + 1);
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
      next = encoder.encodeRows(next, onBlock);
      await handle.write(encoder.bytes, 0, encoder.used);
      encoder.used = 0;
    }
    if (encoder.used > 0) await handle.write(encoder.bytes, 0, encoder.used);
  } finally {
    await handle.close();
  }
  return { rowCount: log.eventCount, columns, addedColumns };
}
