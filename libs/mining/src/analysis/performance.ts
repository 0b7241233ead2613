/**
 * Performance metrics: cycle time, waiting time and resource utilization.
 * See the "Analyses" section of the mining README for the definitions.
 */
import type { EventLog } from '../event-log.js';
import type {
  ActivityServiceTime,
  ActivityWaitingTime,
  CycleTimeFigures,
  Handover,
  ResourceUtilizationFigures,
  ResourceWorkload,
  ServiceTimeFigures,
  WaitingTimeFigures,
} from './analysis.types.js';
import { compareText } from './activity-statistics.js';
import type { DfgCore } from './dfg.js';
import { bucketSorted, medianSorted, mergeSortedRuns, percent, quantileSorted, round, sortedCopy, sumOf, toIso } from './numeric.js';
import { hasStartTimestamps } from './summary.js';

/**
 * Per case duration in seconds: last completion − first completion, or, when the log has
 * start timestamps, last completion − earliest known start (falling back to completion for
 * events without a start).
 */
export interface CaseDurations {
  readonly basis: 'start' | 'completion';
  readonly seconds: Float64Array;
}

export function caseDurations(log: EventLog): CaseDurations {
  const useStart = hasStartTimestamps(log);
  const seconds = new Float64Array(log.caseCount);
  const ts = log.eventTimestamp;
  const starts = log.eventStart;
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (end === begin) continue;
    let first = Infinity;
    let last = -Infinity;
    for (let i = begin; i < end; i++) {
      const t = ts[i]!;
      if (t > last) last = t;
      const s = useStart && !Number.isNaN(starts![i]!) ? starts![i]! : t;
      if (s < first) first = s;
    }
    seconds[c] = (last - first) / 1000;
  }
  return { basis: useStart ? 'start' : 'completion', seconds };
}

export function cycleTime(durations: { basis: 'start' | 'completion'; seconds: Float64Array }): CycleTimeFigures {
  const sorted = sortedCopy(durations.seconds);
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    basis: durations.basis,
    caseCount: n,
    meanSeconds: n ? round(sum / n) : null,
    medianSeconds: n ? round(medianSorted(sorted)) : null,
    p90Seconds: n ? round(quantileSorted(sorted, 0.9)) : null,
    minSeconds: n ? sorted[0]! : null,
    maxSeconds: n ? sorted[n - 1]! : null,
  };
}

export const SERVICE_TIME_DEFINITION =
  'completion timestamp minus start timestamp of each event with a known start (an activity instance: from its START to its COMPLETE, suspensions included)';

/** Durations grouped by activity and sorted within each, as `bucketSorted` lays them out (`offsets` has activityCount + 1 entries). */
export interface ActivityDurations {
  readonly offsets: Uint32Array;
  readonly sorted: Float64Array;
}

/** Per event with a start timestamp: its service time in seconds (completion − start), by activity. */
export function serviceTimesByActivity(log: EventLog): ActivityDurations | null {
  if (!hasStartTimestamps(log)) return null;
  const keys = new Int32Array(log.eventCount).fill(-1);
  const seconds = new Float64Array(log.eventCount);
  const starts = log.eventStart!;
  for (let i = 0; i < log.eventCount; i++) {
    const start = starts[i]!;
    if (Number.isNaN(start)) continue;
    keys[i] = log.eventActivity[i]!;
    seconds[i] = (log.eventTimestamp[i]! - start) / 1000;
  }
  return bucketSorted(keys, seconds, log.activities.length);
}

/** Service time per activity; null when the log has no start timestamps. */
export function serviceTime(log: EventLog, buckets: ActivityDurations | null = serviceTimesByActivity(log)): ServiceTimeFigures | null {
  if (!buckets) return null;
  const perActivity: ActivityServiceTime[] = durationsPerActivity(log.activities, buckets);
  return { definition: SERVICE_TIME_DEFINITION, perActivity };
}

/**
 * Count, mean, median, p90 and max of each activity's durations (grouped and sorted as
 * `bucketSorted` lays them out), activities without any left out; slowest mean first.
 */
function durationsPerActivity(activities: readonly string[], buckets: ActivityDurations): ActivityServiceTime[] {
  const perActivity: ActivityServiceTime[] = [];
  for (let a = 0; a < activities.length; a++) {
    const values = buckets.sorted.subarray(buckets.offsets[a]!, buckets.offsets[a + 1]!);
    if (values.length === 0) continue;
    perActivity.push({
      activity: activities[a]!,
      count: values.length,
      meanSeconds: round(sumOf(values) / values.length),
      medianSeconds: round(medianSorted(values)),
      p90Seconds: round(quantileSorted(values, 0.9)),
      maxSeconds: values[values.length - 1]!,
    });
  }
  return perActivity.sort((x, y) => y.meanSeconds - x.meanSeconds || compareText(x.activity, y.activity));
}

/** Per event: seconds since the previous event's completion in the same case; NaN for first events. */
export function secondsSincePrevious(log: EventLog): Float64Array {
  const result = new Float64Array(log.eventCount);
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (end > begin) result[begin] = Number.NaN;
    for (let i = begin + 1; i < end; i++) result[i] = (log.eventTimestamp[i]! - log.eventTimestamp[i - 1]!) / 1000;
  }
  return result;
}

export const WAITING_TIME_TRUE =
  "start timestamp of the event minus the completion timestamp of the previous event in the case (0 when they overlap); a case's first event and events without a start timestamp are not measured";
export const WAITING_TIME_APPROXIMATE =
  "no start timestamps: time between the completion of the previous event in the case and the completion of this event (waiting plus processing); a case's first event is not measured";

/**
 * Waiting time before each activity, per activity (see WAITING_TIME_* for the two definitions).
 * Without start timestamps an event's wait is the duration of the directly-follows edge into
 * it, so given the log's DFG core the activity's sorted waits are its incoming edges' sorted
 * durations merged, not sorted again.
 */
export function waitingTime(log: EventLog, sincePrevious: Float64Array = secondsSincePrevious(log), core?: DfgCore): WaitingTimeFigures {
  const useStart = hasStartTimestamps(log);
  if (!useStart && core) return waitingTimeFigures(log, false, mergeSortedRuns(core.offsets, core.sorted, core.edgeTarget, log.activities.length));
  const keys = new Int32Array(log.eventCount).fill(-1);
  const waits = new Float64Array(log.eventCount);
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    for (let i = begin + 1; i < end; i++) {
      if (useStart) {
        const start = log.eventStart![i]!;
        if (Number.isNaN(start)) continue;
        // Overlapping (parallel) work means no waiting, not negative waiting.
        waits[i] = Math.max(0, (start - log.eventTimestamp[i - 1]!) / 1000);
      } else {
        waits[i] = sincePrevious[i]!;
      }
      keys[i] = log.eventActivity[i]!;
    }
  }
  return waitingTimeFigures(log, useStart, bucketSorted(keys, waits, log.activities.length));
}

function waitingTimeFigures(log: EventLog, useStart: boolean, waits: ActivityDurations): WaitingTimeFigures {
  const perActivity: ActivityWaitingTime[] = durationsPerActivity(log.activities, waits).map(({ p90Seconds: _p90, ...waiting }) => waiting);
  return {
    approximation: !useStart,
    definition: useStart ? WAITING_TIME_TRUE : WAITING_TIME_APPROXIMATE,
    perActivity,
  };
}

/**
 * Resource workload and handover of work. Shares are of all events of the log; the active
 * span is from the resource's first to its last completion timestamp. A handover a → b is
 * counted when an event by a is directly followed in the same case by an event by b ≠ a
 * (pairs where either event has no resource are skipped).
 */
export function resourceUtilization(log: EventLog): ResourceUtilizationFigures {
  const resourceCount = log.resources.length;
  const events = new Uint32Array(resourceCount);
  const cases = new Uint32Array(resourceCount);
  const lastCaseSeen = new Int32Array(resourceCount).fill(-1);
  const first = new Float64Array(resourceCount).fill(Infinity);
  const last = new Float64Array(resourceCount).fill(-Infinity);
  // Handover counts by previous × resourceCount + next: dense when the resources are few (the
  // usual case), a Map otherwise. Pairs are unique, so the sort below fixes their order either way.
  const dense = resourceCount * resourceCount <= 1 << 22 ? new Uint32Array(resourceCount * resourceCount) : null;
  const handovers = new Map<number, number>();
  let withoutResource = 0;
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    for (let i = begin; i < end; i++) {
      const r = log.eventResource[i]!;
      if (r < 0) {
        withoutResource++;
        continue;
      }
      events[r]!++;
      if (lastCaseSeen[r] !== c) {
        lastCaseSeen[r] = c;
        cases[r]!++;
      }
      const t = log.eventTimestamp[i]!;
      if (t < first[r]!) first[r] = t;
      if (t > last[r]!) last[r] = t;
      if (i > begin) {
        const previous = log.eventResource[i - 1]!;
        if (previous >= 0 && previous !== r) {
          const key = previous * resourceCount + r;
          if (dense) dense[key]!++;
          else handovers.set(key, (handovers.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const resources: ResourceWorkload[] = [];
  for (let r = 0; r < resourceCount; r++) {
    if (events[r] === 0) continue;
    resources.push({
      resource: log.resources[r]!,
      eventCount: events[r]!,
      caseCount: cases[r]!,
      eventSharePercent: percent(events[r]!, log.eventCount),
      firstTimestamp: toIso(first[r]!),
      lastTimestamp: toIso(last[r]!),
      activeSpanSeconds: (last[r]! - first[r]!) / 1000,
    });
  }
  resources.sort((x, y) => y.eventCount - x.eventCount || compareText(x.resource, y.resource));
  if (dense) for (let key = 0; key < dense.length; key++) if (dense[key]! > 0) handovers.set(key, dense[key]!);
  const handoverList: Handover[] = [...handovers].map(([key, count]) => ({
    from: log.resources[Math.floor(key / resourceCount)]!,
    to: log.resources[key % resourceCount]!,
    count,
  }));
  handoverList.sort((x, y) => y.count - x.count || compareText(x.from, y.from) || compareText(x.to, y.to));
  return { resources, eventsWithoutResource: withoutResource, handovers: handoverList };
}
