/**
 * Time-window filter. An event is "inside" when its completion timestamp lies within the
 * inclusive bounds [from, to]. Modes:
 * - `events`: keep only the events inside (cases left without events disappear);
 * - `contained`: keep whole cases whose every event is inside;
 * - `intersecting`: keep whole cases with at least one event inside.
 * A date-only bound (YYYY-MM-DD) is read as UTC: startDate at 00:00:00.000, endDate at
 * 23:59:59.999 of that day, so a date-only endDate includes the whole day.
 */
import type { EventLog } from '../event-log.js';
import { caseOffsetsOf, pickExtraColumns } from '../event-log-columns.js';
import type { ParameterProblem } from '../job-execution.contract.js';
import type { TimeWindow, TimeWindowApplied, TimeWindowMode } from './analysis.types.js';
import { toIso } from './numeric.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const TIME_WINDOW_MODES: readonly TimeWindowMode[] = ['events', 'contained', 'intersecting'];
const DAY_MS = 86_400_000;

/** Parses one bound to epoch ms; NaN when unparseable. */
export function parseWindowBound(value: string, bound: 'start' | 'end'): number {
  const text = value.trim();
  if (DATE_ONLY.test(text)) {
    const midnight = Date.parse(`${text}T00:00:00.000Z`);
    return bound === 'start' ? midnight : midnight + DAY_MS - 1;
  }
  return Date.parse(text);
}

/** Validates a raw `parameters.timeWindow` value; problems use `parameters.timeWindow.*` fields. */
export function validateTimeWindow(raw: unknown): { window: TimeWindow | null; problems: ParameterProblem[] } {
  const field = 'parameters.timeWindow';
  if (raw === undefined || raw === null) return { window: null, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { window: null, problems: [{ field, message: 'must be an object {startDate, endDate, mode}' }] };
  }
  const value = raw as Record<string, unknown>;
  const problems: ParameterProblem[] = [];
  const readBound = (key: 'startDate' | 'endDate', bound: 'start' | 'end'): string | undefined => {
    const v = value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || Number.isNaN(parseWindowBound(v, bound))) {
      problems.push({ field: `${field}.${key}`, message: 'must be an ISO-8601 date or date-time' });
      return undefined;
    }
    return v;
  };
  const startDate = readBound('startDate', 'start');
  const endDate = readBound('endDate', 'end');
  let mode: TimeWindowMode = 'events';
  if (value['mode'] !== undefined) {
    if (typeof value['mode'] === 'string' && (TIME_WINDOW_MODES as readonly string[]).includes(value['mode'])) {
      mode = value['mode'] as TimeWindowMode;
    } else {
      problems.push({ field: `${field}.mode`, message: `must be one of ${TIME_WINDOW_MODES.join(', ')}` });
    }
  }
  if (startDate === undefined && endDate === undefined && problems.length === 0) {
    problems.push({ field, message: 'needs startDate and/or endDate' });
  }
  if (startDate !== undefined && endDate !== undefined) {
    if (parseWindowBound(startDate, 'start') > parseWindowBound(endDate, 'end')) {
      problems.push({ field: `${field}.endDate`, message: 'must not be before startDate' });
    }
  }
  if (problems.length > 0) return { window: null, problems };
  return { window: { ...(startDate !== undefined && { startDate }), ...(endDate !== undefined && { endDate }), mode }, problems };
}

/** Returns the filtered log (a new EventLog with compacted case/activity/resource ids) and what was applied. */
export function filterByTimeWindow(log: EventLog, window: TimeWindow): { log: EventLog; applied: TimeWindowApplied } {
  const mode = window.mode ?? 'events';
  const from = window.startDate === undefined ? -Infinity : parseWindowBound(window.startDate, 'start');
  const to = window.endDate === undefined ? Infinity : parseWindowBound(window.endDate, 'end');
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('timeWindow: unparseable startDate/endDate');

  const keep = new Uint8Array(log.eventCount);
  const ts = log.eventTimestamp;
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (mode === 'events') {
      for (let i = begin; i < end; i++) keep[i] = ts[i]! >= from && ts[i]! <= to ? 1 : 0;
      continue;
    }
    let inside = 0;
    for (let i = begin; i < end; i++) if (ts[i]! >= from && ts[i]! <= to) inside++;
    const keepCase = mode === 'contained' ? inside === end - begin && inside > 0 : inside > 0;
    if (keepCase) keep.fill(1, begin, end);
  }
  const filtered = selectEvents(log, keep);
  return {
    log: filtered,
    applied: {
      mode,
      from: Number.isFinite(from) ? toIso(from) : null,
      to: Number.isFinite(to) ? toIso(to) : null,
      casesBefore: log.caseCount,
      casesAfter: filtered.caseCount,
      eventsBefore: log.eventCount,
      eventsAfter: filtered.eventCount,
    },
  };
}

/**
 * Copies the events flagged in `keep` into a new log, preserving order and renumbering ids
 * densely. `startOf`, when given, replaces the start timestamps (indexed like `log`).
 * Lifecycle transitions come along; set-aside exact repeats do not (their indexes would not hold).
 */
export function selectEvents(log: EventLog, keep: Uint8Array, startOf?: Float64Array): EventLog {
  const starts = startOf ?? log.eventStart;
  let n = 0;
  for (let i = 0; i < log.eventCount; i++) n += keep[i]!;

  const caseMap = new Int32Array(log.caseCount).fill(-1);
  const activityMap = new Int32Array(log.activities.length).fill(-1);
  const resourceMap = new Int32Array(log.resources.length).fill(-1);
  const caseIds: string[] = [];
  const activities: string[] = [];
  const resources: string[] = [];
  const eventCase = new Uint32Array(n);
  const eventActivity = new Uint32Array(n);
  const eventResource = new Int32Array(n);
  const eventTimestamp = new Float64Array(n);
  const eventStart = starts ? new Float64Array(n) : null;
  const eventRow = new Uint32Array(n);
  const eventLifecycle = log.eventLifecycle ? new Int32Array(n) : null;
  const kept = new Uint32Array(n);

  let j = 0;
  for (let i = 0; i < log.eventCount; i++) {
    if (!keep[i]) continue;
    const c = log.eventCase[i]!;
    if (caseMap[c] === -1) {
      caseMap[c] = caseIds.length;
      caseIds.push(log.caseIds[c]!);
    }
    const a = log.eventActivity[i]!;
    if (activityMap[a] === -1) {
      activityMap[a] = activities.length;
      activities.push(log.activities[a]!);
    }
    const r = log.eventResource[i]!;
    if (r >= 0 && resourceMap[r] === -1) {
      resourceMap[r] = resources.length;
      resources.push(log.resources[r]!);
    }
    eventCase[j] = caseMap[c]!;
    eventActivity[j] = activityMap[a]!;
    eventResource[j] = r >= 0 ? resourceMap[r]! : -1;
    eventTimestamp[j] = log.eventTimestamp[i]!;
    if (eventStart) eventStart[j] = starts![i]!;
    if (eventLifecycle) eventLifecycle[j] = log.eventLifecycle![i]!;
    eventRow[j] = log.eventRow[i]!;
    kept[j] = i;
    j++;
  }
  const caseOffsets = caseOffsetsOf(eventCase, n, caseIds.length);
  const extraColumns = pickExtraColumns(log.extraColumns, kept, n);
  return {
    eventCount: n,
    caseCount: caseIds.length,
    caseIds,
    activities,
    resources,
    eventCase,
    eventActivity,
    eventResource,
    eventTimestamp,
    eventStart,
    eventRow,
    caseOffsets,
    extraColumns,
    ...(eventLifecycle && { lifecycles: log.lifecycles ?? [], eventLifecycle }),
  };
}
