import { describe, it, expect } from '@jest/globals';
import { splitCasesByTime } from './holdout-split.js';
import { eventLogFromRows, rowsForTraces } from '../testing/event-log-from-rows.js';
import { runningExampleLog } from '../testing/running-example.js';

const idsOf = (caseIds: readonly string[], cases: Uint32Array): string[] => [...cases].map((c) => caseIds[c]!);

describe('splitCasesByTime', () => {
  it('holds out the latest-starting cases, whatever order the rows come in', () => {
    // Rows list the cases out of time order: the holdout must follow first timestamps, not row order.
    const log = eventLogFromRows([
      { case: 'late', activity: 'A', timestamp: '2024-03-10T00:00:00Z' },
      { case: 'early', activity: 'A', timestamp: '2024-01-01T00:00:00Z' },
      { case: 'middle', activity: 'A', timestamp: '2024-02-01T00:00:00Z' },
      // Its second event is the latest of all, but the case starts early.
      { case: 'long', activity: 'A', timestamp: '2024-01-15T00:00:00Z' },
      { case: 'long', activity: 'B', timestamp: '2024-12-31T00:00:00Z' },
      { case: 'latest', activity: 'A', timestamp: '2024-04-01T00:00:00Z' },
    ]);
    const split = splitCasesByTime(log, 0.4);
    expect(idsOf(log.caseIds, split.trainingCases)).toEqual(['early', 'long', 'middle']);
    expect(idsOf(log.caseIds, split.holdoutCases)).toEqual(['late', 'latest']);
    expect(split.noHoldoutReason).toBeNull();
  });

  it('holds out 20% by default, rounding up, and breaks start-time ties by case order', () => {
    const log = eventLogFromRows(rowsForTraces(Array.from({ length: 10 }, () => ['A', 'B'])));
    expect(idsOf(log.caseIds, splitCasesByTime(log).holdoutCases)).toEqual(['c9', 'c10']);
    // 15 × 0.2 is 3.0000000000000004 in floating point: still 3 cases.
    const fifteen = eventLogFromRows(rowsForTraces(Array.from({ length: 15 }, () => ['A'])));
    expect(splitCasesByTime(fifteen).holdoutCases.length).toBe(3);
    const tied = eventLogFromRows([
      { case: 'x', activity: 'A', timestamp: '2024-01-02T00:00:00Z' },
      { case: 'y', activity: 'A', timestamp: '2024-01-02T00:00:00Z' },
      { case: 'z', activity: 'A', timestamp: '2024-01-01T00:00:00Z' },
    ]);
    // x and y start together; x is first in case order, so y is the later one.
    expect(idsOf(tied.caseIds, splitCasesByTime(tied, 0.3).holdoutCases)).toEqual(['y']);
    expect(idsOf(tied.caseIds, splitCasesByTime(tied, 0.5).holdoutCases)).toEqual(['x', 'y']);
  });

  it('keeps at least one training case and explains an empty holdout', () => {
    const two = eventLogFromRows(rowsForTraces([['A'], ['A']]));
    const split = splitCasesByTime(two, 0.9);
    expect(split.trainingCases.length).toBe(1);
    expect(split.holdoutCases.length).toBe(1);

    const one = eventLogFromRows(rowsForTraces([['A', 'B']]));
    expect(splitCasesByTime(one).holdoutCases.length).toBe(0);
    expect(splitCasesByTime(one).noHoldoutReason).toMatch(/1 case; .*at least 2/);
    expect(splitCasesByTime(eventLogFromRows([])).noHoldoutReason).toMatch(/0 cases/);
    expect(splitCasesByTime(two, 0).noHoldoutReason).toMatch(/holdoutFraction is 0/);
    expect(() => splitCasesByTime(two, 1)).toThrow(RangeError);
    expect(() => splitCasesByTime(two, Number.NaN)).toThrow(RangeError);
  });

  it('splits the running example into cases 1, 2, 3, 5 and the holdout 6, 4', () => {
    // Cases 4 and 6 both start 2011-01-06 15:02; case 6 comes first in the file.
    const log = runningExampleLog();
    const split = splitCasesByTime(log);
    expect(idsOf(log.caseIds, split.trainingCases)).toEqual(['1', '2', '3', '5']);
    expect(idsOf(log.caseIds, split.holdoutCases)).toEqual(['6', '4']);
  });
});
