/** Runs the analyses the options ask for and assembles one JSON figures object. */
import type { EventLog } from '../event-log.js';
import type { ParameterProblem } from '../job-execution.contract.js';
import type {
  AnalysisOptions,
  AnalysisResult,
  PerformanceFigures,
  PerformanceMetricName,
  ProcessMiningFigures,
  TimeWindowApplied,
} from './analysis.types.js';
import { activityStatistics } from './activity-statistics.js';
import { detectAnomalies } from './anomalies.js';
import { directlyFollowsGraph } from './dfg.js';
import { generateInsights } from './insights.js';
import { cycleTime, resourceUtilization, secondsSincePrevious, serviceTime, waitingTime } from './performance.js';
import { analyzeRework } from './rework.js';
import { LogMeasures } from './log-measures.js';
import { summarizeLog } from './summary.js';
import { filterByTimeWindow, validateTimeWindow } from './time-window.js';

export const PERFORMANCE_METRICS: readonly PerformanceMetricName[] = ['cycle_time', 'waiting_time', 'resource_utilization'];

/**
 * `measures`, when they are of the log analysed (`input` with no time window), are used and
 * completed rather than computed again: a caller may have read some of them first (a job
 * starts mining the variants before the other analyses).
 */
export function analyzeLog(input: EventLog, options: AnalysisOptions = {}, given?: LogMeasures): AnalysisResult {
  let log = input;
  let timeWindow: TimeWindowApplied | undefined;
  if (options.timeWindow) {
    const filtered = filterByTimeWindow(input, options.timeWindow);
    log = filtered.log;
    timeWindow = filtered.applied;
  }

  const measures = given?.log === log ? given : new LogMeasures(log);
  const counters = measures.counters;
  const durations = measures.caseDurations;
  const sincePrevious = secondsSincePrevious(log);
  const variants = measures.variants;
  const dfg = directlyFollowsGraph(log, counters, measures.dfgCore);
  const rework = analyzeRework(log, counters);

  const requested = new Set(options.performanceMetrics ?? []);
  // Waiting time also feeds the insights, so compute it once when either needs it.
  const waiting = requested.has('waiting_time') || options.generateInsights ? waitingTime(log, sincePrevious, measures.dfgCore) : undefined;
  const performance: PerformanceFigures = {
    ...(requested.has('cycle_time') && { cycleTime: cycleTime(durations) }),
    ...(requested.has('waiting_time') && { waitingTime: waiting!, serviceTime: serviceTime(log, measures.serviceTimes) }),
    ...(requested.has('resource_utilization') && { resourceUtilization: resourceUtilization(log) }),
  };

  let caseAnomalyFlags: Uint8Array = new Uint8Array(log.caseCount);
  let anomalies: ProcessMiningFigures['anomalies'] = null;
  if (options.includeAnomalyDetection) {
    const detected = detectAnomalies(
      log,
      { counters, caseDurationSeconds: durations.seconds, variants: variants.analysis, caseVariantIndex: variants.caseVariantIndex },
      options,
    );
    anomalies = detected.figures;
    caseAnomalyFlags = detected.caseAnomalyFlags;
  }

  const insights = options.generateInsights
    ? generateInsights({ caseCount: log.caseCount, dfg, variants: variants.analysis, rework, waitingTime: waiting! })
    : null;

  const figures: ProcessMiningFigures = {
    ...(timeWindow && { timeWindow }),
    summary: summarizeLog(log),
    activityStatistics: activityStatistics(log, counters),
    dfg,
    variants: variants.analysis,
    performance,
    rework,
    anomalies,
    insights,
  };
  const variantIds = variants.analysis.variants.map((v) => v.id);
  return {
    figures,
    log,
    measures,
    perCase: {
      caseDurationSeconds: durations.seconds,
      caseVariantIndex: variants.caseVariantIndex,
      variantIds: Array.from(variants.caseVariantIndex, (v) => variantIds[v]!),
      caseRework: counters.caseRework,
      caseAnomalyFlags,
      eventSecondsSincePrevious: sincePrevious,
    },
  };
}

/**
 * Reads the analysis options out of raw job parameters (`timeWindow`, `performanceMetrics`,
 * `includeAnomalyDetection`, `generateInsights`, `rareVariantShare`, `rareVariantMinCases`,
 * `expectedStartActivities`, `expectedEndActivities`), reporting field-level problems.
 */
export function parseAnalysisOptions(parameters: Readonly<Record<string, unknown>>): {
  options: AnalysisOptions;
  problems: ParameterProblem[];
} {
  const problems: ParameterProblem[] = [];
  const { window, problems: windowProblems } = validateTimeWindow(parameters['timeWindow']);
  problems.push(...windowProblems);

  let performanceMetrics: PerformanceMetricName[] | undefined;
  const metrics = parameters['performanceMetrics'];
  if (metrics !== undefined) {
    if (!Array.isArray(metrics) || metrics.some((m) => !(PERFORMANCE_METRICS as readonly unknown[]).includes(m))) {
      problems.push({ field: 'parameters.performanceMetrics', message: `must be an array of ${PERFORMANCE_METRICS.join(', ')}` });
    } else {
      performanceMetrics = [...new Set(metrics as PerformanceMetricName[])];
    }
  }
  const readBoolean = (key: string): boolean | undefined => {
    const v = parameters[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') problems.push({ field: `parameters.${key}`, message: 'must be a boolean' });
    return typeof v === 'boolean' ? v : undefined;
  };
  const readNumber = (key: string, min: number, max: number): number | undefined => {
    const v = parameters[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      problems.push({ field: `parameters.${key}`, message: `must be a number between ${min} and ${max}` });
      return undefined;
    }
    return v;
  };
  const readNames = (key: string): string[] | undefined => {
    const v = parameters[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) {
      problems.push({ field: `parameters.${key}`, message: 'must be a non-empty array of activity names' });
      return undefined;
    }
    return v as string[];
  };
  const includeAnomalyDetection = readBoolean('includeAnomalyDetection');
  const generateInsights = readBoolean('generateInsights');
  const rareVariantShare = readNumber('rareVariantShare', 0, 1);
  const rareVariantMinCases = readNumber('rareVariantMinCases', 0, Number.MAX_SAFE_INTEGER);
  const expectedStartActivities = readNames('expectedStartActivities');
  const expectedEndActivities = readNames('expectedEndActivities');
  const options: AnalysisOptions = {
    ...(window && { timeWindow: window }),
    ...(performanceMetrics && { performanceMetrics }),
    ...(includeAnomalyDetection !== undefined && { includeAnomalyDetection }),
    ...(generateInsights !== undefined && { generateInsights }),
    ...(rareVariantShare !== undefined && { rareVariantShare }),
    ...(rareVariantMinCases !== undefined && { rareVariantMinCases }),
    ...(expectedStartActivities && { expectedStartActivities }),
    ...(expectedEndActivities && { expectedEndActivities }),
  };
  return { options, problems };
}
