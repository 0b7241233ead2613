/** What every job runner receives and returns, plus the steps they share. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { filterByTimeWindow, validateTimeWindow, type TimeWindowApplied } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import type { JobExecutionRequest, ProducedArtifact, QualityWarning } from '../job-execution.contract.js';
import { classifyEvents, type EventClassifier, type EventClassifierFigures } from '../log-transforms/index.js';
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
  /** Warnings about the job's own result (added to the ingest's quality warnings). */
  readonly warnings?: readonly QualityWarning[];
}

/** The log a job analyses, with what was done to it. */
export interface JobLog {
  readonly log: EventLog;
  readonly timeWindow?: TimeWindowApplied;
  readonly eventClassifier: EventClassifierFigures;
  /** `EMPTY_RESULT_WARNING` when nothing is left to analyse. */
  readonly warnings: readonly QualityWarning[];
}

export const EMPTY_RESULT_WARNING = 'EmptyResult';

/**
 * Filtering stage: the event classifier (`eventClassifier`, else the log's default), then the
 * job-level `timeWindow` on the classified events. Both are cheap passes over the loaded log,
 * which stays untouched for the next jobs.
 */
export function prepareJobLog(context: JobContext): JobLog {
  context.progress.enter('Filtering');
  const parameters = context.request.parameters;
  const { window, problems } = validateTimeWindow(parameters['timeWindow']);
  if (problems.length > 0) throw new RangeError(`Invalid timeWindow: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  const classified = classifyEvents(context.loaded.log, parameters['eventClassifier'] as EventClassifier | undefined);
  const filtered = window ? filterByTimeWindow(classified.log, window) : null;
  return {
    log: filtered?.log ?? classified.log,
    ...(filtered && { timeWindow: filtered.applied }),
    eventClassifier: classified.figures,
    warnings: emptyResultWarnings(filtered?.log ?? classified.log, classified.figures, filtered?.applied),
  };
}

function emptyResultWarnings(log: EventLog, classifier: EventClassifierFigures, window?: TimeWindowApplied): QualityWarning[] {
  if (log.eventCount > 0) return [];
  if (classifier.eventsBefore === 0) {
    return [{ type: EMPTY_RESULT_WARNING, message: 'The dataset has no valid events to analyse; the figures are empty (null)', count: 0 }];
  }
  if (classifier.eventsAfter === 0) {
    return [
      {
        type: EMPTY_RESULT_WARNING,
        message: `No events left after classification: none of the ${classifier.eventsBefore} events is an activity instance under ${classifier.classifier} (no completions); the figures are empty (null)`,
        count: classifier.eventsBefore,
      },
    ];
  }
  if (!window) return [];
  const bounds = `${window.from ?? 'open start'} – ${window.to ?? 'open end'}`;
  return [
    {
      type: EMPTY_RESULT_WARNING,
      message: `No events left after filtering: the time window ${bounds} (mode ${window.mode}) keeps none of the ${window.eventsBefore} events of ${window.casesBefore} cases; the figures are empty (null)`,
      count: window.eventsBefore,
    },
  ];
}

export function reportDetail(parameters: Readonly<Record<string, unknown>>): ReportDetail {
  return parameters['outputFormat'] === 'summary_report' ? SUMMARY : DETAILED;
}

export function booleanParameter(parameters: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const value = parameters[key];
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * Written with one blocking call: the engine runs in a process of its own, one job at a
 * time (a job runner), where the thread pool's round trips for open, write and close cost
 * more than the write itself.
 */
export async function writeTextArtifact(outputDir: string, fileName: string, content: string): Promise<number> {
  writeFileSync(path.join(outputDir, fileName), content, 'utf8');
  return Buffer.byteLength(content, 'utf8');
}

/** "Customer Journey Analysis" -> "Customer Journey Analysis Report"; an empty title falls back to the job type. */
export function artifactTitle(request: JobExecutionRequest, suffix: string): string {
  const base = request.title.trim() || request.jobType;
  return `${base} ${suffix}`;
}
