/** Column helpers shared by the code that builds an EventLog (ingest, time-window filter, test builders). */
import type { EventLog } from './event-log.js';

/**
 * Offsets where each case's events begin once the events are grouped by case (the shape of
 * `EventLog.caseOffsets`, length caseCount + 1): counts the events of each case among the
 * first `eventCount` entries of `eventCase`, then sums the counts up.
 */
export function caseOffsetsOf(eventCase: Uint32Array, eventCount: number, caseCount: number): Uint32Array {
  const offsets = new Uint32Array(caseCount + 1);
  for (let i = 0; i < eventCount; i++) offsets[eventCase[i]! + 1]!++;
  for (let c = 0; c < caseCount; c++) offsets[c + 1]! += offsets[c]!;
  return offsets;
}

/**
 * The extra columns for a new event order: value k of each column is the source value at
 * `sourceIndexes[k]`, for the first `count` indexes (missing values read as null).
 */
export function pickExtraColumns(
  columns: EventLog['extraColumns'],
  sourceIndexes: Uint32Array,
  count: number,
): { name: string; values: (string | null)[] }[] {
  return columns.map(({ name, values }) => {
    const picked = new Array<string | null>(count);
    for (let k = 0; k < count; k++) picked[k] = values[sourceIndexes[k]!] ?? null;
    return { name, values: picked };
  });
}
