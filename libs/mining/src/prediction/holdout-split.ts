/**
 * Time-ordered holdout: cases sorted by their first timestamp, the latest-starting share
 * held out. A random split would let the model learn from cases that start after the ones
 * it is tested on, which flatters it; the time order mimics predicting the future from the past.
 */
import type { EventLog } from '../event-log.js';

/** What training and measuring a prediction model read of a log. */
export type TrainingLog = Pick<EventLog, 'caseCount' | 'caseOffsets' | 'eventActivity' | 'eventTimestamp' | 'activities'>;

export const DEFAULT_HOLDOUT_FRACTION = 0.2;

export interface HoldoutSplit {
  /** Case indexes used for training, in order of first timestamp (ties: case index). */
  readonly trainingCases: Uint32Array;
  /** Case indexes held out for evaluation: the latest-starting cases, same order. */
  readonly holdoutCases: Uint32Array;
  readonly holdoutFraction: number;
  /** Why there is no holdout (metrics are null then), or null when there is one. */
  readonly noHoldoutReason: string | null;
}

/**
 * Holds out `ceil(caseCount × holdoutFraction)` cases, capped so at least one case trains.
 * A log with fewer than two cases, or a fraction of 0, gets an empty holdout and a reason.
 */
export function splitCasesByTime(log: TrainingLog, holdoutFraction: number = DEFAULT_HOLDOUT_FRACTION): HoldoutSplit {
  if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
    throw new RangeError(`holdoutFraction must be in [0, 1), got ${holdoutFraction}`);
  }
  const caseOrder = casesByFirstTimestamp(log);
  let holdoutCount = 0;
  let noHoldoutReason: string | null = null;
  if (log.caseCount < 2) {
    noHoldoutReason = `the log has ${log.caseCount} case${log.caseCount === 1 ? '' : 's'}; a holdout evaluation needs at least 2`;
  } else if (holdoutFraction === 0) {
    noHoldoutReason = 'holdoutFraction is 0, so no cases were held out';
  } else {
    // The small epsilon keeps 15 × 0.2 = 3.0000000000000004 from rounding up to 4.
    holdoutCount = Math.min(log.caseCount - 1, Math.ceil(log.caseCount * holdoutFraction - 1e-9));
  }
  const trainingCount = log.caseCount - holdoutCount;
  return {
    trainingCases: caseOrder.subarray(0, trainingCount),
    holdoutCases: caseOrder.subarray(trainingCount),
    holdoutFraction,
    noHoldoutReason,
  };
}

function casesByFirstTimestamp(log: TrainingLog): Uint32Array {
  const firstTimestamp = new Float64Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) {
    const first = log.caseOffsets[c]!;
    // Events of a case are sorted by timestamp, so the first one is the earliest.
    firstTimestamp[c] = first < log.caseOffsets[c + 1]! ? log.eventTimestamp[first]! : Number.POSITIVE_INFINITY;
  }
  const order = new Uint32Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) order[c] = c;
  // Case indexes follow first appearance in the source, which is often already time order.
  let alreadySorted = true;
  for (let c = 1; c < log.caseCount && alreadySorted; c++) alreadySorted = firstTimestamp[c - 1]! <= firstTimestamp[c]!;
  if (!alreadySorted) order.sort((a, b) => firstTimestamp[a]! - firstTimestamp[b]! || a - b);
  return order;
}
