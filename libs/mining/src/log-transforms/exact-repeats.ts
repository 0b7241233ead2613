/**
 * `qualityChecks.checkDuplicates: false`: the log with the exact repeats the ingest set aside
 * put back (pm4py keeps them), each at its place in the (case, timestamp, source record) order.
 * One merge pass per case; the repeats are already in log order.
 */
import type { EventLog } from '../event-log.js';
import { caseOffsetsOf } from '../event-log-columns.js';

export function withExactRepeats(log: EventLog): EventLog {
  const repeats = log.exactRepeats;
  if (!repeats || repeats.count === 0) return log;
  const n = log.eventCount + repeats.count;
  // Per output event: the log event it comes from, or -(k + 1) for repeat k.
  const source = new Int32Array(n);
  let out = 0;
  let r = 0;
  for (let c = 0; c < log.caseCount; c++) {
    const end = log.caseOffsets[c + 1]!;
    for (let i = log.caseOffsets[c]!; i < end; i++) {
      // Repeats of this case that come before event i: same or earlier timestamp, earlier source record.
      while (r < repeats.count && log.eventCase[repeats.original[r]!] === c && precedes(log, repeats.original[r]!, repeats.row[r]!, i)) {
        source[out++] = -(r++ + 1);
      }
      source[out++] = i;
    }
    while (r < repeats.count && log.eventCase[repeats.original[r]!] === c) source[out++] = -(r++ + 1);
  }

  const eventCase = new Uint32Array(n);
  const eventActivity = new Uint32Array(n);
  const eventResource = new Int32Array(n);
  const eventTimestamp = new Float64Array(n);
  const eventStart = log.eventStart ? new Float64Array(n) : null;
  const eventRow = new Uint32Array(n);
  const eventLifecycle = log.eventLifecycle ? new Int32Array(n) : null;
  const extraColumns = log.extraColumns.map(({ name }) => ({ name, values: new Array<string | null>(n) }));
  for (let k = 0; k < n; k++) {
    const s = source[k]!;
    const repeat = s < 0 ? -s - 1 : -1;
    const i = repeat < 0 ? s : repeats.original[repeat]!;
    eventCase[k] = log.eventCase[i]!;
    eventActivity[k] = log.eventActivity[i]!;
    eventResource[k] = log.eventResource[i]!;
    eventTimestamp[k] = log.eventTimestamp[i]!;
    if (eventLifecycle) eventLifecycle[k] = log.eventLifecycle![i]!;
    eventRow[k] = repeat < 0 ? log.eventRow[i]! : repeats.row[repeat]!;
    if (eventStart) eventStart[k] = repeat < 0 ? log.eventStart![i]! : (repeats.start?.[repeat] ?? Number.NaN);
    for (let column = 0; column < extraColumns.length; column++) {
      extraColumns[column]!.values[k] = repeat < 0 ? (log.extraColumns[column]!.values[i] ?? null) : (repeats.extraValues[column]?.[repeat] ?? null);
    }
  }
  return {
    ...log,
    eventCount: n,
    eventCase,
    eventActivity,
    eventResource,
    eventTimestamp,
    eventStart,
    eventRow,
    eventLifecycle,
    caseOffsets: caseOffsetsOf(eventCase, n, log.caseCount),
    extraColumns,
    exactRepeats: null,
  };
}

/** Whether a repeat of event `original` read from source record `row` sorts before event `i` (same case). */
function precedes(log: EventLog, original: number, row: number, i: number): boolean {
  const t = log.eventTimestamp[original]!;
  const ti = log.eventTimestamp[i]!;
  return t < ti || (t === ti && row < log.eventRow[i]!);
}
