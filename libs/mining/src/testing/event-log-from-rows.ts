/**
 * Builds a columnar EventLog from plain rows, for the tests of every mining module (one
 * builder, so all tests read logs built the same way). Cases, activities and resources are
 * numbered in order of first appearance; events are sorted stably by (case, timestamp,
 * source row), as the ingest does.
 */
import type { EventLog } from '../event-log.js';
import { caseOffsetsOf } from '../event-log-columns.js';

export interface EventRow {
  readonly case: string;
  readonly activity: string;
  /** ISO-8601 completion timestamp. */
  readonly timestamp: string;
  readonly resource?: string;
  /** ISO-8601 start timestamp. */
  readonly start?: string;
}

export function eventLogFromRows(rows: readonly EventRow[]): EventLog {
  const caseIndex = new Map<string, number>();
  const activityIndex = new Map<string, number>();
  const resourceIndex = new Map<string, number>();
  const intern = (map: Map<string, number>, key: string): number => {
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    return id;
  };
  const events = rows.map((row, index) => {
    const timestamp = Date.parse(row.timestamp);
    if (Number.isNaN(timestamp)) throw new Error(`row ${index}: unreadable timestamp ${JSON.stringify(row.timestamp)}`);
    return {
      row: index,
      caseId: intern(caseIndex, row.case),
      activity: intern(activityIndex, row.activity),
      resource: row.resource === undefined ? -1 : intern(resourceIndex, row.resource),
      timestamp,
      start: row.start === undefined ? Number.NaN : Date.parse(row.start),
    };
  });
  // Array.prototype.sort is stable, and the row is the last key anyway.
  events.sort((a, b) => a.caseId - b.caseId || a.timestamp - b.timestamp || a.row - b.row);

  const eventCount = events.length;
  const caseCount = caseIndex.size;
  const eventCase = new Uint32Array(eventCount);
  const eventActivity = new Uint32Array(eventCount);
  const eventResource = new Int32Array(eventCount);
  const eventTimestamp = new Float64Array(eventCount);
  // Like the ingest: a start column only when some row has a start timestamp, NaN where a row lacks one.
  const eventStart = rows.some((row) => row.start !== undefined) ? new Float64Array(eventCount) : null;
  const eventRow = new Uint32Array(eventCount);
  events.forEach((event, i) => {
    eventCase[i] = event.caseId;
    eventActivity[i] = event.activity;
    eventResource[i] = event.resource;
    eventTimestamp[i] = event.timestamp;
    if (eventStart) eventStart[i] = event.start;
    eventRow[i] = event.row;
  });
  const caseOffsets = caseOffsetsOf(eventCase, eventCount, caseCount);
  return {
    eventCount,
    caseCount,
    caseIds: [...caseIndex.keys()],
    activities: [...activityIndex.keys()],
    resources: [...resourceIndex.keys()],
    eventCase,
    eventActivity,
    eventResource,
    eventTimestamp,
    eventStart,
    eventRow,
    caseOffsets,
    extraColumns: [],
  };
}

/**
 * Rows for cases that each follow a given activity sequence, one event per hour, the case
 * `i` starting `i` days after 2024-01-01 (so the case order by first timestamp is the list order).
 */
export function rowsForTraces(traces: readonly (readonly string[])[], caseIdPrefix = 'c'): EventRow[] {
  const rows: EventRow[] = [];
  const origin = Date.UTC(2024, 0, 1);
  traces.forEach((trace, caseNumber) => {
    trace.forEach((activity, position) => {
      const timestamp = new Date(origin + caseNumber * 86_400_000 + position * 3_600_000).toISOString();
      rows.push({ case: `${caseIdPrefix}${caseNumber + 1}`, activity, timestamp });
    });
  });
  return rows;
}
