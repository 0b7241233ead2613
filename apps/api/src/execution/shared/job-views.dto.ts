/** OpenAPI schemas of the responses (the shapes built in job-views.ts and the handlers). */
import { FAILURE_CATEGORIES } from '../../../../../libs/job-domain/src/job-failure.js';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import { EVENT_CLASSIFIERS } from '../../../../../libs/mining/src/log-transforms/event-classifier.js';
import { JOB_PRIORITIES, JOB_STATUSES, JOB_TYPES } from '../../../../../libs/job-domain/src/index.js';
import { ProjectionStatusDto } from '../../admin/projection-status.dto.js';
import { JobParametersDto } from './job-parameters.dto.js';
import { JOB_FIGURES_SECTIONS } from './job-figures.schema.js';
import { TIME_WINDOW_MODES } from '../../../../../libs/mining/src/analysis/time-window.js';

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

export class JobSchedulingViewDto {
  @ApiProperty() executeImmediately!: boolean;
  @ApiProperty({ ...nullableDate, description: 'The job is not started before it; null: as soon as a node is free' }) scheduledTime!: string | null;
  @ApiProperty() timeoutMinutes!: number;
  @ApiProperty({ description: 'Attempts in all, automatic retries included' }) maxAttempts!: number;
}

export class JobWebhookViewDto {
  @ApiProperty({ format: 'uri' }) url!: string;
  @ApiProperty({ description: 'Messages to it are signed (a secret was given)' }) secretSet!: boolean;
}

export class NotificationDeliveryAttemptDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ ...nullableNumber, description: "The receiver's HTTP status; null when none came back, and for e-mails" }) responseStatus!: number | null;
  @ApiProperty(nullableString) error!: string | null;
}

export class NotificationDeliveryViewDto {
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: string;
  @ApiProperty({ ...nullableString, description: 'The webhook URL; null for an e-mail' }) target!: string | null;
  @ApiProperty({ ...nullableNumber, description: 'E-mail: how many recipients' }) recipientCount!: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Webhook: signed per Standard Webhooks' }) signed!: boolean | null;
  @ApiProperty({ enum: ['job.completed', 'job.failed', 'job.cancelled'] }) event!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty(nullableDate) deliveredAt!: string | null;
  @ApiProperty(nullableDate) lastAttemptAt!: string | null;
  @ApiProperty(nullableNumber) lastResponseStatus!: number | null;
  @ApiProperty(nullableString) lastError!: string | null;
  @ApiProperty(nullableDate) nextAttemptAt!: string | null;
  @ApiProperty({ type: [NotificationDeliveryAttemptDto] }) attemptLog!: NotificationDeliveryAttemptDto[];
}

export class JobNotificationsViewDto {
  @ApiProperty() onCompletion!: boolean;
  @ApiProperty() onFailure!: boolean;
  @ApiProperty() onCancellation!: boolean;
  @ApiProperty({ type: [String] }) emailRecipients!: string[];
  @ApiProperty({ type: [JobWebhookViewDto] }) webhooks!: JobWebhookViewDto[];
  @ApiPropertyOptional({ type: [NotificationDeliveryViewDto], description: 'Get Job Status, once the job has ended with recipients or webhooks' })
  deliveries?: NotificationDeliveryViewDto[];
}

export class JobCancellationViewDto {
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty(nullableString) reason!: string | null;
  @ApiProperty() forceTermination!: boolean;
  @ApiProperty() preservePartialResults!: boolean;
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
  @ApiProperty({ type: JobSchedulingViewDto }) scheduling!: JobSchedulingViewDto;
  @ApiProperty({ type: JobNotificationsViewDto }) notifications!: JobNotificationsViewDto;
  @ApiProperty({ type: JobParametersDto }) parameters!: JobParametersDto;
  @ApiProperty({ ...nullableString, format: 'uuid' }) retryOf!: string | null;
  @ApiProperty() attempt!: number;
  @ApiProperty({ ...nullableString, format: 'uuid' }) retriedBy!: string | null;
  @ApiProperty({ ...nullableString, format: 'uuid', description: 'The recurring schedule that submitted the job' }) scheduleId!: string | null;
  @ApiProperty({ ...nullableString, format: 'date-time', description: 'The schedule\'s fire time this job is for' }) scheduleFireTime!: string | null;
  @ApiProperty({ type: JobCancellationViewDto, nullable: true }) cancellation!: JobCancellationViewDto | null;
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

export class LogSummaryDto {
  @ApiProperty() caseCount!: number;
  @ApiProperty() eventCount!: number;
  @ApiProperty() activityCount!: number;
  @ApiProperty() resourceCount!: number;
  @ApiProperty(nullableDate) firstTimestamp!: string | null;
  @ApiProperty(nullableDate) lastTimestamp!: string | null;
  @ApiProperty(nullableNumber) meanEventsPerCase!: number | null;
  @ApiProperty() hasStartTimestamps!: boolean;
}

export class TimeWindowAppliedDto {
  @ApiProperty({ enum: TIME_WINDOW_MODES }) mode!: string;
  @ApiProperty({ ...nullableDate, description: 'Effective inclusive bound; null: unbounded' }) from!: string | null;
  @ApiProperty({ ...nullableDate, description: 'Effective inclusive bound; null: unbounded' }) to!: string | null;
  @ApiProperty() casesBefore!: number;
  @ApiProperty() casesAfter!: number;
  @ApiProperty() eventsBefore!: number;
  @ApiProperty() eventsAfter!: number;
}

export class EventClassifierFiguresDto {
  @ApiProperty({ enum: EVENT_CLASSIFIERS }) classifier!: string;
  @ApiProperty({ enum: ['requested', 'default'] }) basis!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() eventsBefore!: number;
  @ApiProperty() eventsAfter!: number;
  @ApiProperty({
    type: 'object', nullable: true, additionalProperties: true,
    description: 'How the lifecycle transitions pair up (see libs/mining/README.md); null when the log has none',
  })
  lifecycle!: Record<string, unknown> | null;
}

/**
 * The figures the job types write, typed: the common ones here, each type's own sections
 * (variants, performance, dfg, conformance, processModel, enrichment, cells, …) in
 * job-figures.schema.ts. Open to sections a later engine adds.
 * Cast: the decorator's option types cannot say `allOf` beside a description, which OpenAPI allows.
 */
const JOB_FIGURES_SCHEMA = {
  type: 'object', nullable: true, additionalProperties: true,
  description: "format=detailed: every computed figure (null when the job wrote none); each job type writes the sections it computed",
  properties: {
    analysisType: { type: 'string', description: 'ProcessMining and Analysis: the analysis run' },
    eventClassifier: { $ref: getSchemaPath(EventClassifierFiguresDto) },
    timeWindow: { allOf: [{ $ref: getSchemaPath(TimeWindowAppliedDto) }], description: 'The time window the job was limited to, and what it kept' },
    summary: { allOf: [{ $ref: getSchemaPath(LogSummaryDto) }], nullable: true },
    ...JOB_FIGURES_SECTIONS,
  },
} as ApiPropertyOptions;

export interface JobFigures {
  readonly analysisType?: string;
  readonly eventClassifier?: EventClassifierFiguresDto;
  readonly timeWindow?: TimeWindowAppliedDto;
  readonly summary?: LogSummaryDto | null;
  readonly [section: string]: unknown;
}

@ApiExtraModels(EventClassifierFiguresDto, LogSummaryDto, TimeWindowAppliedDto)
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
  @ApiPropertyOptional(JOB_FIGURES_SCHEMA) figures?: JobFigures | null;
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

export class EventMetadataDto {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ description: 'Who caused it: the token subject, or the service role (e.g. supervisor)' }) actor!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class JobHistoryEventDto {
  @ApiProperty({ description: '0-based index in the job stream' }) revision!: number;
  @ApiProperty({ example: '7431/12', description: 'Global position: transaction/sequence' }) position!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'JobSubmitted' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The fact itself; its shape is given by `type` and `schemaVersion`' })
  data!: Record<string, unknown>;
  @ApiProperty({ type: EventMetadataDto }) metadata!: EventMetadataDto;
}

export class JobHistoryDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ example: 'job-cc0e8400-e29b-41d4-a716-446655440000' }) streamId!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty({ type: [JobHistoryEventDto] }) events!: JobHistoryEventDto[];
  @ApiPropertyOptional() asOfRevision?: number;
  @ApiPropertyOptional({ type: JobStatusDto }) jobAsOfRevision?: JobStatusDto;
}
