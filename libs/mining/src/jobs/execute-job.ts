/** Entry the worker's child process calls: load, run the job type's pipeline, report. */
import type { JobExecutionRequest, JobExecutionResult, MiningJobType, ProgressReport } from '../job-execution.contract.js';
import { InvalidJobParametersError } from './validate-parameters.js';
import { runAnalysisJob } from './analysis-job.js';
import { warmUpProcessMapRenderer } from './engine-parts.js';
import { runDataEnrichmentJob } from './data-enrichment-job.js';
import type { JobContext, JobOutcome } from './job-context.js';
import { loadEventLog } from './load-log.js';
import { runNotebookJob } from './notebook-job.js';
import { runProcessMiningJob } from './process-mining-job.js';
import { ProgressTracker } from './progress.js';
import { validateJobParameters } from './validate-parameters.js';

const RUNNERS: Readonly<Record<MiningJobType, (context: JobContext) => Promise<JobOutcome>>> = {
  ProcessMining: runProcessMiningJob,
  DataEnrichment: runDataEnrichmentJob,
  Analysis: runAnalysisJob,
  Notebook: runNotebookJob,
};

export async function executeJob(request: JobExecutionRequest, onProgress: (p: ProgressReport) => void): Promise<JobExecutionResult> {
  // Parameters were checked at submit; checking again guards retries with modified parameters.
  const problems = validateJobParameters(request.jobType, request.parameters);
  if (problems.length > 0) throw new InvalidJobParametersError(problems);

  if (request.jobType === 'ProcessMining') warmUpProcessMapRenderer();
  const progress = new ProgressTracker(onProgress);
  const loaded = await loadEventLog(request, progress);
  const outcome = await RUNNERS[request.jobType]({ request, progress, loaded });
  progress.finish();

  const primaries = outcome.artifacts.filter((a) => a.primary === true).length;
  if (primaries !== 1) throw new Error(`${request.jobType} produced ${primaries} primary artifacts; exactly one expected`);
  const { quality } = loaded;
  return {
    recordsProcessed: quality.dataValidation.validRecords,
    totalRecords: quality.dataValidation.totalRecords,
    dataQualityScore: quality.dataQualityScore,
    dataValidation: quality.dataValidation,
    warnings: quality.warnings,
    processingErrors: quality.processingErrors,
    artifacts: outcome.artifacts,
    figures: { quality, ...outcome.figures },
  };
}
