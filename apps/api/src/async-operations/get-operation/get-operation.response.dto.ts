import { ApiProperty } from '@nestjs/swagger';
import { JOB_PRIORITIES, JOB_STATUSES, OPERATION_STATUSES } from '../../../../../libs/job-domain/src/index.js';
import { RetryPolicyDto } from '../../execution/shared/retry-policy.js';

export class OperationProgressDto {
  @ApiProperty() percentage!: number;
  @ApiProperty({ example: 'Discovering' }) currentStage!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Extrapolated from measured progress; null when unknown' }) estimatedCompletion!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '8 minutes 32 seconds' }) elapsedTime!: string | null;
  @ApiProperty({ nullable: true, type: Number }) elapsedSeconds!: number | null;
  @ApiProperty() recordsProcessed!: number;
  @ApiProperty({ nullable: true, type: Number }) totalRecords!: number | null;
}

export class OperationErrorDto {
  @ApiProperty({ example: 'ExecutionError' }) type!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: String, example: 'RunnerCrashed' }) category!: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) retryable!: boolean | null;
}

export class OperationAttemptDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: OperationErrorDto }) error!: OperationErrorDto | null;
  @ApiProperty({ example: '/api/{tenantId}/{projectId}/execution/job/{jobId}' }) statusUrl!: string;
}

export class OperationAttemptsDto {
  @ApiProperty({ description: 'The current attempt (1 for the first)' }) current!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the next automatic retry is due' }) nextRetryAt!: string | null;
  @ApiProperty({ type: [OperationAttemptDto], description: 'Every attempt, first to current' }) history!: OperationAttemptDto[];
}

export class OperationArtifactDto {
  @ApiProperty() artifactId!: string;
  @ApiProperty({ example: 'ProcessMiningReport' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'html' }) format!: string;
  @ApiProperty({ enum: ['reports', 'data', 'models', 'visualizations'] }) outputType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() downloadUrl!: string;
}

export class OperationResultsDto {
  @ApiProperty({ example: '/api/{tenantId}/{projectId}/execution/job/{jobId}/results' }) resultsUrl!: string;
  @ApiProperty({ type: [OperationArtifactDto], description: 'The artifacts outputOptions ask for (all without outputOptions)' }) artifacts!: OperationArtifactDto[];
}

export class OperationCallbacksViewDto {
  @ApiProperty({ nullable: true, type: String }) onProgress!: string | null;
  @ApiProperty({ nullable: true, type: String }) onCompletion!: string | null;
  @ApiProperty({ nullable: true, type: String }) onError!: string | null;
  @ApiProperty({ description: 'Whether callbacks are signed (the secret is never shown)' }) secretSet!: boolean;
}

export class OperationStatusDto {
  @ApiProperty({ example: 'op-ee0e8400-e29b-41d4-a716-446655440000' }) operationId!: string;
  @ApiProperty({ example: 'ProcessMiningAnalysis' }) operationType!: string;
  @ApiProperty() operationName!: string;
  @ApiProperty({ nullable: true, type: String }) operationDescription!: string | null;
  @ApiProperty({ enum: OPERATION_STATUSES, description: 'Initiated (first attempt queued), Running, Retrying (an attempt failed and another follows), Completed, Failed, Cancelled' })
  status!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ format: 'uuid', description: 'The current attempt\'s job' }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) jobStatus!: string;
  @ApiProperty({ type: OperationProgressDto }) progress!: OperationProgressDto;
  @ApiProperty({ type: OperationAttemptsDto }) attempts!: OperationAttemptsDto;
  @ApiProperty({ nullable: true, type: RetryPolicyDto }) retryPolicy!: RetryPolicyDto | null;
  @ApiProperty({ description: 'Each attempt\'s timeout, seconds' }) timeout!: number;
  @ApiProperty({ nullable: true, type: OperationResultsDto, description: 'Once Completed' }) results!: OperationResultsDto | null;
  @ApiProperty({ nullable: true, type: OperationErrorDto, description: 'Once Failed' }) error!: OperationErrorDto | null;
  @ApiProperty({ nullable: true, type: OperationCallbacksViewDto }) callbacks!: OperationCallbacksViewDto | null;
  @ApiProperty() webhooksRegistered!: number;
  @ApiProperty() trackingUrl!: string;
  @ApiProperty() submittedBy!: string;
  @ApiProperty({ format: 'date-time' }) dateCreated!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The first attempt\'s start' }) startTime!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the operation ended' }) endTime!: string | null;
  @ApiProperty({ format: 'date-time' }) lastUpdated!: string;
}
