/**
 * Builds a columnar EventLog from plain rows, for tests. Cases are numbered in order of
 * first appearance; events are sorted stably by (case, timestamp, source row), as the
 * ingest does.
 */
import type { EventLog } from '../../event-log.js';

export interface EventRow {
  readonly case: string;
  readonly activity: string;
  /** ISO-8601 completion timestamp. */
  readonly timestamp: string;
  readonly resource?: string;
  /** ISO-8601 start timestamp. */
  readonly start?: string;
}

export function buildEventLog(rows: readonly EventRow[]): EventLog {
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
  const parsed = rows.map((row, index) => {
    const timestamp = Date.parse(row.timestamp);
    if (Number.isNaN(timestamp)) throw new Error(`row ${index}: bad timestamp ${row.timestamp}`);
    const start = row.start === undefined ? Number.NaN : Date.parse(row.start);
    return {
      row: index,
      caseId: intern(caseIndex, row.case),
      activity: intern(activityIndex, row.activity),
      resource: row.resource === undefined ? -1 : intern(resourceIndex, row.resource),
      timestamp,
      start,
    };
  });
  parsed.sort((a, b) => a.caseId - b.caseId || a.timestamp - b.timestamp || a.row - b.row);

  const n = parsed.length;
  const hasStart = rows.some((row) => row.start !== undefined);
  const log = {
    eventCount: n,
    caseCount: caseIndex.size,
    caseIds: [...caseIndex.keys()],
    activities: [...activityIndex.keys()],
    resources: [...resourceIndex.keys()],
    eventCase: new Uint32Array(n),
    eventActivity: new Uint32Array(n),
    eventResource: new Int32Array(n),
    eventTimestamp: new Float64Array(n),
    eventStart: hasStart ? new Float64Array(n) : null,
    eventRow: new Uint32Array(n),
    caseOffsets: new Uint32Array(caseIndex.size + 1),
    extraColumns: [],
  };
  parsed.forEach((event, i) => {
    log.eventCase[i] = event.caseId;
    log.eventActivity[i] = event.activity;
    log.eventResource[i] = event.resource;
    log.eventTimestamp[i] = event.timestamp;
    if (log.eventStart) log.eventStart[i] = event.start;
    log.eventRow[i] = event.row;
    log.caseOffsets[event.caseId + 1]!++;
  });
  for (let c = 0; c < log.caseCount; c++) log.caseOffsets[c + 1]! += log.caseOffsets[c]!;
  return log;
}
