/** Public API of the mining jobs: submit-time parameter validation and job execution. */
export { executeJob } from './execute-job.js';
export { InvalidJobParametersError } from './validate-parameters.js';
export {
  validateJobParameters,
  JOB_PARAMETER_KEYS,
  PROCESS_MINING_ANALYSIS_TYPES,
  ANALYSIS_TYPES,
  ENRICHMENTS,
  OUTPUT_FORMATS,
  NOTEBOOK_CELL_TYPES,
  NOTEBOOK_FILTER_TYPES,
  NOTEBOOK_CALCULATOR_TYPES,
} from './validate-parameters.js';
export type { ProcessMiningAnalysisType, AnalysisType, EnrichmentName, NotebookCellType } from './validate-parameters.js';
export { planProcessMining } from './process-mining-job.js';
export { MAP_DEFAULT, MAP_SLIDER_MAX_ACTIVITIES } from './report-map.js';
export { VARIANT_EXPLORER_LIMITS } from './variant-explorer.js';
export { checkConformance } from './conformance.js';
export type { ConformanceFigures, ConformanceModel, VariantConformance } from './conformance.js';
export type { CellResult, NotebookCell } from './notebook-cells.js';
export { ENRICHED_CORE_COLUMNS } from './enriched-csv.js';
export type { QualityFigures } from './load-log.js';
