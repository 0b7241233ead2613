/**
 * OpenAPI schema of a job's `parameters` (submit, retry's `updatedParameters`, and every job
 * view). Documentation only: the submit handler checks them per job type
 * (libs/mining validate-parameters), naming each bad field.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERFORMANCE_METRICS } from '../../../../../libs/mining/src/analysis/analyze-log.js';
import { TIME_WINDOW_MODES } from '../../../../../libs/mining/src/analysis/time-window.js';
import { DISCOVERY_ALGORITHMS } from '../../../../../libs/mining/src/discovery/discover-process-model.js';
import {
  ANALYSIS_TYPES, ENRICHMENTS, NOTEBOOK_CELL_TYPES, OUTPUT_FORMATS, PROCESS_MINING_ANALYSIS_TYPES,
} from '../../../../../libs/mining/src/jobs/index.js';
import { EVENT_CLASSIFIERS } from '../../../../../libs/mining/src/log-transforms/event-classifier.js';
import { PROCESS_MODEL_FORMATS } from '../../../../../libs/mining/src/models/import-process-model.js';

const ALL_ANALYSIS_TYPES = [...new Set<string>([...PROCESS_MINING_ANALYSIS_TYPES, ...ANALYSIS_TYPES])];

export class TimeWindowDto {
  @ApiPropertyOptional({ example: '2024-01-01', description: 'A date or an ISO 8601 time; events before it are left out' }) startDate?: string;
  @ApiPropertyOptional({ example: '2024-01-07', description: 'A date (the end of that day) or an ISO 8601 time' }) endDate?: string;
  @ApiPropertyOptional({ enum: TIME_WINDOW_MODES, default: 'events', description: 'Keep the events within it, or the cases contained in it or intersecting it' })
  mode?: string;
}

export class QualityChecksDto {
  @ApiPropertyOptional() validateTimestamps?: boolean;
  @ApiPropertyOptional({ description: 'false keeps exact repeats (duplicatesRemoved 0)' }) checkDuplicates?: boolean;
  @ApiPropertyOptional() validateActivities?: boolean;
}

export class DiscoveryOptionsDto {
  @ApiPropertyOptional({ enum: DISCOVERY_ALGORITHMS }) algorithm?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1 }) noiseThreshold?: number;
}

export class InlineProcessModelDto {
  @ApiProperty({ enum: PROCESS_MODEL_FORMATS }) format!: string;
  @ApiProperty({ description: 'The PNML or BPMN XML' }) content!: string;
}

export class JobParametersDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The uploaded event log the job reads' }) datasetId?: string;
  @ApiPropertyOptional({ enum: ALL_ANALYSIS_TYPES, description: `ProcessMining: ${PROCESS_MINING_ANALYSIS_TYPES.join(', ')}; Analysis: ${ANALYSIS_TYPES.join(', ')}` })
  analysisType?: string;
  @ApiPropertyOptional({ type: TimeWindowDto }) timeWindow?: TimeWindowDto;
  @ApiPropertyOptional({ enum: EVENT_CLASSIFIERS }) eventClassifier?: string;
  @ApiPropertyOptional() includeAnomalyDetection?: boolean;
  @ApiPropertyOptional() includeProcessVariants?: boolean;
  @ApiPropertyOptional() generateInsights?: boolean;
  @ApiPropertyOptional({ enum: OUTPUT_FORMATS }) outputFormat?: string;
  @ApiPropertyOptional({ enum: PERFORMANCE_METRICS, isArray: true }) performanceMetrics?: string[];
  @ApiPropertyOptional({ type: QualityChecksDto }) qualityChecks?: QualityChecksDto;
  @ApiPropertyOptional({ type: [String], description: 'Conformance: the activities in their expected order' }) expectedPath?: string[];
  @ApiPropertyOptional({ type: [String] }) allowedStartActivities?: string[];
  @ApiPropertyOptional({ type: [String] }) allowedEndActivities?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'Conformance: an uploaded process model' }) modelId?: string;
  @ApiPropertyOptional({ type: InlineProcessModelDto, description: 'Conformance: a process model given inline' }) model?: InlineProcessModelDto;
  @ApiPropertyOptional({ type: DiscoveryOptionsDto }) discovery?: DiscoveryOptionsDto;
  @ApiPropertyOptional({ enum: ENRICHMENTS, isArray: true, description: 'DataEnrichment: the columns to add' }) enrichments?: string[];
  @ApiPropertyOptional({
    type: 'array', description: 'Notebook: filters and calculators, in order; each cell has the options of its type',
    items: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: [...NOTEBOOK_CELL_TYPES] } }, additionalProperties: true },
  })
  cells?: Array<{ type: string; [option: string]: unknown }>;
  @ApiPropertyOptional({ description: 'Retry option' }) retryFailedRecords?: boolean;
  @ApiPropertyOptional({ description: 'Retry option' }) increaseMemoryLimit?: boolean;
}
