import type { EventLog } from '../event-log.js';
import { eventTransitionKinds, TRANSITION_COMPLETE } from '../log-transforms/lifecycle-transitions.js';
import type { ActivityCount, ActivityStatistic, ActivityStatistics } from './analysis.types.js';

/** Raw per-activity counters indexed by activity id; reused by the DFG, rework and map. */
export interface ActivityCounters {
  readonly eventFrequency: Uint32Array;
  readonly caseFrequency: Uint32Array;
  readonly startCount: Uint32Array;
  readonly endCount: Uint32Array;
  /**
   * Per activity: cases where it is executed more than once. An execution is an event whose
   * lifecycle transition is `complete` or absent: a start, schedule or suspend is a step of an
   * execution, so a START followed by its COMPLETE is never rework, whatever the classifier.
   */
  readonly reworkCases: Uint32Array;
  /** Per activity: occurrences beyond the first, summed over cases. */
  readonly extraOccurrences: Uint32Array;
  /** Per case: 1 when some activity occurs more than once. */
  readonly caseRework: Uint8Array;
}

export function countActivities(log: EventLog): ActivityCounters {
  const activityCount = log.activities.length;
  const eventFrequency = new Uint32Array(activityCount);
  const caseFrequency = new Uint32Array(activityCount);
  const startCount = new Uint32Array(activityCount);
  const endCount = new Uint32Array(activityCount);
  const reworkCases = new Uint32Array(activityCount);
  const extraOccurrences = new Uint32Array(activityCount);
  const caseRework = new Uint8Array(log.caseCount);
  // Occurrences and executions of each activity within the current case; reset through the case's own events.
  const inCase = new Uint32Array(activityCount);
  const executionsInCase = new Uint32Array(activityCount);
  const kinds = eventTransitionKinds(log);

  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (end === begin) continue;
    startCount[log.eventActivity[begin]!]!++;
    endCount[log.eventActivity[end - 1]!]!++;
    for (let i = begin; i < end; i++) {
      const a = log.eventActivity[i]!;
      eventFrequency[a]!++;
      if (inCase[a]!++ === 0) caseFrequency[a]!++;
      if (kinds === null || kinds[i] === TRANSITION_COMPLETE) executionsInCase[a]!++;
    }
    for (let i = begin; i < end; i++) {
      const a = log.eventActivity[i]!;
      if (inCase[a]! === 0) continue; // already handled for this case
      const executions = executionsInCase[a]!;
      if (executions > 1) {
        reworkCases[a]!++;
        extraOccurrences[a]! += executions - 1;
        caseRework[c] = 1;
      }
      inCase[a] = 0;
      executionsInCase[a] = 0;
    }
  }
  return { eventFrequency, caseFrequency, startCount, endCount, reworkCases, extraOccurrences, caseRework };
}

/** Non-zero entries as {activity, count}, sorted by count desc then name. */
export function toActivityCounts(log: EventLog, counts: Uint32Array): ActivityCount[] {
  const result: ActivityCount[] = [];
  for (let a = 0; a < counts.length; a++) {
    if (counts[a]! > 0) result.push({ activity: log.activities[a]!, count: counts[a]! });
  }
  return result.sort(byCountThenName);
}

export function byCountThenName(a: ActivityCount, b: ActivityCount): number {
  return b.count - a.count || compareText(a.activity, b.activity);
}

/** Code-point order: deterministic regardless of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function activityStatistics(log: EventLog, counters: ActivityCounters = countActivities(log)): ActivityStatistics {
  const activities: ActivityStatistic[] = [];
  for (let a = 0; a < log.activities.length; a++) {
    if (counters.eventFrequency[a] === 0) continue;
    activities.push({
      activity: log.activities[a]!,
      eventFrequency: counters.eventFrequency[a]!,
      caseFrequency: counters.caseFrequency[a]!,
      startCount: counters.startCount[a]!,
      endCount: counters.endCount[a]!,
    });
  }
  activities.sort((x, y) => y.eventFrequency - x.eventFrequency || compareText(x.activity, y.activity));
  return {
    activities,
    startActivities: toActivityCounts(log, counters.startCount),
    endActivities: toActivityCounts(log, counters.endCount),
  };
}
