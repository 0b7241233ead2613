import { describe, it, expect } from '@jest/globals';
import { predictRemainingSeconds } from './analytics-model.js';
import { bucketOf, PREFIX_LENGTH_BUCKET_LOWER_BOUNDS, trainRemainingTimeModel } from './remaining-time.js';
import { eventLogFromRows, rowsForTraces, type EventRow } from '../testing/event-log-from-rows.js';
import { randomLog } from './testing/random-log.js';

const HOUR = 3600;

/** A → B → C cases with the given gaps in hours, case i starting on day i. */
function abcCases(gaps: readonly (readonly [number, number])[]): EventRow[] {
  return gaps.flatMap(([toB, toC], i) => {
    const start = Date.UTC(2024, 0, 1 + i);
    const at = (hours: number): string => new Date(start + hours * HOUR * 1000).toISOString();
    return [
      { case: `c${i + 1}`, activity: 'A', timestamp: at(0) },
      { case: `c${i + 1}`, activity: 'B', timestamp: at(toB) },
      { case: `c${i + 1}`, activity: 'C', timestamp: at(toB + toC) },
    ];
  });
}

describe('trainRemainingTimeModel', () => {
  it('measures MAE and the mean baseline on the holdout, by hand', () => {
    // Training c1..c4: after A 3 h, 5 h, 3 h, 5 h (mean 4 h); after B 2 h; after C 0. Overall mean 24 h / 12 = 2 h.
    // Holdout c5 (A→B 2 h, B→C 4 h): actual 6 h, 4 h, 0; predicted 4 h, 2 h, 0 → MAE 4/3 h = 4800 s.
    // Baseline 2 h: errors 4 h, 2 h, 2 h → 8/3 h = 9600 s.
    const log = eventLogFromRows(abcCases([[1, 2], [3, 2], [1, 2], [3, 2], [2, 4]]));
    const { evaluation } = trainRemainingTimeModel(log);
    expect(evaluation.maeSeconds).toBeCloseTo(4800, 9);
    expect(evaluation.baselineMaeSeconds).toBeCloseTo(9600, 9);
    expect(evaluation.evaluatedPredictions).toBe(3);
    expect(evaluation.unavailableReason).toBeNull();
  });

  it('is exact when durations are fixed', () => {
    const log = eventLogFromRows(rowsForTraces(Array.from({ length: 10 }, () => ['A', 'B', 'C'])));
    const { evaluation, ...model } = trainRemainingTimeModel(log);
    expect(evaluation.maeSeconds).toBe(0);
    // Baseline: mean of 2 h, 1 h, 0 = 1 h; errors 1 h, 0, 1 h.
    expect(evaluation.baselineMaeSeconds).toBe(2400);
    expect(predictRemainingSeconds(model, ['A'])).toBe(2 * HOUR);
    expect(predictRemainingSeconds(model, ['A', 'B', 'C'])).toBe(0);
  });

  it('backs off from (activity, length) to activity to overall', () => {
    // B occurs at length 2 in every case; the shipped model counts all 5 cases: after B 2,2,2,2,4 h → 2.4 h.
    const log = eventLogFromRows(abcCases([[1, 2], [3, 2], [1, 2], [3, 2], [2, 4]]));
    const model = trainRemainingTimeModel(log);
    expect(predictRemainingSeconds(model, ['A', 'B'])).toBeCloseTo(2.4 * HOUR, 9);
    // B at length 4 was never seen: the activity mean answers (same 2.4 h here, since B only occurs at length 2).
    expect(predictRemainingSeconds(model, ['A', 'A', 'A', 'B'])).toBeCloseTo(2.4 * HOUR, 9);
    // An unknown activity leaves only the overall mean: (A 3+5+3+5+6 h + B 2+2+2+2+4 h + C 0) / 15 = 34/15 h = 8160 s.
    expect(predictRemainingSeconds(model, ['A', 'Z'])).toBeCloseTo(8160, 9);
    expect(predictRemainingSeconds(model, [])).toBeNull();

    // With minSupport 6 no (activity, length) cell or activity has enough prefixes: overall mean everywhere.
    const strict = trainRemainingTimeModel(log, { minSupport: 6 });
    expect(predictRemainingSeconds(strict, ['A'])).toBeCloseTo(8160, 9);
  });

  it('uses the prefix length: the same activity early and late predicts differently', () => {
    // Hourly events: X occurs at position 1 (3 h before the end) and at position 3 (1 h before the end).
    const model = trainRemainingTimeModel(eventLogFromRows(rowsForTraces(Array.from({ length: 6 }, () => ['X', 'Y', 'X', 'Z']))));
    expect(predictRemainingSeconds(model, ['X'])).toBe(3 * HOUR);
    expect(predictRemainingSeconds(model, ['X', 'Y', 'X'])).toBe(1 * HOUR);
    expect(model.evaluation.maeSeconds).toBe(0);
  });

  it('buckets prefix lengths as documented', () => {
    expect(PREFIX_LENGTH_BUCKET_LOWER_BOUNDS[0]).toBe(1);
    expect([1, 5, 6, 7, 8, 10, 11, 50, 51, 1000].map((length) => bucketOf(PREFIX_LENGTH_BUCKET_LOWER_BOUNDS, length))).toEqual([
      0, 4, 5, 5, 6, 6, 7, 10, 11, 11,
    ]);
  });

  it('matches a plain reference computation on a random log', () => {
    const log = randomLog(300, 11);
    const model = trainRemainingTimeModel(log);
    const prefixesOf = (cases: Uint32Array) =>
      [...cases].flatMap((c) => {
        const from = log.caseOffsets[c]!;
        const to = log.caseOffsets[c + 1]!;
        return Array.from({ length: to - from }, (_, k) => ({
          activity: log.eventActivity[from + k]!,
          bucket: bucketOf(PREFIX_LENGTH_BUCKET_LOWER_BOUNDS, k + 1),
          remaining: (log.eventTimestamp[to - 1]! - log.eventTimestamp[from + k]!) / 1000,
        }));
      });
    const training = prefixesOf(model.split.trainingCases);
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const overall = mean(training.map((p) => p.remaining));
    let error = 0;
    let baselineError = 0;
    const holdout = prefixesOf(model.split.holdoutCases);
    for (const prefix of holdout) {
      const sameCell = training.filter((p) => p.activity === prefix.activity && p.bucket === prefix.bucket);
      const sameActivity = training.filter((p) => p.activity === prefix.activity);
      const predicted =
        sameCell.length > 0 ? mean(sameCell.map((p) => p.remaining)) : sameActivity.length > 0 ? mean(sameActivity.map((p) => p.remaining)) : overall;
      error += Math.abs(predicted - prefix.remaining);
      baselineError += Math.abs(overall - prefix.remaining);
    }
    expect(model.evaluation.evaluatedPredictions).toBe(holdout.length);
    expect(model.evaluation.maeSeconds).toBeCloseTo(error / holdout.length, 3);
    expect(model.evaluation.baselineMaeSeconds).toBeCloseTo(baselineError / holdout.length, 3);
    // On a log with structure the model must beat the constant.
    expect(model.evaluation.maeSeconds!).toBeLessThan(model.evaluation.baselineMaeSeconds!);
  });

  it('gives null metrics with a reason for degenerate logs', () => {
    const single = trainRemainingTimeModel(eventLogFromRows(rowsForTraces([['A', 'B']])));
    expect(single.evaluation).toEqual({
      maeSeconds: null,
      baselineMaeSeconds: null,
      evaluatedPredictions: 0,
      unavailableReason: expect.stringMatching(/1 case/),
    });
    expect(predictRemainingSeconds(single, ['A'])).toBe(HOUR);
    expect(predictRemainingSeconds(trainRemainingTimeModel(eventLogFromRows([])), ['A'])).toBeNull();
    expect(() => trainRemainingTimeModel(eventLogFromRows([]), { minSupport: 0 })).toThrow(RangeError);
  });
});
