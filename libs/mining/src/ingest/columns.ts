import type { ColumnMapping } from '../event-log.js';

/** The mapped fields a CSV must provide. */
export const REQUIRED_FIELDS = ['caseId', 'activity', 'timestamp'] as const;
type MappedField = keyof ColumnMapping;

/**
 * Header names recognised per field, best first. Matching ignores case, surrounding
 * whitespace, and spaces/underscores/hyphens (`Case ID`, `case_id` and `caseid` all match).
 * XES-style names come first so a file carrying both `concept:name` and `Activity`
 * (as the book's running example does) maps to the standard one.
 */
export const COLUMN_CANDIDATES: Readonly<Record<MappedField, readonly string[]>> = {
  caseId: ['case:concept:name', 'case_id', 'caseid', 'case', 'case:id', 'case_concept_name', 'trace_id', 'traceid', 'case_key'],
  activity: ['concept:name', 'activity', 'activity_name', 'activity_id', 'event_name', 'event', 'task', 'action'],
  timestamp: [
    'time:timestamp',
    'timestamp',
    'end_timestamp',
    'complete_timestamp',
    'completion_timestamp',
    'end_time',
    'complete_time',
    'completion_time',
    'event_time',
    'datetime',
    'time',
    'date',
  ],
  resource: ['org:resource', 'resource', 'user', 'performer', 'agent', 'org:role', 'role'],
  startTimestamp: ['start_timestamp', 'time:start', 'start_time', 'time:start_timestamp', 'start_date', 'start'],
  lifecycle: ['lifecycle:transition', 'lifecycle_transition', 'lifecycle', 'transition', 'lifecycle_state', 'event_type'],
};

/** Raised when a header lacks a required column (or names a mapped column it does not contain). */
export class ColumnMappingError extends Error {
  constructor(
    /** Fields that could not be mapped, e.g. `['caseId', 'timestamp']`. */
    readonly missing: string[],
    /** The header as read. */
    readonly sourceColumns: string[],
    /** Explicitly requested columns that the header does not contain, by field. */
    readonly unknownColumns: Readonly<Record<string, string>> = {},
  ) {
    const parts = missing.map((field) =>
      unknownColumns[field] !== undefined
        ? `${field} (column "${unknownColumns[field]}" not found)`
        : `${field} (expected one of: ${COLUMN_CANDIDATES[field as MappedField].join(', ')})`,
    );
    super(
      `Cannot map event-log columns; missing ${parts.join('; ')}. Columns present: ${
        sourceColumns.length > 0 ? sourceColumns.map((name) => `"${name}"`).join(', ') : '(none)'
      }`,
    );
    this.name = 'ColumnMappingError';
  }
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Maps a CSV header to the event-log fields. Explicit `overrides` win (matched exactly, then
 * case-insensitively); the rest is auto-detected from `COLUMN_CANDIDATES`, never reusing a
 * column for two fields. Returns the mapping with header names as written in the file.
 *
 * @throws ColumnMappingError listing every required field that could not be mapped and every
 *   override naming an absent column.
 */
export function detectColumns(headerRow: readonly string[], overrides: Partial<ColumnMapping> = {}): ColumnMapping {
  const normalisedHeader = headerRow.map(normalise);
  const used = new Set<number>();
  const found: Partial<Record<MappedField, string>> = {};
  const missing: string[] = [];
  const unknownColumns: Record<string, string> = {};

  const fields: MappedField[] = ['caseId', 'activity', 'timestamp', 'resource', 'startTimestamp', 'lifecycle'];
  for (const field of fields) {
    const requested = overrides[field];
    if (requested === undefined || requested === '') continue;
    let index = headerRow.indexOf(requested);
    if (index < 0) index = normalisedHeader.indexOf(normalise(requested));
    if (index < 0) {
      missing.push(field);
      unknownColumns[field] = requested;
      continue;
    }
    used.add(index);
    found[field] = headerRow[index];
  }
  for (const field of fields) {
    if (found[field] !== undefined || unknownColumns[field] !== undefined) continue;
    for (const candidate of COLUMN_CANDIDATES[field]) {
      const wanted = normalise(candidate);
      const index = normalisedHeader.findIndex((name, position) => name === wanted && !used.has(position));
      if (index >= 0) {
        used.add(index);
        found[field] = headerRow[index];
        break;
      }
    }
    if (found[field] === undefined && (REQUIRED_FIELDS as readonly string[]).includes(field)) missing.push(field);
  }
  if (missing.length > 0) {
    const order = fields as string[];
    missing.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    throw new ColumnMappingError(missing, [...headerRow], unknownColumns);
  }
  const mapping: { -readonly [K in MappedField]?: string } = {
    caseId: found.caseId,
    activity: found.activity,
    timestamp: found.timestamp,
  };
  if (found.resource !== undefined) mapping.resource = found.resource;
  if (found.startTimestamp !== undefined) mapping.startTimestamp = found.startTimestamp;
  if (found.lifecycle !== undefined) mapping.lifecycle = found.lifecycle;
  return mapping as ColumnMapping;
}
