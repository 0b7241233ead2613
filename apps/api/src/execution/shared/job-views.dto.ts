/** OpenAPI schemas of the responses (the shapes built in job-views.ts and the handlers). */
import { FAILURE_CATEGORIES } from '../../../../../libs/job-domain/src/job-failure.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_PRIORITIES, JOB_STATUSES, JOB_TYPES } from '../../../../../libs/job-domain/src/index.js';
import { ProjectionStatusDto } from '../../admin/projection-status.dto.js';

const nullableString = { type: String, nullable: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;
const nullableDate = { type: String, format: 'date-time', nullable: true } as const;
/** `waitingFor` wherever a job is shown. */
export const WAITING_FOR = {
  nullable: true,
  description: 'The dependencies a Queued job still waits for (no claim takes it until this is empty); [] once all completed; null for a job without dependencies',
} as const;

export class JobProgressDto {
  @ApiProperty({ example: 65 }) percentage!: number;
  @ApiProperty({ example: 'Discovering' }) currentStage!: string;
  @ApiProperty({ ...nullableDate, description: 'Extrapolated from measured progress' }) estimatedCompletion!: string | null;
  @ApiProperty({ ...nullableString, example: '8 minutes 32 seconds' }) elapsedTime!: string | null;
  @ApiProperty({ ...nullableNumber, example: 512 }) elapsedSeconds!: number | null;
  @ApiProperty(nullableNumber) estimatedRemainingSeconds!: number | null;
}

export class JobResourceViewDto {
  @ApiProperty() resourceType!: string;
  @ApiProperty() resourceId!: string;
  @ApiProperty(nullableString) resourceName!: string | null;
}

export class JobExecutionViewDto {
  @ApiProperty(nullableDate) startTime!: string | null;
  @ApiProperty(nullableDate) endTime!: string | null;
  @ApiProperty() submittedBy!: string;
  @ApiProperty(nullableString) executionNode!: string | null;
  @ApiProperty({ ...nullableString, example: '2.1 GB' }) memoryUsage!: string | null;
  @ApiProperty(nullableNumber) memoryBytes!: number | null;
  @ApiProperty(nullableNumber) peakMemoryBytes!: number | null;
  @ApiProperty({ ...nullableString, example: '45%' }) cpuUsage!: string | null;
  @ApiProperty(nullableNumber) cpuPercent!: number | null;
  @ApiProperty({ ...nullableString, example: '890 MB' }) diskUsage!: string | null;
  @ApiProperty(nullableNumber) diskBytes!: number | null;
}

export class JobMetricsDto {
  @ApiProperty() recordsProcessed!: number;
  @ApiProperty(nullableNumber) totalRecords!: number | null;
  @ApiProperty() errorCount!: number;
  @ApiProperty() warningCount!: number;
  @ApiProperty({ ...nullableString, example: '1250 records/second' }) averageProcessingRate!: string | null;
  @ApiProperty(nullableNumber) recordsPerSecond!: number | null;
}

export class JobErrorDto {
  @ApiProperty({ example: 'Timeout' }) type!: string;
  @ApiProperty() message!: string;
}

export class JobFailureDto {
  @ApiProperty() errorType!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: Object.keys(FAILURE_CATEGORIES) }) category!: string;
  @ApiProperty({ description: 'Running the job again may succeed (automatic retries act on it)' }) retryable!: boolean;
}

export class NotificationDeliveryDto {
  @ApiProperty({ enum: ['completed', 'failed'] }) kind!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'] }) status!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() attempts!: number;
  @ApiProperty(nullableDate) sentAt!: string | null;
  @ApiProperty(nullableString) lastError!: string | null;
}

export class JobHoldDto {
  @ApiProperty() heldBy!: string;
  @ApiProperty({ format: 'date-time' }) heldAt!: string;
  @ApiProperty(nullableString) reason!: string | null;
}

export class JobStatusDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType!: string;
  @ApiProperty() jobName!: string;
  @ApiProperty(nullableString) jobDescription!: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ type: JobProgressDto }) progress!: JobProgressDto;
  @ApiProperty({ type: JobResourceViewDto, nullable: true }) resource!: JobResourceViewDto | null;
  @ApiProperty({ type: JobExecutionViewDto }) execution!: JobExecutionViewDto;
  @ApiProperty({ type: JobMetricsDto }) metrics!: JobMetricsDto;
  @ApiProperty({ type: 'object', additionalProperties: true }) scheduling!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) notifications!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) parameters!: Record<string, unknown>;
  @ApiProperty({ ...nullableString, format: 'uuid' }) retryOf!: string | null;
  @ApiProperty() attempt!: number;
  @ApiProperty({ ...nullableString, format: 'uuid' }) retriedBy!: string | null;
  @ApiProperty({ ...nullableString, format: 'uuid', description: 'The recurring schedule that submitted the job' }) scheduleId!: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time', description: 'The schedule\'s fire time this job is for' }) scheduleFireTime!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) cancellation!: Record<string, unknown> | null;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiProperty({ type: JobFailureDto, nullable: true }) failure!: JobFailureDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the automatic retry is due' }) nextRetryAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The job that retried this one' }) retriedAs!: string | null;
  @ApiProperty({ description: 'The last allowed attempt failed retryably' }) deadLettered!: boolean;
  @ApiProperty({ type: String, nullable: true }) deadLetterReason!: string | null;
  @ApiProperty({ type: JobHoldDto, nullable: true, description: 'Set while a Queued job is on hold: claims skip it' }) hold!: JobHoldDto | null;
  @ApiProperty({ nullable: true, type: [String], description: 'The jobs this one was submitted to wait for (a pipeline); null for a job without dependencies' })
  dependsOn!: string[] | null;
  @ApiProperty({ ...WAITING_FOR, type: [String] }) waitingFor!: string[] | null;
  @ApiPropertyOptional({
    ...nullableNumber, description: 'Get Job Status: place in claim order while Queued; null when held, its queue paused, or not queued',
  })
  queuePosition?: number | null;
  @ApiProperty({ format: 'date-time' }) dateCreated!: string;
  @ApiProperty({ format: 'date-time' }) lastUpdated!: string;
  @ApiPropertyOptional({ type: () => [NotificationDeliveryDto], description: 'Ended jobs with email recipients: how their notifications went' })
  notificationDelivery?: NotificationDeliveryDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Get Job Status with asOf: the time the job is shown at' })
  asOf?: string;
  @ApiPropertyOptional({ description: 'Get Job Status with asOf or asOfRevision: the last revision folded in' })
  asOfRevision?: number;
}

export class QueuedJobCommandResponseDto extends JobStatusDto {
  @ApiProperty({ ...nullableDate }) estimatedStartTime!: string | null;
  @ApiProperty({ ...nullableString, example: '45-60 minutes' }) estimatedDuration!: string | null;
  @ApiProperty({ type: 'object', nullable: true, properties: { low: { type: 'number' }, high: { type: 'number' } } })
  estimatedDurationSeconds!: { low: number; high: number } | null;
}

export class CancelJobResponseDto extends JobStatusDto {
  @ApiProperty({ description: 'True while a running job has not yet confirmed it stopped' }) cancellationPending!: boolean;
  @ApiProperty() message!: string;
}

export class JobListItemDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType!: string;
  @ApiProperty() jobName!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ example: 65 }) progress!: number;
  @ApiProperty(nullableDate) startTime!: string | null;
  @ApiProperty(nullableDate) endTime!: string | null;
  @ApiProperty({ ...nullableString, example: '23 minutes' }) duration!: string | null;
  @ApiProperty(nullableNumber) durationSeconds!: number | null;
  @ApiProperty(nullableDate) estimatedCompletion!: string | null;
  @ApiProperty() submittedBy!: string;
  @ApiProperty(nullableString) resourceName!: string | null;
  @ApiProperty({ format: 'date-time' }) dateCreated!: string;
  @ApiProperty({ ...nullableString, format: 'uuid' }) retryOf!: string | null;
  @ApiProperty() attempt!: number;
  @ApiProperty({ ...nullableString, format: 'date-time' }) nextRetryAt!: string | null;
  @ApiProperty(nullableString) retriedAs!: string | null;
  @ApiProperty() deadLettered!: boolean;
  @ApiProperty({ ...WAITING_FOR, type: [String] }) waitingFor!: string[] | null;
}

export class JobListSummaryDto {
  @ApiProperty() totalJobs!: number;
  @ApiProperty() runningJobs!: number;
  @ApiProperty() queuedJobs!: number;
  @ApiProperty() completedJobs!: number;
  @ApiProperty() failedJobs!: number;
  @ApiProperty() cancelledJobs!: number;
}

export class JobListDto {
  @ApiProperty({ type: [JobListItemDto] }) jobs!: JobListItemDto[];
  @ApiProperty({ type: JobListSummaryDto, description: 'Counts over the whole filtered set, not just this page' }) summary!: JobListSummaryDto;
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 20 }) pageSize!: number;
  @ApiProperty() hasNextPage!: boolean;
}

export class ArtifactDto {
  @ApiProperty({ format: 'uuid' }) artifactId!: string;
  @ApiProperty({ example: 'ProcessMiningReport' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'html' }) format!: string;
  @ApiProperty({ enum: ['reports', 'data', 'models', 'visualizations'] }) outputType!: string;
  @ApiProperty({ example: '2.3 MB' }) size!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiPropertyOptional() recordCount?: number;
  @ApiPropertyOptional({ description: 'Measured on a time-ordered holdout' }) accuracy?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' } }) metrics?: Record<string, number>;
  @ApiPropertyOptional({ format: 'uuid', description: 'Dataset registered from this output' }) datasetId?: string;
  @ApiProperty({ format: 'uri' }) downloadUrl!: string;
}

export class JobResultOutputsDto {
  @ApiProperty({ type: ArtifactDto, nullable: true }) primaryOutput!: ArtifactDto | null;
  @ApiProperty({ type: [ArtifactDto] }) additionalOutputs!: ArtifactDto[];
}

export class JobResultSummaryDto {
  @ApiProperty() recordsProcessed!: number;
  @ApiProperty() outputsGenerated!: number;
  @ApiProperty(nullableNumber) dataQualityScore!: number | null;
  @ApiProperty({ ...nullableNumber, description: 'CPU time / wall time of the job process, percent' }) processingEfficiency!: number | null;
}

export class ExecutionMetricsDto {
  @ApiProperty({ ...nullableString, example: '38.5 minutes' }) totalCpuTime!: string | null;
  @ApiProperty(nullableNumber) totalCpuSeconds!: number | null;
  @ApiProperty({ ...nullableString, example: '3.2 GB' }) peakMemoryUsage!: string | null;
  @ApiProperty(nullableNumber) peakMemoryBytes!: number | null;
  @ApiProperty(nullableNumber) diskIoOperations!: number | null;
  @ApiProperty(nullableNumber) diskBytesWritten!: number | null;
  @ApiProperty({ ...nullableString, description: 'Not measured (jobs read local files)' }) networkDataTransfer!: string | null;
}

export class CountedIssueDto {
  @ApiProperty({ example: 'DataQuality' }) type!: string;
  @ApiProperty({ example: 'Some timestamps had to be inferred' }) message!: string;
  @ApiProperty() count!: number;
}

export class DataValidationDto {
  @ApiProperty() totalRecords!: number;
  @ApiProperty() validRecords!: number;
  @ApiProperty() duplicatesRemoved!: number;
  @ApiProperty() invalidRecords!: number;
}

export class QualityMetricsDto {
  @ApiProperty({ type: DataValidationDto, nullable: true }) dataValidation!: DataValidationDto | null;
  @ApiProperty({ type: [CountedIssueDto] }) processingErrors!: CountedIssueDto[];
  @ApiProperty({ type: [CountedIssueDto] }) warnings!: CountedIssueDto[];
}

export class JobResultsDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty(nullableDate) completionTime!: string | null;
  @ApiProperty({ ...nullableString, example: '42 minutes' }) totalDuration!: string | null;
  @ApiProperty(nullableNumber) totalDurationSeconds!: number | null;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiProperty({ type: JobResultSummaryDto }) summary!: JobResultSummaryDto;
  @ApiProperty({ type: JobResultOutputsDto, nullable: true, description: 'null when includeArtifacts=false' }) results!: JobResultOutputsDto | null;
  @ApiProperty({ type: ExecutionMetricsDto, nullable: true }) executionMetrics!: ExecutionMetricsDto | null;
  @ApiProperty({ type: QualityMetricsDto }) qualityMetrics!: QualityMetricsDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'format=detailed: every computed figure' }) figures?: Record<string, unknown>;
}

export class ExecutionNodeDto {
  @ApiProperty() nodeId!: string;
  @ApiProperty({ enum: ['Active', 'Draining', 'Unresponsive'] }) status!: string;
  @ApiProperty({ description: 'percent of the node machine, measured' }) cpuUsage!: number;
  @ApiProperty({ ...nullableNumber, description: 'percent of the node machine, measured' }) memoryUsage!: number | null;
  @ApiProperty() activeJobs!: number;
  @ApiProperty() jobCapacity!: number;
  @ApiProperty() cpuCores!: number;
  @ApiProperty() memoryUsedBytes!: number;
  @ApiProperty() memoryTotalBytes!: number;
  @ApiProperty({ format: 'date-time' }) lastHeartbeat!: string;
}

export class QueueStatisticsDto {
  @ApiProperty() totalQueuedJobs!: number;
  @ApiProperty() criticalPriorityJobs!: number;
  @ApiProperty() highPriorityJobs!: number;
  @ApiProperty() normalPriorityJobs!: number;
  @ApiProperty() lowPriorityJobs!: number;
  @ApiProperty({ ...nullableString, example: '4.2 minutes' }) averageWaitTime!: string | null;
  @ApiProperty(nullableNumber) averageWaitSeconds!: number | null;
  @ApiProperty({ ...nullableString, example: '23 minutes' }) estimatedProcessingTime!: string | null;
  @ApiProperty(nullableNumber) estimatedProcessingSeconds!: number | null;
  @ApiProperty({ description: "The tenant's dead-lettered jobs (last allowed attempt failed retryably)" }) deadLetteredJobs!: number;
}

export class PerformanceMetricsDto {
  @ApiProperty() jobsCompletedToday!: number;
  @ApiProperty() jobsFailedToday!: number;
  @ApiProperty({ ...nullableString, example: '18.5 minutes' }) averageJobDuration!: string | null;
  @ApiProperty(nullableNumber) averageJobDurationSeconds!: number | null;
  @ApiProperty({ ...nullableNumber, example: 97.8 }) successRate!: number | null;
  @ApiProperty({ example: 35.2 }) throughputPerHour!: number;
}

export class ResourceUtilizationDto {
  @ApiProperty({ description: 'cores × 100 over live nodes' }) totalCpuCapacity!: number;
  @ApiProperty() usedCpuCapacity!: number;
  @ApiProperty({ example: '64 GB' }) totalMemoryCapacity!: string;
  @ApiProperty() totalMemoryBytes!: number;
  @ApiProperty({ example: '38.4 GB' }) usedMemoryCapacity!: string;
  @ApiProperty() usedMemoryBytes!: number;
  @ApiProperty({ ...nullableString, example: '2.3 TB' }) diskSpaceAvailable!: string | null;
  @ApiProperty(nullableNumber) diskSpaceAvailableBytes!: number | null;
}

export class SystemStatusDto {
  @ApiProperty({ enum: ['Healthy', 'Degraded', 'Unhealthy'] }) systemStatus!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: [ExecutionNodeDto] }) executionNodes!: ExecutionNodeDto[];
  @ApiProperty({ type: QueueStatisticsDto }) queueStatistics!: QueueStatisticsDto;
  @ApiProperty({ type: PerformanceMetricsDto }) performanceMetrics!: PerformanceMetricsDto;
  @ApiProperty({ type: ResourceUtilizationDto }) resourceUtilization!: ResourceUtilizationDto;
  @ApiProperty({ type: [ProjectionStatusDto], description: 'Each read model\'s projection: checkpoint, lag, leader and a rebuild in progress' })
  projections!: ProjectionStatusDto[];
}

export class JobHistoryEventDto {
  @ApiProperty({ description: '0-based index in the job stream' }) revision!: number;
  @ApiProperty({ example: '7431/12', description: 'Global position: transaction/sequence' }) position!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'JobSubmitted' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'tenantId, projectId, actor, correlationId, causationId, occurredAt' })
  metadata!: Record<string, unknown>;
}

export class JobHistoryDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ example: 'job-cc0e8400-e29b-41d4-a716-446655440000' }) streamId!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty({ type: [JobHistoryEventDto] }) events!: JobHistoryEventDto[];
  @ApiPropertyOptional() asOfRevision?: number;
  @ApiPropertyOptional({ type: JobStatusDto }) jobAsOfRevision?: JobStatusDto;
}
