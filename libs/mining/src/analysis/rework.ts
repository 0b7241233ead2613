/**
 * Rework: an activity is reworked in a case when it is executed there more than once; its extra
 * occurrences are the executions beyond the first. A case is a rework case when any of its
 * activities is reworked. Executions are events with a `complete` transition or none (see
 * `countActivities`), so the steps of one execution (schedule, start, complete) are not rework.
 */
import type { EventLog } from '../event-log.js';
import type { ActivityRework, ReworkFigures } from './analysis.types.js';
import { type ActivityCounters, compareText, countActivities } from './activity-statistics.js';
import { eventTransitionKinds, TRANSITION_COMPLETE } from '../log-transforms/lifecycle-transitions.js';
import { percent } from './numeric.js';

export function analyzeRework(log: EventLog, counters: ActivityCounters = countActivities(log)): ReworkFigures {
  const perActivity: ActivityRework[] = [];
  for (let a = 0; a < log.activities.length; a++) {
    if (counters.reworkCases[a]! === 0) continue;
    perActivity.push({
      activity: log.activities[a]!,
      caseCount: counters.reworkCases[a]!,
      extraOccurrences: counters.extraOccurrences[a]!,
    });
  }
  perActivity.sort(
    (x, y) => y.caseCount - x.caseCount || y.extraOccurrences - x.extraOccurrences || compareText(x.activity, y.activity),
  );
  let reworkCaseCount = 0;
  for (let c = 0; c < log.caseCount; c++) reworkCaseCount += counters.caseRework[c]!;
  return { perActivity, reworkCaseCount, reworkCasePercent: log.caseCount > 0 ? percent(reworkCaseCount, log.caseCount) : null };
}

/**
 * Names of the activities a case executes more than once, with their execution counts, in
 * first-occurrence order. `kinds`: the log's `eventTransitionKinds`. `scratch` (length = activity count, all zero) avoids allocating per case; it is
 * left all zero again.
 */
export function repeatedActivitiesOfCase(
  log: EventLog,
  caseIndex: number,
  scratch: Uint32Array = new Uint32Array(log.activities.length),
  // Pass the log's kinds when calling per case: computing them is a pass over the whole log.
  kinds: Uint8Array | null = eventTransitionKinds(log),
): { activity: string; occurrences: number }[] {
  const begin = log.caseOffsets[caseIndex]!;
  const end = log.caseOffsets[caseIndex + 1]!;
  for (let i = begin; i < end; i++) if (kinds === null || kinds[i] === TRANSITION_COMPLETE) scratch[log.eventActivity[i]!]!++;
  const repeated: { activity: string; occurrences: number }[] = [];
  for (let i = begin; i < end; i++) {
    if (kinds !== null && kinds[i] !== TRANSITION_COMPLETE) continue;
    const a = log.eventActivity[i]!;
    const occurrences = scratch[a]!;
    if (occurrences > 1) repeated.push({ activity: log.activities[a]!, occurrences });
    scratch[a] = 0;
  }
  return repeated;
}
