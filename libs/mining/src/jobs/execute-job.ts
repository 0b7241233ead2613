/**
 * Entry the worker's job runner calls: load, run the job type's pipeline, report. Each job
 * type's pipeline is imported on its first use, so a runner starts without the parts of
 * the engine its jobs never need (the Graphviz renderer only comes with ProcessMining).
 */
import type { JobExecutionRequest, JobExecutionResult, MiningJobType, ProgressReport } from '../job-execution.contract.js';
import { InvalidJobParametersError } from './validate-parameters.js';
import type { JobContext, JobOutcome } from './job-context.js';
import { applyDuplicatePolicy, loadEventLog, type LoadedLogCache, type QualityFigures } from './load-log.js';
import { ProgressTracker } from './progress.js';
import { validateJobParameters } from './validate-parameters.js';

type JobPipeline = (context: JobContext) => Promise<JobOutcome>;

const PIPELINES: Readonly<Record<MiningJobType, () => Promise<JobPipeline>>> = {
  ProcessMining: async () => (await import('./process-mining-job.js')).runProcessMiningJob,
  DataEnrichment: async () => (await import('./data-enrichment-job.js')).runDataEnrichmentJob,
  Analysis: async () => (await import('./analysis-job.js')).runAnalysisJob,
  Notebook: async () => (await import('./notebook-job.js')).runNotebookJob,
};

/**
 * `logs`: logs loaded by earlier jobs of this process, reused when the dataset is the same.
 * `onLoaded`: told what was loaded and its quality, before the job's own stages (its execution log).
 */
export async function executeJob(
  request: JobExecutionRequest, onProgress: (p: ProgressReport) => void, logs?: LoadedLogCache,
  onLoaded?: (quality: QualityFigures) => void,
): Promise<JobExecutionResult> {
  // Parameters were checked at submit; checking again guards retries with modified parameters.
  const problems = validateJobParameters(request.jobType, request.parameters);
  if (problems.length > 0) throw new InvalidJobParametersError(problems);

  // Started first, so importing the pipeline (and, for a map, Graphviz) overlaps with loading the log.
  const pipeline = PIPELINES[request.jobType]();
  pipeline.catch(() => undefined); // a failed import is thrown where it is awaited, not as an unhandled rejection
  if (request.jobType === 'ProcessMining') void import('./engine-parts.js').then((parts) => parts.warmUpProcessMapRenderer(), () => undefined);
  const progress = new ProgressTracker(onProgress);
  const loaded = applyDuplicatePolicy(await loadEventLog(request, progress, logs), request.parameters);
  onLoaded?.(loaded.quality);
  const outcome = await (await pipeline)({ request, progress, loaded });
  progress.finish();

  const primaries = outcome.artifacts.filter((a) => a.primary === true).length;
  if (primaries !== 1) throw new Error(`${request.jobType} produced ${primaries} primary artifacts; exactly one expected`);
  const warnings = [...loaded.quality.warnings, ...(outcome.warnings ?? [])];
  const quality = { ...loaded.quality, warnings };
  return {
    recordsProcessed: quality.dataValidation.validRecords,
    totalRecords: quality.dataValidation.totalRecords,
    dataQualityScore: quality.dataQualityScore,
    dataValidation: quality.dataValidation,
    warnings,
    processingErrors: quality.processingErrors,
    artifacts: outcome.artifacts,
    figures: { quality, ...outcome.figures },
  };
}
