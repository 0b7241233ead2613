/**
 * The boundary between the job-execution core and the mining engine: the worker hands
 * the engine one job (its type, parameters, dataset file and an output folder) and gets
 * back measured figures plus the artifact files it wrote. The engine never touches the
 * event store, HTTP or tenancy.
 */
import type { ColumnMapping } from './event-log.js';

export type MiningJobType = 'ProcessMining' | 'DataEnrichment' | 'Analysis' | 'Notebook';

export type DatasetFormat = 'csv' | 'csv.gz' | 'xes' | 'xes.gz';

export interface DatasetFile {
  readonly path: string;
  readonly format: DatasetFormat;
  /** Column mapping for CSV; ignored for XES (standard concept:name etc. keys). */
  readonly columns?: ColumnMapping;
  /** The log as read once at the dataset's import (ingest/ingested-log-file.ts): loaded instead of reading `path` again. */
  readonly ingestedPath?: string;
  /** Records the dataset held when it was registered (what the job's log says it expects). */
  readonly expectedRecords?: number;
}

/** An uploaded process model (PNML or BPMN) a conformance job checks against (`parameters.modelId`). */
export interface ProcessModelFile {
  readonly path: string;
  readonly format: 'pnml' | 'bpmn';
  readonly modelId: string;
  readonly name: string;
}

export interface JobExecutionRequest {
  readonly jobType: MiningJobType;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly dataset: DatasetFile;
  /** Present when the parameters name a `modelId`; the node resolves it as it resolves `datasetId`. */
  readonly processModel?: ProcessModelFile;
  /** Folder the engine writes its artifact files into (exists, empty). */
  readonly outputDir: string;
  /** Human title used in artifact titles, e.g. the job name. */
  readonly title: string;
}

/** Stages, in order, as shown in `progress.currentStage`. */
export const JOB_STAGES = [
  'Loading',
  'Validating',
  'Filtering',
  'Discovering',
  'Measuring',
  'Rendering',
  'Writing outputs',
] as const;
export type JobStage = (typeof JOB_STAGES)[number];

export interface ProgressReport {
  /** 0..100, derived from stage and records processed. */
  readonly percentage: number;
  readonly currentStage: JobStage;
  readonly recordsProcessed: number;
  /** Known once the source has been read (or estimated from file size while loading: then totalRecordsEstimated is true). */
  readonly totalRecords: number | null;
  readonly totalRecordsEstimated?: boolean;
  readonly errorCount: number;
  readonly warningCount: number;
}

export type OutputType = 'reports' | 'data' | 'models' | 'visualizations';

export interface ProducedArtifact {
  /** e.g. ProcessMiningReport, EnrichedDataset, ProcessMap, AnalyticsModel, AnalysisResult, NotebookResult */
  readonly type: string;
  readonly title: string;
  /** File extension-like format: html, csv, svg, json */
  readonly format: string;
  /** File name inside outputDir. */
  readonly fileName: string;
  readonly outputType: OutputType;
  /** The main output of the job (listed as `primaryOutput`). Exactly one per job. */
  readonly primary?: boolean;
  readonly recordCount?: number;
  /** Measured on a holdout, for models. */
  readonly accuracy?: number;
  /** Extra measured figures worth listing next to the artifact (e.g. meanAbsoluteErrorSeconds). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** For DataEnrichment: the artifact should also be registered as a new dataset (CSV, XES-style column names). */
  readonly registerAsDataset?: boolean;
}

export interface QualityWarning {
  readonly type: string; // e.g. DataQuality
  readonly message: string;
  readonly count: number;
}

export interface DataValidation {
  readonly totalRecords: number;
  readonly validRecords: number;
  readonly duplicatesRemoved: number;
  readonly invalidRecords: number;
}

export interface JobExecutionResult {
  readonly recordsProcessed: number;
  readonly totalRecords: number;
  /** 0..100, documented in the engine's README section. */
  readonly dataQualityScore: number;
  readonly dataValidation: DataValidation;
  readonly warnings: readonly QualityWarning[];
  readonly processingErrors: readonly { readonly type: string; readonly message: string; readonly count: number }[];
  readonly artifacts: readonly ProducedArtifact[];
  /** Every figure computed, machine-readable (served inline by results?format=detailed). */
  readonly figures: Readonly<Record<string, unknown>>;
}

/** A field-level problem with submitted parameters (path like `parameters.timeWindow.startDate`). */
export interface ParameterProblem {
  readonly field: string;
  readonly message: string;
}
