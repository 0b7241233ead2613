import type { EventLog } from '../event-log.js';
import type { LogSummary } from './analysis.types.js';
import { round, toIso } from './numeric.js';

/** Counts only what occurs in the events (dictionary entries without events are ignored). */
export function summarizeLog(log: EventLog): LogSummary {
  const activitySeen = new Uint8Array(log.activities.length);
  const resourceSeen = new Uint8Array(log.resources.length);
  let activityCount = 0;
  let resourceCount = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < log.eventCount; i++) {
    const a = log.eventActivity[i]!;
    if (!activitySeen[a]) {
      activitySeen[a] = 1;
      activityCount++;
    }
    const r = log.eventResource[i]!;
    if (r >= 0 && !resourceSeen[r]) {
      resourceSeen[r] = 1;
      resourceCount++;
    }
    const t = log.eventTimestamp[i]!;
    if (t < first) first = t;
    if (t > last) last = t;
    // Start timestamps belong to the log's time span too.
    const s = log.eventStart ? log.eventStart[i]! : Number.NaN;
    if (s < first) first = s;
  }
  return {
    caseCount: log.caseCount,
    eventCount: log.eventCount,
    activityCount,
    resourceCount,
    firstTimestamp: log.eventCount > 0 ? toIso(first) : null,
    lastTimestamp: log.eventCount > 0 ? toIso(last) : null,
    meanEventsPerCase: log.caseCount > 0 ? round(log.eventCount / log.caseCount, 4) : null,
    hasStartTimestamps: hasStartTimestamps(log),
  };
}

/** True when the log carries at least one known start timestamp. */
export function hasStartTimestamps(log: EventLog): boolean {
  const starts = log.eventStart;
  if (!starts) return false;
  for (let i = 0; i < starts.length; i++) if (!Number.isNaN(starts[i]!)) return true;
  return false;
}
