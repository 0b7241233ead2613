/**
 * Rework: an activity is reworked in a case when it occurs there more than once; its extra
 * occurrences are the occurrences beyond the first. A case is a rework case when any of its
 * activities is reworked.
 */
import type { EventLog } from '../event-log.js';
import type { ActivityRework, ReworkFigures } from './analysis.types.js';
import { type ActivityCounters, compareText, countActivities } from './activity-statistics.js';
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
  return { perActivity, reworkCaseCount, reworkCasePercent: percent(reworkCaseCount, log.caseCount) };
}

/** Names of the activities a case repeats, with their occurrence counts, in first-occurrence order. */
export function repeatedActivitiesOfCase(log: EventLog, caseIndex: number): { activity: string; occurrences: number }[] {
  const counts = new Map<number, number>();
  for (let i = log.caseOffsets[caseIndex]!; i < log.caseOffsets[caseIndex + 1]!; i++) {
    const a = log.eventActivity[i]!;
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, n]) => n > 1)
    .map(([a, n]) => ({ activity: log.activities[a]!, occurrences: n }));
}
