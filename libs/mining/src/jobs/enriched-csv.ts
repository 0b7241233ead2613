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

/** A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
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
  if (FORMULA_TRIGGER.test(value) && !PLAIN_NUMBER.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;

/**
 * ISO-8601 UTC like Date#toISOString, but the date part is computed once per day: rows are
 * sorted by case and then time, so consecutive rows mostly share the day, and formatting a
 * million timestamps through Date objects dominated the write.
 */
export class IsoTimestampFormatter {
  private day = Number.NaN;
  private dayPrefix = '';

  format(epochMs: number): string {
    if (!Number.isFinite(epochMs)) return '';
    const day = Math.floor(epochMs / DAY_MS);
    if (day !== this.day) {
      const iso = new Date(day * DAY_MS).toISOString();
      // Years beyond 9999 or before 0 use the expanded form; leave those to Date entirely.
      if (iso.length !== 24) return new Date(epochMs).toISOString();
      this.day = day;
      this.dayPrefix = iso.slice(0, 11);
    }
    let rest = Math.round(epochMs - day * DAY_MS);
    if (rest >= DAY_MS) return new Date(epochMs).toISOString();
    const millis = rest % 1000;
    rest = (rest - millis) / 1000;
    const secondsOfMinute = rest % 60;
    rest = (rest - secondsOfMinute) / 60;
    const minutes = rest % 60;
    const hours = (rest - minutes) / 60;
    return `${this.dayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[secondsOfMinute]}.${THREE_DIGITS[millis]}Z`;
  }
}

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

  // Per-case cells are the same on every row of a case: render them once.
  const caseCells: string[] = new Array(log.caseCount);
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
    caseCells[c] = cells;
  }
  const caseIdCells = log.caseIds.map(csvField);
  const activityCells = log.activities.map(csvField);
  const resourceCells = log.resources.map(csvField);
  const withSincePrevious = enrichments.has('timeSincePrevious');
  const completion = new IsoTimestampFormatter();
  const start = new IsoTimestampFormatter();

  // Rows are encoded straight into a reusable buffer: a growing multi-megabyte string would
  // survive young-generation collections and cost far more in GC than the formatting itself.
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  const handle = await open(filePath, 'w');
  const flush = async (): Promise<void> => {
    if (used > 0) await handle.write(buffer, 0, used);
    used = 0;
  };
  const append = async (text: string): Promise<void> => {
    // Worst case 3 UTF-8 bytes per UTF-16 unit.
    if (used + text.length * 3 > buffer.length) {
      await flush();
      if (text.length * 3 > buffer.length) return void (await handle.write(text));
    }
    used += buffer.write(text, used);
  };
  try {
    await append(columns.map(csvField).join(',') + '\n');
    for (let i = 0; i < log.eventCount; i++) {
      const c = log.eventCase[i]!;
      let row = `${caseIdCells[c]},${activityCells[log.eventActivity[i]!]},${completion.format(log.eventTimestamp[i]!)}`;
      if (hasResource) {
        const r = log.eventResource[i]!;
        row += r >= 0 ? `,${resourceCells[r]}` : ',';
      }
      if (log.eventStart) row += `,${start.format(log.eventStart[i]!)}`;
      for (const column of log.extraColumns) {
        const value = column.values[i];
        row += value === null || value === undefined ? ',' : `,${csvField(value)}`;
      }
      row += caseCells[c]!;
      if (withSincePrevious) row += `,${formatSeconds(perCase.eventSecondsSincePrevious[i]!)}`;
      row += '\n';
      if (used + row.length * 3 > buffer.length) {
        await append(row);
      } else {
        used += buffer.write(row, used);
      }
      if ((i + 1) % PROGRESS_EVERY_ROWS === 0) onBlock?.(i + 1);
    }
    await flush();
  } finally {
    await handle.close();
  }
  return { rowCount: log.eventCount, columns, addedColumns };
}
