/**
 * Submit-time validation of job parameters. Every problem names the offending field
 * (`parameters.timeWindow.startDate`, `parameters.cells[2].values`, ...) so the API can
 * answer 400 with all of them at once. Unknown keys are problems too: a misspelt option
 * would otherwise be silently ignored and the job would run with defaults.
 */
import { PERFORMANCE_METRICS, validateTimeWindow } from '../analysis/index.js';
import { EVENT_CLASSIFIERS } from '../log-transforms/index.js';
import { DISCOVERY_ALGORITHMS } from '../discovery/index.js';
import type { MiningJobType, ParameterProblem } from '../job-execution.contract.js';
import { importProcessModel, PROCESS_MODEL_FORMATS, type ProcessModelFormat } from '../models/import-process-model.js';
import { ModelImportError } from '../models/model-import-error.js';

/** Parameters a job cannot run with, found at run time (a retry's changes, a column the dataset lacks). */
export class InvalidJobParametersError extends Error {
  constructor(readonly problems: readonly ParameterProblem[]) {
    super(`Invalid job parameters: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
    this.name = 'InvalidJobParametersError';
  }
}

export const PROCESS_MINING_ANALYSIS_TYPES = ['comprehensive', 'discovery', 'performance', 'conformance'] as const;
export type ProcessMiningAnalysisType = (typeof PROCESS_MINING_ANALYSIS_TYPES)[number];

export const ANALYSIS_TYPES = ['statistics', 'variants', 'performance', 'bottlenecks', 'conformance', 'resources', 'discovery'] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export const ENRICHMENTS = ['caseDuration', 'variant', 'rework', 'anomalies', 'timeSincePrevious'] as const;
export type EnrichmentName = (typeof ENRICHMENTS)[number];

export const OUTPUT_FORMATS = ['detailed_report', 'summary_report'] as const;

export const NOTEBOOK_FILTER_TYPES = [
  'filter.timeWindow',
  'filter.attribute',
  'filter.variant',
  'filter.activityPresent',
  'filter.activityAbsent',
] as const;
export const NOTEBOOK_CALCULATOR_TYPES = [
  'calc.caseCount',
  'calc.durationStatistics',
  'calc.activityFrequency',
  'calc.dfg',
  'calc.variantTable',
] as const;
export const NOTEBOOK_CELL_TYPES = [...NOTEBOOK_FILTER_TYPES, ...NOTEBOOK_CALCULATOR_TYPES] as const;
export type NotebookCellType = (typeof NOTEBOOK_CELL_TYPES)[number];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keys accepted on every job type (the retry options may be added when a failed job is retried). */
const COMMON_KEYS = ['datasetId', 'timeWindow', 'retryFailedRecords', 'increaseMemoryLimit', 'eventClassifier'] as const;
const REPORT_KEYS = [
  'analysisType',
  'includeAnomalyDetection',
  'includeProcessVariants',
  'generateInsights',
  'outputFormat',
  'performanceMetrics',
  'qualityChecks',
] as const;
const CONFORMANCE_KEYS = ['expectedPath', 'allowedStartActivities', 'allowedEndActivities'] as const;
/** `discovery: {algorithm, noiseThreshold}` chooses the miner where a process model is discovered. */
const DISCOVERY_KEY = 'discovery';
const DISCOVERY_OPTION_KEYS = ['algorithm', 'noiseThreshold'] as const;

/** The model a conformance job checks against: inline XML, or an uploaded model's id. */
const MODEL_KEYS = ['model', 'modelId'] as const;
/** Inline models travel in the job's parameters (stored with its events); larger ones go through the models API. */
export const MAX_INLINE_MODEL_CHARS = 1_000_000;

/** Known parameter keys per job type. */
export const JOB_PARAMETER_KEYS: Readonly<Record<MiningJobType, readonly string[]>> = {
  ProcessMining: [...COMMON_KEYS, ...REPORT_KEYS, ...CONFORMANCE_KEYS, ...MODEL_KEYS, DISCOVERY_KEY],
  Analysis: [...COMMON_KEYS, ...REPORT_KEYS, ...CONFORMANCE_KEYS, ...MODEL_KEYS, DISCOVERY_KEY],
  DataEnrichment: [...COMMON_KEYS, 'enrichments', 'qualityChecks', 'includeAnomalyDetection'],
  Notebook: [...COMMON_KEYS, 'cells', 'outputFormat', 'qualityChecks'],
};

const QUALITY_CHECK_KEYS = ['validateTimestamps', 'checkDuplicates', 'validateActivities'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string' && x.length > 0);
}

function oneOf(values: readonly string[]): string {
  return `must be one of ${values.join(', ')}`;
}

export function validateJobParameters(jobType: MiningJobType, parameters: unknown): ParameterProblem[] {
  const knownKeys = JOB_PARAMETER_KEYS[jobType];
  if (knownKeys === undefined) return [{ field: 'jobType', message: oneOf(Object.keys(JOB_PARAMETER_KEYS)) }];
  if (!isPlainObject(parameters)) return [{ field: 'parameters', message: 'must be an object' }];
  const problems: ParameterProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ field: `parameters.${field}`, message });

  for (const key of Object.keys(parameters)) {
    if (key === 'columnMapping') problem(key, 'is not a job parameter: the dataset carries its column mapping');
    else if (!knownKeys.includes(key)) problem(key, `is not a known parameter of ${jobType} jobs (known: ${knownKeys.join(', ')})`);
  }

  const datasetId = parameters['datasetId'];
  if (datasetId === undefined) problem('datasetId', 'is required');
  else if (typeof datasetId !== 'string' || !GUID.test(datasetId)) problem('datasetId', 'must be a GUID string');

  problems.push(...validateTimeWindow(parameters['timeWindow']).problems);
  for (const key of ['retryFailedRecords', 'increaseMemoryLimit', 'includeAnomalyDetection', 'includeProcessVariants', 'generateInsights']) {
    if (knownKeys.includes(key) && parameters[key] !== undefined && typeof parameters[key] !== 'boolean') problem(key, 'must be a boolean');
  }
  if (knownKeys.includes('outputFormat') && parameters['outputFormat'] !== undefined) {
    if (!(OUTPUT_FORMATS as readonly unknown[]).includes(parameters['outputFormat'])) problem('outputFormat', oneOf(OUTPUT_FORMATS));
  }
  const metrics = parameters['performanceMetrics'];
  if (knownKeys.includes('performanceMetrics') && metrics !== undefined) {
    if (!Array.isArray(metrics)) problem('performanceMetrics', `must be an array of ${PERFORMANCE_METRICS.join(', ')}`);
    else {
      metrics.forEach((metric, i) => {
        if (!(PERFORMANCE_METRICS as readonly unknown[]).includes(metric)) problem(`performanceMetrics[${i}]`, oneOf(PERFORMANCE_METRICS));
      });
    }
  }
  validateQualityChecks(parameters['qualityChecks'], problem);
  // Lifecycle handling: which events count as executions (every job type reads the log).
  const classifier = parameters['eventClassifier'];
  if (classifier !== undefined && !(EVENT_CLASSIFIERS as readonly unknown[]).includes(classifier)) problem('eventClassifier', oneOf(EVENT_CLASSIFIERS));

  if (jobType === 'ProcessMining' || jobType === 'Analysis') {
    const allowed: readonly string[] = jobType === 'ProcessMining' ? PROCESS_MINING_ANALYSIS_TYPES : ANALYSIS_TYPES;
    const analysisType = parameters['analysisType'];
    if (analysisType === undefined) {
      if (jobType === 'Analysis') problem('analysisType', `is required; ${oneOf(allowed)}`);
    } else if (typeof analysisType !== 'string' || !allowed.includes(analysisType)) {
      problem('analysisType', `${oneOf(allowed)} for ${jobType} jobs`);
    }
    for (const key of CONFORMANCE_KEYS) {
      if (parameters[key] === undefined) continue;
      if (!isNonEmptyStringArray(parameters[key])) problem(key, 'must be a non-empty array of activity names');
      else if (analysisType !== 'conformance') problem(key, 'only applies when analysisType is conformance');
    }
    if (parameters[DISCOVERY_KEY] !== undefined) {
      // ProcessMining discovers a model for discovery and comprehensive (the default); Analysis for discovery;
      // both for conformance when no model or expected path is given (the log is checked against its own model).
      const checksOwnModel = analysisType === 'conformance' && ['model', 'modelId', ...CONFORMANCE_KEYS].every((key) => parameters[key] === undefined);
      const discovers = checksOwnModel || analysisType === 'discovery' || (jobType === 'ProcessMining' && (analysisType === undefined || analysisType === 'comprehensive'));
      if (!discovers) {
        problem(DISCOVERY_KEY, `only applies when analysisType is ${jobType === 'ProcessMining' ? 'discovery, comprehensive' : 'discovery'} or conformance without a model or expected path`);
      }
      validateDiscoveryOptions(parameters[DISCOVERY_KEY], problem);
    }
    validateConformanceModel(parameters, analysisType, problem);
  }
  if (jobType === 'DataEnrichment' && parameters['enrichments'] !== undefined) {
    const enrichments = parameters['enrichments'];
    if (!Array.isArray(enrichments) || enrichments.length === 0) problem('enrichments', `must be a non-empty array of ${ENRICHMENTS.join(', ')}`);
    else {
      enrichments.forEach((name, i) => {
        if (!(ENRICHMENTS as readonly unknown[]).includes(name)) problem(`enrichments[${i}]`, oneOf(ENRICHMENTS));
      });
    }
  }
  if (jobType === 'Notebook') {
    const cells = parameters['cells'];
    if (cells === undefined) problem('cells', 'is required: an ordered array of cells {type, ...}');
    else if (!Array.isArray(cells) || cells.length === 0) problem('cells', 'must be a non-empty array of cells {type, ...}');
    else cells.forEach((cell, i) => validateCell(cell, `cells[${i}]`, problem));
  }
  return problems;
}

function validateDiscoveryOptions(value: unknown, problem: (field: string, message: string) => void): void {
  if (!isPlainObject(value)) return problem(DISCOVERY_KEY, `must be an object {${DISCOVERY_OPTION_KEYS.join(', ')}}`);
  for (const key of Object.keys(value)) {
    if (!(DISCOVERY_OPTION_KEYS as readonly string[]).includes(key)) problem(`${DISCOVERY_KEY}.${key}`, `is not a known discovery option (known: ${DISCOVERY_OPTION_KEYS.join(', ')})`);
  }
  const { algorithm, noiseThreshold } = value;
  if (algorithm !== undefined && !(DISCOVERY_ALGORITHMS as readonly unknown[]).includes(algorithm)) problem(`${DISCOVERY_KEY}.algorithm`, oneOf(DISCOVERY_ALGORITHMS));
  if (noiseThreshold !== undefined) {
    if (typeof noiseThreshold !== 'number' || !Number.isFinite(noiseThreshold) || noiseThreshold < 0 || noiseThreshold > 1) {
      problem(`${DISCOVERY_KEY}.noiseThreshold`, 'must be a number from 0 to 1');
    } else if (algorithm === 'inductive') {
      problem(`${DISCOVERY_KEY}.noiseThreshold`, 'only applies to algorithm inductive-infrequent (inductive keeps all behaviour)');
    }
  }
}

/** `model` ({format, content}) or `modelId`; an inline model must import (its error names the problem). */
function validateConformanceModel(parameters: Record<string, unknown>, analysisType: unknown, problem: (field: string, message: string) => void): void {
  const { model, modelId } = parameters;
  if (model === undefined && modelId === undefined) return;
  const given = model !== undefined ? 'model' : 'modelId';
  if (analysisType !== 'conformance') return problem(given, 'only applies when analysisType is conformance');
  if (model !== undefined && modelId !== undefined) return problem('modelId', 'give either model (inline) or modelId (uploaded), not both');
  if (CONFORMANCE_KEYS.some((key) => parameters[key] !== undefined)) {
    return problem(given, `checks against a process model; it cannot be combined with ${CONFORMANCE_KEYS.join(', ')} (the expected-path mode)`);
  }
  if (modelId !== undefined) {
    if (typeof modelId !== 'string' || !GUID.test(modelId)) problem('modelId', 'must be a GUID string (the id POST /models answered with)');
    return;
  }
  if (!isPlainObject(model)) return problem('model', `must be an object {format: ${PROCESS_MODEL_FORMATS.join(' | ')}, content: "<xml…>"}`);
  for (const key of Object.keys(model)) if (key !== 'format' && key !== 'content') problem(`model.${key}`, 'is not a known key of model (known: format, content)');
  const { format, content } = model;
  const formatOk = typeof format === 'string' && (PROCESS_MODEL_FORMATS as readonly string[]).includes(format);
  if (!formatOk) problem('model.format', oneOf(PROCESS_MODEL_FORMATS));
  if (typeof content !== 'string' || content.trim() === '') return problem('model.content', 'is required: the model as PNML or BPMN XML text');
  if (content.length > MAX_INLINE_MODEL_CHARS) return problem('model.content', `is longer than ${MAX_INLINE_MODEL_CHARS} characters; upload the model (POST /models) and pass modelId`);
  if (!formatOk) return;
  try {
    importProcessModel(format as ProcessModelFormat, content);
  } catch (e) {
    if (!(e instanceof ModelImportError)) throw e;
    problem('model.content', e.message);
  }
}

function validateQualityChecks(value: unknown, problem: (field: string, message: string) => void): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) return problem('qualityChecks', `must be an object {${QUALITY_CHECK_KEYS.join(', ')}}`);
  for (const [key, flag] of Object.entries(value)) {
    if (!(QUALITY_CHECK_KEYS as readonly string[]).includes(key)) problem(`qualityChecks.${key}`, `is not a known quality check (known: ${QUALITY_CHECK_KEYS.join(', ')})`);
    else if (typeof flag !== 'boolean') problem(`qualityChecks.${key}`, 'must be a boolean');
  }
}

/** Keys each cell type accepts besides `type`. */
const CELL_KEYS: Readonly<Record<NotebookCellType, readonly string[]>> = {
  'filter.timeWindow': ['startDate', 'endDate', 'mode', 'title'],
  'filter.attribute': ['attribute', 'values', 'mode', 'scope', 'title'],
  'filter.variant': ['variantIds', 'top', 'title'],
  'filter.activityPresent': ['activity', 'title'],
  'filter.activityAbsent': ['activity', 'title'],
  'calc.caseCount': ['title'],
  'calc.durationStatistics': ['title'],
  'calc.activityFrequency': ['title'],
  'calc.dfg': ['top', 'title'],
  'calc.variantTable': ['top', 'title'],
};

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function validateCell(cell: unknown, path: string, problem: (field: string, message: string) => void): void {
  if (!isPlainObject(cell)) return problem(path, 'must be an object {type, ...}');
  const type = cell['type'];
  if (typeof type !== 'string' || !(NOTEBOOK_CELL_TYPES as readonly string[]).includes(type)) {
    return problem(`${path}.type`, oneOf(NOTEBOOK_CELL_TYPES));
  }
  const known = CELL_KEYS[type as NotebookCellType];
  for (const key of Object.keys(cell)) {
    if (key !== 'type' && !known.includes(key)) problem(`${path}.${key}`, `is not a known option of ${type} (known: ${known.join(', ')})`);
  }
  if (cell['title'] !== undefined && typeof cell['title'] !== 'string') problem(`${path}.title`, 'must be a string');
  switch (type as NotebookCellType) {
    case 'filter.timeWindow': {
      const { startDate, endDate, mode } = cell;
      for (const p of validateTimeWindow({ startDate, endDate, mode }).problems) {
        problem(p.field.replace('parameters.timeWindow', path), p.message);
      }
      break;
    }
    case 'filter.attribute': {
      if (typeof cell['attribute'] !== 'string' || cell['attribute'].length === 0) {
        problem(`${path}.attribute`, 'is required: activity, resource or the name of an extra column');
      }
      const values = cell['values'];
      if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
        problem(`${path}.values`, 'is required: a non-empty array of strings');
      }
      if (cell['mode'] !== undefined && cell['mode'] !== 'include' && cell['mode'] !== 'exclude') problem(`${path}.mode`, oneOf(['include', 'exclude']));
      if (cell['scope'] !== undefined && cell['scope'] !== 'events' && cell['scope'] !== 'cases') problem(`${path}.scope`, oneOf(['events', 'cases']));
      break;
    }
    case 'filter.variant': {
      const { variantIds, top } = cell;
      if ((variantIds === undefined) === (top === undefined)) problem(path, 'needs exactly one of variantIds or top');
      if (variantIds !== undefined && !isNonEmptyStringArray(variantIds)) problem(`${path}.variantIds`, 'must be a non-empty array of variant ids (V1, V2, ...)');
      if (top !== undefined && !isPositiveInteger(top)) problem(`${path}.top`, 'must be a positive integer');
      break;
    }
    case 'filter.activityPresent':
    case 'filter.activityAbsent':
      if (typeof cell['activity'] !== 'string' || cell['activity'].length === 0) problem(`${path}.activity`, 'is required: an activity name');
      break;
    case 'calc.dfg':
    case 'calc.variantTable':
      if (cell['top'] !== undefined && !isPositiveInteger(cell['top'])) problem(`${path}.top`, 'must be a positive integer');
      break;
    default:
      break;
  }
}
