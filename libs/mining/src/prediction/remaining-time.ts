/**
 * Remaining-time prediction by prefix state: the mean remaining time of training prefixes
 * that end in the same activity and have a similar length, backing off to the activity
 * alone and then to the overall mean when a state has too little support.
 *
 * Remaining time of a prefix of length L = completion of the case's last event −
 * completion of its L-th event, in seconds (0 for the full case: a running case looks the
 * same, so the model has to learn that end activities leave nothing to wait for).
 */
import { DEFAULT_HOLDOUT_FRACTION, splitCasesByTime, type HoldoutSplit, type TrainingLog } from './holdout-split.js';

/**
 * Prefix length buckets: bucket i holds lengths in [bound[i], bound[i + 1]); the last is open.
 * Fine where short prefixes differ most, coarse later where data thins out.
 */
export const PREFIX_LENGTH_BUCKET_LOWER_BOUNDS: readonly number[] = [1, 2, 3, 4, 5, 6, 8, 11, 16, 21, 31, 51];

/** A state answers only when it saw at least this many training prefixes (default). */
export const DEFAULT_MIN_SUPPORT = 1;

export interface MeanTable {
  readonly counts: Float64Array;
  readonly meanSeconds: Float64Array;
}

export interface RemainingTimeTables {
  readonly activityCount: number;
  readonly bucketLowerBounds: readonly number[];
  readonly minSupport: number;
  /** Index activity × bucketCount + bucket. */
  readonly byActivityAndLength: MeanTable;
  /** Index activity. */
  readonly byActivity: MeanTable;
  readonly overall: { readonly count: number; readonly meanSeconds: number };
}

export interface RemainingTimeEvaluation {
  /** Mean absolute error in seconds on every prefix of every holdout case; null without a holdout. */
  readonly maeSeconds: number | null;
  /** MAE of always predicting the training prefixes' mean remaining time; null without a holdout. */
  readonly baselineMaeSeconds: number | null;
  readonly evaluatedPredictions: number;
  readonly unavailableReason: string | null;
}

export interface RemainingTimeModel {
  readonly activities: readonly string[];
  /** Means over all cases (training + holdout): the model to ship. */
  readonly remainingTime: RemainingTimeTables;
  readonly evaluation: RemainingTimeEvaluation;
  readonly split: HoldoutSplit;
}

export interface TrainRemainingTimeOptions {
  readonly holdoutFraction?: number;
  readonly minSupport?: number;
  readonly split?: HoldoutSplit;
}

export function trainRemainingTimeModel(log: TrainingLog, options: TrainRemainingTimeOptions = {}): RemainingTimeModel {
  const split = options.split ?? splitCasesByTime(log, options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION);
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  if (!Number.isInteger(minSupport) || minSupport < 1) throw new RangeError(`minSupport must be a positive integer, got ${minSupport}`);
  const accumulator = new RemainingTimeAccumulator(log.activities.length, minSupport);
  accumulator.addCases(log, split.trainingCases);

  let evaluation: RemainingTimeEvaluation;
  if (split.holdoutCases.length === 0) {
    evaluation = {
      maeSeconds: null,
      baselineMaeSeconds: null,
      evaluatedPredictions: 0,
      unavailableReason: split.noHoldoutReason ?? 'no cases were held out',
    };
  } else {
    evaluation = evaluateOnHoldout(log, split.holdoutCases, accumulator.tables());
  }

  accumulator.addCases(log, split.holdoutCases);
  return { activities: log.activities, remainingTime: accumulator.tables(), evaluation, split };
}

function evaluateOnHoldout(log: TrainingLog, holdoutCases: Uint32Array, tables: RemainingTimeTables): RemainingTimeEvaluation {
  const baseline = tables.overall.meanSeconds;
  let absoluteError = 0;
  let baselineAbsoluteError = 0;
  let evaluated = 0;
  for (const c of holdoutCases) {
    const from = log.caseOffsets[c]!;
    const to = log.caseOffsets[c + 1]!;
    const caseEnd = log.eventTimestamp[to - 1]!;
    for (let i = from; i < to; i++) {
      const actual = (caseEnd - log.eventTimestamp[i]!) / 1000;
      // The training set has at least one event whenever there is a holdout, so this is a number.
      const predicted = predictFromTables(tables, log.eventActivity[i]!, i - from + 1) ?? baseline;
      absoluteError += Math.abs(predicted - actual);
      baselineAbsoluteError += Math.abs(baseline - actual);
      evaluated++;
    }
  }
  return {
    maeSeconds: absoluteError / evaluated,
    baselineMaeSeconds: baselineAbsoluteError / evaluated,
    evaluatedPredictions: evaluated,
    unavailableReason: null,
  };
}

/**
 * Predicted remaining seconds after a prefix whose last activity has index `lastActivity`
 * (-1 when unknown to the model) and which has `prefixLength` events; null when the model
 * saw no events at all.
 */
export function predictFromTables(tables: RemainingTimeTables, lastActivity: number, prefixLength: number): number | null {
  const { minSupport } = tables;
  if (lastActivity >= 0 && lastActivity < tables.activityCount) {
    const cell = lastActivity * tables.bucketLowerBounds.length + bucketOf(tables.bucketLowerBounds, prefixLength);
    if (tables.byActivityAndLength.counts[cell]! >= minSupport) return tables.byActivityAndLength.meanSeconds[cell]!;
    if (tables.byActivity.counts[lastActivity]! >= minSupport) return tables.byActivity.meanSeconds[lastActivity]!;
  }
  return tables.overall.count > 0 ? tables.overall.meanSeconds : null;
}

export function bucketOf(lowerBounds: readonly number[], prefixLength: number): number {
  let bucket = 0;
  while (bucket + 1 < lowerBounds.length && prefixLength >= lowerBounds[bucket + 1]!) bucket++;
  return bucket;
}

class RemainingTimeAccumulator {
  private readonly bucketCount = PREFIX_LENGTH_BUCKET_LOWER_BOUNDS.length;
  private readonly bucketByLength: Uint8Array;
  private readonly cellCounts: Float64Array;
  private readonly cellSums: Float64Array;
  private readonly activityCounts: Float64Array;
  private readonly activitySums: Float64Array;
  private overallCount = 0;
  private overallSum = 0;

  constructor(
    private readonly activityCount: number,
    private readonly minSupport: number,
  ) {
    this.cellCounts = new Float64Array(activityCount * this.bucketCount);
    this.cellSums = new Float64Array(activityCount * this.bucketCount);
    this.activityCounts = new Float64Array(activityCount);
    this.activitySums = new Float64Array(activityCount);
    const lastBound = PREFIX_LENGTH_BUCKET_LOWER_BOUNDS[this.bucketCount - 1]!;
    this.bucketByLength = new Uint8Array(lastBound + 1);
    for (let length = 1; length <= lastBound; length++) this.bucketByLength[length] = bucketOf(PREFIX_LENGTH_BUCKET_LOWER_BOUNDS, length);
  }

  addCases(log: TrainingLog, cases: Uint32Array): void {
    // Locals instead of `this.` lookups: this loop runs once per event.
    const { bucketByLength, cellCounts, cellSums, activityCounts, activitySums, bucketCount } = this;
    const offsets = log.caseOffsets;
    const timestamps = log.eventTimestamp;
    const activities = log.eventActivity;
    const lastBucket = bucketCount - 1;
    let overallCount = 0;
    let overallSum = 0;
    for (let n = 0; n < cases.length; n++) {
      const c = cases[n]!;
      const from = offsets[c]!;
      const to = offsets[c + 1]!;
      const caseEnd = timestamps[to - 1]!;
      for (let i = from; i < to; i++) {
        const remainingSeconds = (caseEnd - timestamps[i]!) / 1000;
        const activity = activities[i]!;
        const length = i - from + 1;
        const bucket = length < bucketByLength.length ? bucketByLength[length]! : lastBucket;
        const cell = activity * bucketCount + bucket;
        cellCounts[cell]!++;
        cellSums[cell]! += remainingSeconds;
        activityCounts[activity]!++;
        activitySums[activity]! += remainingSeconds;
        overallCount++;
        overallSum += remainingSeconds;
      }
    }
    this.overallCount += overallCount;
    this.overallSum += overallSum;
  }

  tables(): RemainingTimeTables {
    return {
      activityCount: this.activityCount,
      bucketLowerBounds: PREFIX_LENGTH_BUCKET_LOWER_BOUNDS,
      minSupport: this.minSupport,
      byActivityAndLength: means(this.cellCounts, this.cellSums),
      byActivity: means(this.activityCounts, this.activitySums),
      overall: { count: this.overallCount, meanSeconds: this.overallCount > 0 ? this.overallSum / this.overallCount : 0 },
    };
  }
}

function means(counts: Float64Array, sums: Float64Array): MeanTable {
  const meanSeconds = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) meanSeconds[i] = counts[i]! > 0 ? sums[i]! / counts[i]! : 0;
  return { counts: counts.slice(), meanSeconds };
}
