import { ApiProperty } from '@nestjs/swagger';
import { DurationRangeDto } from '../../execution/submit-job/submit-job.response.dto.js';
import { OPERATION_STATUSES } from '../../../../../libs/job-domain/src/index.js';

export class StartOperationResponseDto {
  @ApiProperty({ example: 'op-ee0e8400-e29b-41d4-a716-446655440000', description: 'op-<jobId of the first attempt>' }) operationId!: string;
  @ApiProperty({ example: 'ProcessMiningAnalysis' }) operationType!: string;
  @ApiProperty() operationName!: string;
  @ApiProperty({ enum: OPERATION_STATUSES, example: 'Initiated' }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: '45-60 minutes', description: 'From measured run times of the tenant\'s recent jobs of this type on logs of this size; null without such history' })
  estimatedDuration!: string | null;
  @ApiProperty({ nullable: true, type: DurationRangeDto }) estimatedDurationSeconds!: DurationRangeDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Estimated start plus the longer estimated duration; null when either is unknown' })
  estimatedCompletion!: string | null;
  @ApiProperty({ example: '/api/{tenantId}/{projectId}/async/operation/op-ee0e8400-e29b-41d4-a716-446655440000' }) trackingUrl!: string;
  @ApiProperty({ example: 2, description: 'How many callbacks (onProgress, onCompletion, onError) were registered' }) webhooksRegistered!: number;
  @ApiProperty({ format: 'uuid', description: 'The job that runs the first attempt' }) jobId!: string;
  @ApiProperty({ nullable: true, type: Number }) queuePosition!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) estimatedStartTime!: string | null;
  @ApiProperty({ format: 'date-time' }) dateSubmitted!: string;
  @ApiProperty() submittedBy!: string;
}
