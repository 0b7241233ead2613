/**
 * The AnalyticsModel artifact: a next-activity predictor and a remaining-time predictor
 * trained on one event log, measured on the same time-ordered holdout, and saved as a
 * plain JSON document (no executable format) that `loadModel` turns back into a usable model.
 */
import { DEFAULT_HOLDOUT_FRACTION, splitCasesByTime, type TrainingLog } from './holdout-split.js';
import {
  DEFAULT_MAX_CONTEXT_LENGTH,
  TransitionCounter,
  rankedContextForHistory,
  trainNextActivityModel,
  type NextActivityTables,
} from './next-activity.js';
import {
  DEFAULT_MIN_SUPPORT,
  predictFromTables,
  trainRemainingTimeModel,
  type MeanTable,
  type RemainingTimeTables,
} from './remaining-time.js';

export const ANALYTICS_MODEL_TYPE = 'next-activity-ngram+remaining-time-state-mean';
export const ANALYTICS_MODEL_VERSION = 1;

export interface AnalyticsModelMetrics {
  /** Top-1 next-activity accuracy on the holdout (0..1); null without a holdout. */
  readonly accuracy: number | null;
  readonly top3Accuracy: number | null;
  /** Next-activity predictions evaluated (one per holdout event). */
  readonly evaluatedPredictions: number;
  /** Remaining-time mean absolute error on the holdout, seconds; null without a holdout. */
  readonly remainingTimeMaeSeconds: number | null;
  /** MAE of always predicting the overall mean remaining time, for comparison. */
  readonly baselineMaeSeconds: number | null;
  readonly remainingTimeEvaluatedPredictions: number;
  /** Why the metrics are null, or null when they were measured. */
  readonly unavailableReason: string | null;
}

export interface AnalyticsModel {
  readonly modelType: typeof ANALYTICS_MODEL_TYPE;
  readonly version: typeof ANALYTICS_MODEL_VERSION;
  /** ISO-8601 UTC. */
  readonly trainedAt: string;
  /** Cases the metrics were measured with: training part of the split. */
  readonly trainingCases: number;
  /** Latest-starting cases held out for the metrics. */
  readonly holdoutCases: number;
  readonly holdoutFraction: number;
  /** First timestamp of the earliest-starting holdout case (ISO-8601), null without a holdout. */
  readonly holdoutStartsAt: string | null;
  /** The shipped tables count every case: training + holdout. */
  readonly finalModelCases: number;
  readonly metrics: AnalyticsModelMetrics;
  readonly activities: readonly string[];
  readonly nextActivity: NextActivityTables;
  readonly remainingTime: RemainingTimeTables;
}

export interface TrainAnalyticsModelOptions {
  readonly holdoutFraction?: number;
  readonly maxContextLength?: number;
  readonly minSupport?: number;
  /** Recorded as `trainedAt`; defaults to now. */
  readonly trainedAt?: Date;
}

export function trainAnalyticsModel(log: TrainingLog, options: TrainAnalyticsModelOptions = {}): AnalyticsModel {
  const split = splitCasesByTime(log, options.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION);
  const next = trainNextActivityModel(log, { split, maxContextLength: options.maxContextLength ?? DEFAULT_MAX_CONTEXT_LENGTH });
  const remaining = trainRemainingTimeModel(log, { split, minSupport: options.minSupport ?? DEFAULT_MIN_SUPPORT });
  const firstHoldoutCase = split.holdoutCases[0];
  return {
    modelType: ANALYTICS_MODEL_TYPE,
    version: ANALYTICS_MODEL_VERSION,
    trainedAt: (options.trainedAt ?? new Date()).toISOString(),
    trainingCases: split.trainingCases.length,
    holdoutCases: split.holdoutCases.length,
    holdoutFraction: split.holdoutFraction,
    holdoutStartsAt:
      firstHoldoutCase === undefined ? null : new Date(log.eventTimestamp[log.caseOffsets[firstHoldoutCase]!]!).toISOString(),
    finalModelCases: log.caseCount,
    metrics: {
      accuracy: next.evaluation.accuracy,
      top3Accuracy: next.evaluation.top3Accuracy,
      evaluatedPredictions: next.evaluation.evaluatedPredictions,
      remainingTimeMaeSeconds: remaining.evaluation.maeSeconds,
      baselineMaeSeconds: remaining.evaluation.baselineMaeSeconds,
      remainingTimeEvaluatedPredictions: remaining.evaluation.evaluatedPredictions,
      unavailableReason: next.evaluation.unavailableReason,
    },
    activities: log.activities,
    nextActivity: next.nextActivity,
    remainingTime: remaining.remainingTime,
  };
}

// ---------------------------------------------------------------------------
// Prediction

export interface RankedNextActivity {
  /** The activity name; null when the prediction is that the case ends. */
  readonly activity: string | null;
  readonly endsCase: boolean;
  /** Share of training continuations of the matched context. */
  readonly probability: number;
  readonly count: number;
}

export interface NextActivityPrediction {
  /** Best first; at most `limit` entries; empty when the model was trained on no events. */
  readonly ranked: readonly RankedNextActivity[];
  /** How many trailing symbols of the prefix the matched context uses (0 = overall frequencies). */
  readonly contextLength: number;
  /** Training continuations seen for that context. */
  readonly support: number;
}

/**
 * Ranks what follows a running case whose activities so far are `prefixActivities`
 * (oldest first). Unknown activity names make the model fall back to shorter contexts.
 */
export function predictNext(
  model: Pick<AnalyticsModel, 'activities' | 'nextActivity'>,
  prefixActivities: readonly string[],
  limit = 5,
): NextActivityPrediction {
  const index = activityIndexOf(model.activities);
  const history = prefixActivities.map((name) => index.get(name) ?? -1);
  const context = rankedContextForHistory(model.nextActivity, history);
  if (context === undefined) return { ranked: [], contextLength: 0, support: 0 };
  const endSymbol = model.nextActivity.activityCount + 1;
  const ranked = context.next.slice(0, Math.max(0, limit)).map((symbol, i) => ({
    activity: symbol === endSymbol ? null : model.activities[symbol]!,
    endsCase: symbol === endSymbol,
    probability: context.counts[i]! / context.total,
    count: context.counts[i]!,
  }));
  return { ranked, contextLength: context.history.length, support: context.total };
}

/**
 * Expected seconds until the case's last event, given its activities so far. Null for an
 * empty prefix (the model describes running cases) or when the model saw no events.
 */
export function predictRemainingSeconds(
  model: Pick<AnalyticsModel, 'activities' | 'remainingTime'>,
  prefixActivities: readonly string[],
): number | null {
  if (prefixActivities.length === 0) return null;
  const lastActivity = activityIndexOf(model.activities).get(prefixActivities[prefixActivities.length - 1]!) ?? -1;
  return predictFromTables(model.remainingTime, lastActivity, prefixActivities.length);
}

const activityIndexCache = new WeakMap<readonly string[], Map<string, number>>();

function activityIndexOf(activities: readonly string[]): Map<string, number> {
  let index = activityIndexCache.get(activities);
  if (index === undefined) {
    index = new Map(activities.map((name, i) => [name, i]));
    activityIndexCache.set(activities, index);
  }
  return index;
}

// ---------------------------------------------------------------------------
// JSON document

/**
 * The saved form. Symbols in `nextActivity.contexts` are indexes into `activities`, with
 * `symbols.start` (padding before a case's first event) and `symbols.end` (the case ends).
 */
export interface AnalyticsModelDocument {
  readonly modelType: string;
  readonly version: number;
  readonly trainedAt: string;
  readonly trainingCases: number;
  readonly holdoutCases: number;
  readonly holdoutFraction: number;
  readonly holdoutStartsAt: string | null;
  readonly finalModelCases: number;
  readonly evaluation: string;
  readonly metrics: AnalyticsModelMetrics;
  readonly activities: readonly string[];
  readonly symbols: { readonly start: number; readonly end: number };
  readonly nextActivity: {
    readonly method: string;
    readonly maxContextLength: number;
    readonly contexts: readonly { readonly history: readonly number[]; readonly next: readonly number[]; readonly counts: readonly number[] }[];
  };
  readonly remainingTime: {
    readonly method: string;
    readonly bucketLowerBounds: readonly number[];
    readonly minSupport: number;
    readonly overall: { readonly count: number; readonly meanSeconds: number };
    readonly byActivity: readonly { readonly activity: number; readonly count: number; readonly meanSeconds: number }[];
    readonly byActivityAndLength: readonly {
      readonly activity: number;
      readonly bucket: number;
      readonly count: number;
      readonly meanSeconds: number;
    }[];
  };
}

export function toModelDocument(model: AnalyticsModel): AnalyticsModelDocument {
  const activityCount = model.activities.length;
  const bucketCount = model.remainingTime.bucketLowerBounds.length;
  const byActivity: { activity: number; count: number; meanSeconds: number }[] = [];
  const byActivityAndLength: { activity: number; bucket: number; count: number; meanSeconds: number }[] = [];
  for (let a = 0; a < activityCount; a++) {
    const count = model.remainingTime.byActivity.counts[a]!;
    if (count > 0) byActivity.push({ activity: a, count, meanSeconds: model.remainingTime.byActivity.meanSeconds[a]! });
    for (let b = 0; b < bucketCount; b++) {
      const cell = a * bucketCount + b;
      const cellCount = model.remainingTime.byActivityAndLength.counts[cell]!;
      if (cellCount > 0) {
        byActivityAndLength.push({ activity: a, bucket: b, count: cellCount, meanSeconds: model.remainingTime.byActivityAndLength.meanSeconds[cell]! });
      }
    }
  }
  return {
    modelType: model.modelType,
    version: model.version,
    trainedAt: model.trainedAt,
    trainingCases: model.trainingCases,
    holdoutCases: model.holdoutCases,
    holdoutFraction: model.holdoutFraction,
    holdoutStartsAt: model.holdoutStartsAt,
    finalModelCases: model.finalModelCases,
    evaluation:
      'Cases ordered by first timestamp; the latest-starting holdoutFraction of cases is the holdout. Metrics come from ' +
      'tables built on the other cases and are measured on every prefix (1..n events) of every holdout case. The saved ' +
      'tables were then rebuilt from all cases.',
    metrics: model.metrics,
    activities: model.activities,
    symbols: { start: activityCount, end: activityCount + 1 },
    nextActivity: {
      method: `back-off n-gram: longest seen context of up to ${model.nextActivity.maxContextLength} preceding symbols → counts of the next symbol`,
      maxContextLength: model.nextActivity.maxContextLength,
      contexts: model.nextActivity.contextsByLength.flatMap((contexts) =>
        [...contexts.values()].map((context) => ({ history: context.history, next: context.next, counts: context.counts })),
      ),
    },
    remainingTime: {
      method: 'mean remaining seconds by (last activity, prefix-length bucket), backing off to last activity, then overall',
      bucketLowerBounds: model.remainingTime.bucketLowerBounds,
      minSupport: model.remainingTime.minSupport,
      overall: model.remainingTime.overall,
      byActivity,
      byActivityAndLength,
    },
  };
}

/** The model as JSON text. */
export function serializeModel(model: AnalyticsModel): string {
  return JSON.stringify(toModelDocument(model));
}

export class InvalidModelDocumentError extends Error {
  constructor(problem: string) {
    super(`not a valid ${ANALYTICS_MODEL_TYPE} v${ANALYTICS_MODEL_VERSION} document: ${problem}`);
    this.name = 'InvalidModelDocumentError';
  }
}

/** Reads JSON text (or an already parsed document) written by `serializeModel`. */
export function loadModel(json: string | unknown): AnalyticsModel {
  let document: unknown = json;
  if (typeof json === 'string') {
    try {
      document = JSON.parse(json);
    } catch (error) {
      throw new InvalidModelDocumentError(`unparseable JSON (${(error as Error).message})`);
    }
  }
  const doc = asRecord(document, 'document');
  if (doc['modelType'] !== ANALYTICS_MODEL_TYPE) throw new InvalidModelDocumentError(`modelType is ${JSON.stringify(doc['modelType'])}`);
  if (doc['version'] !== ANALYTICS_MODEL_VERSION) throw new InvalidModelDocumentError(`version is ${JSON.stringify(doc['version'])}`);

  const activities = asArray(doc['activities'], 'activities').map((name, i) => {
    if (typeof name !== 'string') throw new InvalidModelDocumentError(`activities[${i}] is not a string`);
    return name;
  });
  const activityCount = activities.length;
  const symbolCount = activityCount + 2;

  const next = asRecord(doc['nextActivity'], 'nextActivity');
  const maxContextLength = asCount(next['maxContextLength'], 'nextActivity.maxContextLength');
  if (symbolCount ** (maxContextLength + 1) > Number.MAX_SAFE_INTEGER) {
    throw new InvalidModelDocumentError('nextActivity.maxContextLength is too long for the number of activities');
  }
  const counter = new TransitionCounter(activityCount, maxContextLength);
  asArray(next['contexts'], 'nextActivity.contexts').forEach((raw, i) => {
    const where = `nextActivity.contexts[${i}]`;
    const context = asRecord(raw, where);
    const history = asArray(context['history'], `${where}.history`).map((s, j) => asSymbol(s, symbolCount, `${where}.history[${j}]`));
    if (history.length > maxContextLength) throw new InvalidModelDocumentError(`${where}.history is longer than maxContextLength`);
    const followers = asArray(context['next'], `${where}.next`);
    const counts = asArray(context['counts'], `${where}.counts`);
    if (followers.length !== counts.length) throw new InvalidModelDocumentError(`${where}: next and counts differ in length`);
    followers.forEach((s, j) => counter.addPair(history, asSymbol(s, symbolCount, `${where}.next[${j}]`), asCount(counts[j], `${where}.counts[${j}]`)));
  });

  const remaining = asRecord(doc['remainingTime'], 'remainingTime');
  const bucketLowerBounds = asArray(remaining['bucketLowerBounds'], 'remainingTime.bucketLowerBounds').map((b, i) =>
    asCount(b, `remainingTime.bucketLowerBounds[${i}]`),
  );
  if (bucketLowerBounds.length === 0) throw new InvalidModelDocumentError('remainingTime.bucketLowerBounds is empty');
  const bucketCount = bucketLowerBounds.length;
  const byActivity = emptyMeanTable(activityCount);
  asArray(remaining['byActivity'], 'remainingTime.byActivity').forEach((raw, i) => {
    const where = `remainingTime.byActivity[${i}]`;
    const entry = asRecord(raw, where);
    const activity = asSymbol(entry['activity'], activityCount, `${where}.activity`);
    byActivity.counts[activity] = asCount(entry['count'], `${where}.count`);
    byActivity.meanSeconds[activity] = asFiniteNumber(entry['meanSeconds'], `${where}.meanSeconds`);
  });
  const byActivityAndLength = emptyMeanTable(activityCount * bucketCount);
  asArray(remaining['byActivityAndLength'], 'remainingTime.byActivityAndLength').forEach((raw, i) => {
    const where = `remainingTime.byActivityAndLength[${i}]`;
    const entry = asRecord(raw, where);
    const cell = asSymbol(entry['activity'], activityCount, `${where}.activity`) * bucketCount + asSymbol(entry['bucket'], bucketCount, `${where}.bucket`);
    byActivityAndLength.counts[cell] = asCount(entry['count'], `${where}.count`);
    byActivityAndLength.meanSeconds[cell] = asFiniteNumber(entry['meanSeconds'], `${where}.meanSeconds`);
  });
  const overall = asRecord(remaining['overall'], 'remainingTime.overall');

  const metrics = asRecord(doc['metrics'], 'metrics');
  const nullableNumber = (key: string): number | null =>
    metrics[key] === null ? null : asFiniteNumber(metrics[key], `metrics.${key}`);
  const unavailableReason = metrics['unavailableReason'];
  if (unavailableReason !== null && typeof unavailableReason !== 'string') throw new InvalidModelDocumentError('metrics.unavailableReason');
  const holdoutStartsAt = doc['holdoutStartsAt'];
  if (holdoutStartsAt !== null && typeof holdoutStartsAt !== 'string') throw new InvalidModelDocumentError('holdoutStartsAt');
  if (typeof doc['trainedAt'] !== 'string') throw new InvalidModelDocumentError('trainedAt is not a string');

  return {
    modelType: ANALYTICS_MODEL_TYPE,
    version: ANALYTICS_MODEL_VERSION,
    trainedAt: doc['trainedAt'],
    trainingCases: asCount(doc['trainingCases'], 'trainingCases'),
    holdoutCases: asCount(doc['holdoutCases'], 'holdoutCases'),
    holdoutFraction: asFiniteNumber(doc['holdoutFraction'], 'holdoutFraction'),
    holdoutStartsAt,
    finalModelCases: asCount(doc['finalModelCases'], 'finalModelCases'),
    metrics: {
      accuracy: nullableNumber('accuracy'),
      top3Accuracy: nullableNumber('top3Accuracy'),
      evaluatedPredictions: asCount(metrics['evaluatedPredictions'], 'metrics.evaluatedPredictions'),
      remainingTimeMaeSeconds: nullableNumber('remainingTimeMaeSeconds'),
      baselineMaeSeconds: nullableNumber('baselineMaeSeconds'),
      remainingTimeEvaluatedPredictions: asCount(metrics['remainingTimeEvaluatedPredictions'], 'metrics.remainingTimeEvaluatedPredictions'),
      unavailableReason,
    },
    activities,
    // Re-ranking from the counts keeps the order rule in one place, even for edited documents.
    nextActivity: counter.rank(),
    remainingTime: {
      activityCount,
      bucketLowerBounds,
      minSupport: asCount(remaining['minSupport'], 'remainingTime.minSupport'),
      byActivityAndLength,
      byActivity,
      overall: {
        count: asCount(overall['count'], 'remainingTime.overall.count'),
        meanSeconds: asFiniteNumber(overall['meanSeconds'], 'remainingTime.overall.meanSeconds'),
      },
    },
  };
}

function emptyMeanTable(size: number): MeanTable {
  return { counts: new Float64Array(size), meanSeconds: new Float64Array(size) };
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidModelDocumentError(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidModelDocumentError(`${where} is not an array`);
  return value;
}

function asFiniteNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidModelDocumentError(`${where} is not a finite number`);
  return value;
}

function asCount(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new InvalidModelDocumentError(`${where} is not a non-negative integer`);
  return value as number;
}

function asSymbol(value: unknown, symbolCount: number, where: string): number {
  const symbol = asCount(value, where);
  if (symbol >= symbolCount) throw new InvalidModelDocumentError(`${where} is out of range`);
  return symbol;
}
