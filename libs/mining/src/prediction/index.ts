export { DEFAULT_HOLDOUT_FRACTION, splitCasesByTime, type HoldoutSplit } from './holdout-split.js';
export {
  DEFAULT_MAX_CONTEXT_LENGTH,
  trainNextActivityModel,
  type NextActivityEvaluation,
  type NextActivityModel,
  type NextActivityTables,
  type TrainNextActivityOptions,
} from './next-activity.js';
export {
  DEFAULT_MIN_SUPPORT,
  PREFIX_LENGTH_BUCKET_LOWER_BOUNDS,
  trainRemainingTimeModel,
  type RemainingTimeEvaluation,
  type RemainingTimeModel,
  type RemainingTimeTables,
  type TrainRemainingTimeOptions,
} from './remaining-time.js';
export {
  ANALYTICS_MODEL_TYPE,
  ANALYTICS_MODEL_VERSION,
  InvalidModelDocumentError,
  loadModel,
  predictNext,
  predictRemainingSeconds,
  serializeModel,
  toModelDocument,
  trainAnalyticsModel,
  type AnalyticsModel,
  type AnalyticsModelDocument,
  type AnalyticsModelMetrics,
  type NextActivityPrediction,
  type RankedNextActivity,
  type TrainAnalyticsModelOptions,
} from './analytics-model.js';
export { trainModelFile, trainModelFileOffThread, type TrainedModelFile } from './train-off-thread.js';
export type { TrainingLog } from './holdout-split.js';
