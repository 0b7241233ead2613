/**
 * Next-activity prediction with a back-off n-gram over the activity sequence.
 *
 * Each case is read as START… a1 a2 … an END. For every position, the last k symbols
 * (k = maxContextLength … 1, padded with START before the first event) and the empty
 * context (k = 0) count the symbol that follows. To predict, the longest context seen in
 * training answers; shorter ones are the fallback for unseen histories. This is the classic
 * strong baseline for next-activity prediction: cheap, transparent and hard to beat on
 * structured processes.
 *
 * Ranking inside a context: count desc, then the symbol's overall frequency as a next
 * symbol (the k = 0 counts) desc, then activity index asc with END last, so ties resolve
 * the same way on every run and after a save/load round trip.
 */
import { DEFAULT_HOLDOUT_FRACTION, splitCasesByTime, type HoldoutSplit, type TrainingLog } from './holdout-split.js';

export const DEFAULT_MAX_CONTEXT_LENGTH = 3;

/** One context with its followers, best first. Symbols: activity index, START = activityCount, END = activityCount + 1. */
export interface RankedContext {
  /** The context symbols, oldest first; empty for the unconditional context. */
  readonly history: readonly number[];
  readonly next: readonly number[];
  readonly counts: readonly number[];
  readonly total: number;
}

export interface NextActivityTables {
  readonly activityCount: number;
  readonly maxContextLength: number;
  /** Index k: contexts of length k, keyed by the history packed in base (activityCount + 2). */
  readonly contextsByLength: readonly ReadonlyMap<number, RankedContext>[];
}

export interface NextActivityEvaluation {
  /** Share of holdout predictions whose top-ranked symbol was the actual next one; null without a holdout. */
  readonly accuracy: number | null;
  /** Share where the actual next symbol was among the top 3; null without a holdout. */
  readonly top3Accuracy: number | null;
  /** Predictions evaluated: one per event of each holdout case (the last one predicts the case end). */
  readonly evaluatedPredictions: number;
  /** Why the metrics are null, or null when they were measured. */
  readonly unavailableReason: string | null;
}

export interface NextActivityModel {
  readonly activities: readonly string[];
  /** Counts over all cases (training + holdout): the model to ship. */
  readonly nextActivity: NextActivityTables;
  /** Measured with counts from the training cases only. */
  readonly evaluation: NextActivityEvaluation;
  readonly split: HoldoutSplit;
}

export interface TrainNextActivityOptions {
  readonly holdoutFraction?: number;
  /** Longest history used as context (default 3). Lowered automatically if packed keys would exceed 2^53. */
  readonly maxContextLength?: number;
  /** A precomputed split of the same log (lets callers train several models on one split). */
  readonly split?: HoldoutSplit;
}

export function trainNextActivityModel(log: TrainingLog, options: TrainNextActivityOptions = {}): NextActivityModel {
  const split = options.split ?? splitCasesByTime(log, options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION);
  const maxContextLength = usableContextLength(log.activities.length, options.maxContextLength ?? DEFAULT_MAX_CONTEXT_LENGTH);
  const counter = new TransitionCounter(log.activities.length, maxContextLength);

  counter.addCases(log, split.trainingCases);

  let evaluation: NextActivityEvaluation;
  if (split.holdoutCases.length === 0) {
    evaluation = {
      accuracy: null,
      top3Accuracy: null,
      evaluatedPredictions: 0,
      unavailableReason: split.noHoldoutReason ?? 'no cases were held out',
    };
  } else {
    const trainedOnly = counter.rank();
    evaluation = evaluateOnHoldout(log, split.holdoutCases, trainedOnly);
  }

  // The shipped model also learns from the holdout: adding its counts equals retraining on all cases.
  counter.addCases(log, split.holdoutCases);
  return { activities: log.activities, nextActivity: counter.rank(), evaluation, split };
}

function evaluateOnHoldout(log: TrainingLog, holdoutCases: Uint32Array, tables: NextActivityTables): NextActivityEvaluation {
  const size = tables.activityCount + 2;
  const startSymbol = tables.activityCount;
  const endSymbol = tables.activityCount + 1;
  const maxLength = tables.maxContextLength;
  const packed = new Float64Array(maxLength + 1);
  let evaluated = 0;
  let top1 = 0;
  let top3 = 0;
  for (const c of holdoutCases) {
    const from = log.caseOffsets[c]!;
    const to = log.caseOffsets[c + 1]!;
    resetHistory(packed, startSymbol, size);
    for (let i = from; i <= to; i++) {
      const actual = i < to ? log.eventActivity[i]! : endSymbol;
      // Prefixes of length 1..n: after each observed event, predict what follows it.
      if (i > from) {
        const context = longestKnownContext(tables, packed, maxLength);
        if (context !== undefined) {
          const next = context.next;
          if (next[0] === actual) top1++;
          if (next[0] === actual || next[1] === actual || next[2] === actual) top3++;
        }
        evaluated++;
      }
      pushSymbol(packed, actual, size);
    }
  }
  return {
    accuracy: top1 / evaluated,
    top3Accuracy: top3 / evaluated,
    evaluatedPredictions: evaluated,
    unavailableReason: null,
  };
}

/**
 * Ranked followers for a history of symbol ids (activity indexes; -1 for an activity the
 * model has never seen). Returns the longest context seen in training, or undefined when
 * the model has no counts at all.
 */
export function rankedContextForHistory(tables: NextActivityTables, history: readonly number[]): RankedContext | undefined {
  const size = tables.activityCount + 2;
  const maxLength = tables.maxContextLength;
  const packed = new Float64Array(maxLength + 1);
  resetHistory(packed, tables.activityCount, size);
  // Contexts may only reach back as far as the trailing run of known symbols.
  let knownTrailing = maxLength;
  for (const symbol of history) {
    const known = symbol >= 0 && symbol < tables.activityCount;
    pushSymbol(packed, known ? symbol : 0, size);
    knownTrailing = known ? knownTrailing + 1 : 0;
  }
  return longestKnownContext(tables, packed, Math.min(maxLength, knownTrailing));
}

function longestKnownContext(tables: NextActivityTables, packed: Float64Array, maxLength: number): RankedContext | undefined {
  for (let k = maxLength; k >= 0; k--) {
    const context = tables.contextsByLength[k]!.get(packed[k]!);
    if (context !== undefined) return context;
  }
  return undefined;
}

/** packed[k] = the last k symbols in base `size`; before any event they are all START. */
function resetHistory(packed: Float64Array, startSymbol: number, size: number): void {
  packed[0] = 0;
  for (let k = 1; k < packed.length; k++) packed[k] = packed[k - 1]! * size + startSymbol;
}

function pushSymbol(packed: Float64Array, symbol: number, size: number): void {
  // Longest first, so each packed[k - 1] is still the previous history when it is read.
  for (let k = packed.length - 1; k >= 1; k--) packed[k] = packed[k - 1]! * size + symbol;
}

/** The largest context length ≤ requested whose (history, next) keys stay exact in a double. */
function usableContextLength(activityCount: number, requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) throw new RangeError(`maxContextLength must be a non-negative integer, got ${requested}`);
  const size = activityCount + 2;
  let length = requested;
  while (length > 0 && size ** (length + 1) > Number.MAX_SAFE_INTEGER) length--;
  return length;
}

/** Up to this many cells per context length, pair counts live in a plain array instead of a Map. */
const DENSE_TABLE_LIMIT = 1 << 20;

/**
 * Counts (context, next) pairs per context length; `rank()` turns them into sorted tables.
 * A pair's key is (packed history) × size + next. While size^(k + 1) cells fit in
 * DENSE_TABLE_LIMIT (e.g. every length up to 3 for 30 activities), counting is an array
 * increment; beyond that a Map keyed by the same number takes over.
 */
export class TransitionCounter {
  private readonly size: number;
  private readonly denseCounts: (Float64Array | null)[];
  private readonly sparseCounts: (Map<number, number> | null)[];
  private readonly packed: Float64Array;

  constructor(
    private readonly activityCount: number,
    private readonly maxContextLength: number,
  ) {
    const size = activityCount + 2;
    this.size = size;
    this.denseCounts = [];
    this.sparseCounts = [];
    for (let k = 0; k <= maxContextLength; k++) {
      const cells = size ** (k + 1);
      this.denseCounts.push(cells <= DENSE_TABLE_LIMIT ? new Float64Array(cells) : null);
      this.sparseCounts.push(cells <= DENSE_TABLE_LIMIT ? null : new Map<number, number>());
    }
    this.packed = new Float64Array(maxContextLength + 1);
  }

  /** Counts every case in `cases`: its activities, then the case end. */
  addCases(log: TrainingLog, cases: Uint32Array): void {
    const { size, denseCounts, sparseCounts, packed } = this;
    const activities = log.eventActivity;
    const offsets = log.caseOffsets;
    const startSymbol = this.activityCount;
    const endSymbol = this.activityCount + 1;
    const lengths = denseCounts.length;
    for (let n = 0; n < cases.length; n++) {
      const c = cases[n]!;
      const from = offsets[c]!;
      const to = offsets[c + 1]!;
      resetHistory(packed, startSymbol, size);
      for (let i = from; i <= to; i++) {
        const next = i < to ? activities[i]! : endSymbol;
        for (let k = 0; k < lengths; k++) {
          const key = packed[k]! * size + next;
          const dense = denseCounts[k];
          if (dense) {
            dense[key]!++;
          } else {
            const sparse = sparseCounts[k]!;
            sparse.set(key, (sparse.get(key) ?? 0) + 1);
          }
        }
        pushSymbol(packed, next, size);
      }
    }
  }

  /** Adds a count for a history given as symbols (used when loading a saved model). */
  addPair(history: readonly number[], next: number, count: number): void {
    let packedHistory = 0;
    for (const symbol of history) packedHistory = packedHistory * this.size + symbol;
    const key = packedHistory * this.size + next;
    const dense = this.denseCounts[history.length];
    if (dense) {
      dense[key]! += count;
    } else {
      const sparse = this.sparseCounts[history.length]!;
      sparse.set(key, (sparse.get(key) ?? 0) + count);
    }
  }

  /** Calls `visit` for every non-zero (key, count) pair of one context length. */
  private forEachPair(length: number, visit: (key: number, count: number) => void): void {
    const dense = this.denseCounts[length];
    if (dense) {
      for (let key = 0; key < dense.length; key++) if (dense[key] !== 0) visit(key, dense[key]!);
    } else {
      for (const [key, count] of this.sparseCounts[length]!) visit(key, count);
    }
  }

  rank(): NextActivityTables {
    const size = this.size;
    const overall = new Float64Array(size);
    this.forEachPair(0, (key, count) => (overall[key] = count));
    const compare = (a: number, b: number, countA: number, countB: number): number =>
      countB - countA || overall[b]! - overall[a]! || a - b;

    const contextsByLength: Map<number, RankedContext>[] = [];
    for (let length = 0; length <= this.maxContextLength; length++) {
      const grouped = new Map<number, { next: number[]; counts: number[] }>();
      this.forEachPair(length, (key, count) => {
        const packedHistory = Math.floor(key / size);
        const next = key - packedHistory * size;
        let group = grouped.get(packedHistory);
        if (group === undefined) {
          group = { next: [], counts: [] };
          grouped.set(packedHistory, group);
        }
        group.next.push(next);
        group.counts.push(count);
      });
      const contexts = new Map<number, RankedContext>();
      for (const packedHistory of [...grouped.keys()].sort((a, b) => a - b)) {
        const group = grouped.get(packedHistory)!;
        const order = group.next.map((_, i) => i);
        order.sort((i, j) => compare(group.next[i]!, group.next[j]!, group.counts[i]!, group.counts[j]!));
        const next = order.map((i) => group.next[i]!);
        const sortedCounts = order.map((i) => group.counts[i]!);
        contexts.set(packedHistory, {
          history: unpackHistory(packedHistory, length, size),
          next,
          counts: sortedCounts,
          total: sortedCounts.reduce((sum, count) => sum + count, 0),
        });
      }
      contextsByLength.push(contexts);
    }
    return { activityCount: this.activityCount, maxContextLength: this.maxContextLength, contextsByLength };
  }
}

function unpackHistory(packedHistory: number, length: number, size: number): number[] {
  const history = new Array<number>(length);
  let rest = packedHistory;
  for (let k = length - 1; k >= 0; k--) {
    const symbol = rest % size;
    history[k] = symbol;
    rest = (rest - symbol) / size;
  }
  return history;
}
