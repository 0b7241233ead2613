/** OpenAPI schemas of the queue view and of the queue status a pause or resume answers with. */
import { ApiProperty } from '@nestjs/swagger';
import { JOB_PRIORITIES, JOB_TYPES, QUEUE_STATUSES } from '../../../../../libs/job-domain/src/index.js';
import { DurationRangeDto } from '../submit-job/submit-job.response.dto.js';
import { JobHoldDto, WAITING_FOR } from '../shared/job-views.dto.js';

const nullableString = { type: String, nullable: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;

export class QueuePauseDto {
  @ApiProperty() pausedBy!: string;
  @ApiProperty({ format: 'date-time' }) pausedAt!: string;
  @ApiProperty(nullableString) reason!: string | null;
}

export class ProjectQueueStatusDto {
  @ApiProperty({ enum: QUEUE_STATUSES }) queueStatus!: string;
  @ApiProperty({ type: QueuePauseDto, nullable: true }) pause!: QueuePauseDto | null;
}

export class QueueSummaryDto {
  @ApiProperty() totalQueuedJobs!: number;
  @ApiProperty() criticalPriorityJobs!: number;
  @ApiProperty() highPriorityJobs!: number;
  @ApiProperty() normalPriorityJobs!: number;
  @ApiProperty() lowPriorityJobs!: number;
  @ApiProperty({ description: 'Queued jobs no claim takes: on hold or waiting for dependencies (counted in the totals above)' }) heldJobs!: number;
  @ApiProperty({ description: 'Of the held jobs, those waiting for dependencies (a pipeline)' }) waitingJobs!: number;
  @ApiProperty({ ...nullableString, example: '8.5 minutes', description: 'Mean measured wait of the project\'s jobs started in the last 24 h' })
  averageWaitTime!: string | null;
  @ApiProperty(nullableNumber) averageWaitSeconds!: number | null;
  @ApiProperty({ ...nullableString, example: '47 minutes', description: 'Jobs not on hold × mean duration (7 days) / live job slots' })
  estimatedProcessingTime!: string | null;
  @ApiProperty(nullableNumber) estimatedProcessingSeconds!: number | null;
}

export class ProcessingCapacityDto {
  @ApiProperty({ description: 'Live nodes taking new jobs' }) activeWorkers!: number;
  @ApiProperty({ description: 'Every node with a heartbeat on record' }) totalWorkers!: number;
  @ApiProperty({ ...nullableNumber, example: 75, description: 'currentlyRunning / maxConcurrentJobs, percent' }) currentLoad!: number | null;
  @ApiProperty({ description: 'Job slots of the active workers' }) maxConcurrentJobs!: number;
  @ApiProperty({ description: 'Jobs the live nodes reported running' }) currentlyRunning!: number;
}

export class ResourceRequirementsDto {
  @ApiProperty({ ...nullableNumber, example: 0.95, description: 'Mean CPU time / wall time of past jobs of the type' }) cpuUnits!: number | null;
  @ApiProperty({ ...nullableNumber, example: 0.12, description: 'Mean peak memory of past jobs of the type' }) memoryGB!: number | null;
  @ApiProperty(nullableNumber) memoryBytes!: number | null;
  @ApiProperty({ ...nullableString, example: '1.2 GB', description: 'Bytes written per record by past jobs × this dataset\'s records' })
  estimatedDiskUsage!: string | null;
  @ApiProperty(nullableNumber) estimatedDiskBytes!: number | null;
  @ApiProperty({ description: 'Completed jobs of the type (7 days) behind the figures' }) basedOnJobs!: number;
}

export class QueuedJobDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() jobName!: string;
  @ApiProperty({ enum: JOB_TYPES }) jobType!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ ...nullableNumber, description: 'Place in claim order among all queued jobs; null when held or the queue is paused' })
  queuePosition!: number | null;
  @ApiProperty({ ...nullableString, format: 'date-time' }) estimatedStartTime!: string | null;
  @ApiProperty({ ...nullableString, example: '12-15 minutes' }) estimatedDuration!: string | null;
  @ApiProperty({ type: DurationRangeDto, nullable: true }) estimatedDurationSeconds!: DurationRangeDto | null;
  @ApiProperty() submittedBy!: string;
  @ApiProperty({ format: 'date-time' }) dateSubmitted!: string;
  @ApiProperty({ ...nullableString, format: 'date-time' }) scheduledTime!: string | null;
  @ApiProperty({ type: JobHoldDto, nullable: true }) hold!: JobHoldDto | null;
  @ApiProperty({ ...WAITING_FOR, type: [String] }) waitingFor!: string[] | null;
  @ApiProperty({ type: ResourceRequirementsDto, nullable: true, description: 'null with includeEstimates=false' })
  resourceRequirements!: ResourceRequirementsDto | null;
}

export class QueueViewDto extends ProjectQueueStatusDto {
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: QueueSummaryDto }) summary!: QueueSummaryDto;
  @ApiProperty({ type: ProcessingCapacityDto }) processingCapacity!: ProcessingCapacityDto;
  @ApiProperty({ type: [QueuedJobDto] }) queuedJobs!: QueuedJobDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() hasNextPage!: boolean;
}
