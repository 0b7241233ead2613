/** What every job runner receives and returns, plus the steps they share. */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filterByTimeWindow, validateTimeWindow, type TimeWindowApplied } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import type { JobExecutionRequest, ProducedArtifact } from '../job-execution.contract.js';
import type { LoadedLog } from './load-log.js';
import type { ProgressTracker } from './progress.js';
import { DETAILED, SUMMARY, type ReportDetail } from './report-sections.js';

export interface JobContext {
  readonly request: JobExecutionRequest;
  readonly progress: ProgressTracker;
  readonly loaded: LoadedLog;
}

export interface JobOutcome {
  readonly artifacts: ProducedArtifact[];
  readonly figures: Record<string, unknown>;
}

/** Filtering stage: the job-level `timeWindow`, when given. */
export function applyJobTimeWindow(context: JobContext): { log: EventLog; timeWindow?: TimeWindowApplied } {
  context.progress.enter('Filtering');
  const { window, problems } = validateTimeWindow(context.request.parameters['timeWindow']);
  if (problems.length > 0) throw new RangeError(`Invalid timeWindow: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  if (!window) return { log: context.loaded.log };
  const filtered = filterByTimeWindow(context.loaded.log, window);
  return { log: filtered.log, timeWindow: filtered.applied };
}

export function reportDetail(parameters: Readonly<Record<string, unknown>>): ReportDetail {
  return parameters['outputFormat'] === 'summary_report' ? SUMMARY : DETAILED;
}

export function booleanParameter(parameters: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const value = parameters[key];
  return typeof value === 'boolean' ? value : fallback;
}

export async function writeTextArtifact(outputDir: string, fileName: string, content: string): Promise<number> {
  const filePath = path.join(outputDir, fileName);
  await writeFile(filePath, content, 'utf8');
  return (await stat(filePath)).size;
}

/** "Customer Journey Analysis" -> "Customer Journey Analysis Report"; an empty title falls back to the job type. */
export function artifactTitle(request: JobExecutionRequest, suffix: string): string {
  const base = request.title.trim() || request.jobType;
  return `${base} ${suffix}`;
}
