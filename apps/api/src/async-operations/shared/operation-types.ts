/**
 * The async operation types and the job each one runs. `analysisType` is either fixed by the
 * type (a different one in `parameters` is a 400) or a default the parameters may override.
 */
import type { JobType } from '../../../../../libs/job-domain/src/index.js';

export interface OperationTypeDefinition {
  readonly jobType: JobType;
  /** The analysis the type stands for; `parameters.analysisType` may only repeat it. */
  readonly fixedAnalysisType?: string;
  /** Used when `parameters.analysisType` is absent. */
  readonly defaultAnalysisType?: string;
  readonly description: string;
}

export const OPERATION_TYPES = {
  ProcessMiningAnalysis: {
    jobType: 'ProcessMining', defaultAnalysisType: 'comprehensive',
    description: 'A ProcessMining job (analysisType comprehensive by default, or discovery, performance, conformance)',
  },
  ProcessDiscovery: { jobType: 'ProcessMining', fixedAnalysisType: 'discovery', description: 'A ProcessMining job with analysisType discovery' },
  ConformanceChecking: { jobType: 'ProcessMining', fixedAnalysisType: 'conformance', description: 'A ProcessMining job with analysisType conformance' },
  PerformanceAnalysis: { jobType: 'Analysis', fixedAnalysisType: 'performance', description: 'An Analysis job with analysisType performance' },
  BottleneckAnalysis: { jobType: 'Analysis', fixedAnalysisType: 'bottlenecks', description: 'An Analysis job with analysisType bottlenecks' },
  StatisticalAnalysis: {
    jobType: 'Analysis', defaultAnalysisType: 'statistics',
    description: 'An Analysis job (analysisType statistics by default, or any other Analysis type)',
  },
  DataEnrichment: { jobType: 'DataEnrichment', description: 'A DataEnrichment job' },
  NotebookExecution: { jobType: 'Notebook', description: 'A Notebook job' },
} as const satisfies Record<string, OperationTypeDefinition>;

export type OperationType = keyof typeof OPERATION_TYPES;
export const OPERATION_TYPE_NAMES = Object.keys(OPERATION_TYPES) as OperationType[];

/** Formats of the artifacts jobs write; `outputOptions.exportFormats` chooses among them. */
export const EXPORT_FORMATS = ['html', 'svg', 'csv', 'json', 'pnml', 'bpmn'] as const;
