import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_PRIORITIES, JOB_STATUSES } from '../../../../../libs/job-domain/src/index.js';
import { WAITING_FOR } from '../shared/job-views.dto.js';

export class DurationRangeDto {
  @ApiProperty() low!: number;
  @ApiProperty() high!: number;
}

export class SubmitJobResponseDto {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: Number, description: '1-based place in claim order; null once the job left the queue' })
  queuePosition!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'From live capacity and recent durations; null without history' })
  estimatedStartTime!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '45-60 minutes', description: 'Interquartile range of recent durations of this job type' })
  estimatedDuration!: string | null;
  @ApiProperty({ nullable: true, type: DurationRangeDto }) estimatedDurationSeconds!: DurationRangeDto | null;
  @ApiProperty() jobName!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ format: 'date-time' }) dateSubmitted!: string;
  @ApiProperty() submittedBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) retryOf!: string | null;
  @ApiProperty() attempt!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) scheduledTime!: string | null;
  @ApiProperty({ ...WAITING_FOR, type: [String] }) waitingFor!: string[] | null;
}
