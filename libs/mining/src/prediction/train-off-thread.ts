/**
 * The prediction model trained on a thread of its own (model-thread.ts), one long-lived thread
 * per process: a ProcessMining job trains it (about 0.1 s on the 1M-event log) while its main
 * thread writes the enriched dataset. The thread gets a copy of the columns training reads, moved to it.
 * Where the thread's compiled entry is not beside this module (the sources run directly, as in
 * the unit tests), the model is trained on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requestThread, type ThreadRequest } from '../threads/request-thread.js';
import { serializeModel, trainAnalyticsModel, type AnalyticsModel, type AnalyticsModelMetrics } from './analytics-model.js';
import type { TrainingLog } from './holdout-split.js';

/** A trained model as a job ships it: the file's content and the figures the job reports. */
export interface TrainedModelFile extends Pick<AnalyticsModel, 'trainingCases' | 'holdoutCases' | 'holdoutFraction' | 'finalModelCases'> {
  /** serializeModel's document. */
  readonly json: string;
  readonly metrics: AnalyticsModelMetrics;
}

/** Trains the model with its default options and serializes it. */
export function trainModelFile(log: TrainingLog): TrainedModelFile {
  const model = trainAnalyticsModel(log);
  const { trainingCases, holdoutCases, holdoutFraction, finalModelCases, metrics } = model;
  return { json: serializeModel(model), metrics, trainingCases, holdoutCases, holdoutFraction, finalModelCases };
}

const MODEL_THREAD = fileURLToPath(new URL('./model-thread.js', import.meta.url));

let sharedTrain: ThreadRequest<TrainingLog, TrainedModelFile> | undefined;

/** trainModelFile's result, trained on the model thread. */
export function trainModelFileOffThread(log: TrainingLog): Promise<TrainedModelFile> {
  if (!existsSync(MODEL_THREAD)) return Promise.resolve(trainModelFile(log));
  sharedTrain ??= requestThread<TrainingLog, TrainedModelFile>(MODEL_THREAD, 'model thread');
  // Copies of exactly the columns, moved to the thread: a column may be a view into a larger
  // buffer (the ingested file's), which a message would copy whole.
  const columns = { caseOffsets: log.caseOffsets.slice(), eventActivity: log.eventActivity.slice(), eventTimestamp: log.eventTimestamp.slice() };
  return sharedTrain({ caseCount: log.caseCount, activities: log.activities, ...columns }, Object.values(columns).map((column) => column.buffer as ArrayBuffer));
}
