import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString,
  MaxLength, Max, Min, ValidateNested,
} from 'class-validator';
import { JOB_PRIORITIES, JOB_TYPES, type JobPriority, type JobType } from '../../../../../libs/job-domain/src/index.js';
import { RetryPolicyDto } from '../shared/retry-policy.js';
import { JobParametersDto } from '../shared/job-parameters.dto.js';

export class JobResourceDto {
  @ApiProperty({ example: 'Pipeline' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  resourceType!: string;

  @ApiProperty({ example: '770e8400-e29b-41d4-a716-446655440000' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  resourceId!: string;

  @ApiPropertyOptional({ example: 'Customer Analytics Pipeline' })
  @IsOptional() @IsString() @MaxLength(200)
  resourceName?: string;
}

export class JobSchedulingDto {
  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  executeImmediately?: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: null, description: 'ISO 8601; the job is not started before it' })
  @IsOptional() @IsISO8601({ strict: true })
  scheduledTime?: string | null;

  @ApiPropertyOptional({ default: 120, minimum: 1, maximum: 10080 })
  @IsOptional() @IsInt() @Min(1) @Max(10080)
  timeoutMinutes?: number;

  @ApiPropertyOptional({
    minimum: 1, maximum: 10, description: 'Attempts in all, automatic retries of retryable failures included (default MAX_ATTEMPTS, 3); 1 = never retried automatically',
  })
  @IsOptional() @IsInt() @Min(1) @Max(10)
  maxAttempts?: number;
}

export class JobNotificationsDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional() @IsBoolean()
  onCompletion?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional() @IsBoolean()
  onFailure?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['analyst@company.com'] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsEmail({}, { each: true })
  emailRecipients?: string[];

  @ApiPropertyOptional({ default: false, description: 'E-mail the recipients when the job is cancelled' })
  @IsOptional() @IsBoolean()
  onCancellation?: boolean;

  // Entries are checked by the submit handler, so that a 400 names notifications.webhooks[i].url / .secret.
  @ApiPropertyOptional({
    description: 'Receivers of job.completed, job.failed and job.cancelled, signed per Standard Webhooks when a secret (whsec_<base64>) is given',
    type: 'array', items: { type: 'object', properties: { url: { type: 'string' }, secret: { type: 'string' } }, required: ['url'] },
    example: [{ url: 'https://hooks.company.com/jobs', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
  })
  @IsOptional() @IsArray()
  webhooks?: unknown[];
}

export class SubmitJobRequestDto {
  @ApiProperty({ example: 'Weekly Process Analysis' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  jobName!: string;

  @ApiPropertyOptional({ example: 'Automated weekly analysis of process performance' })
  @IsOptional() @IsString() @MaxLength(2000)
  jobDescription?: string;

  @ApiProperty({ enum: JOB_TYPES })
  @IsIn(JOB_TYPES as unknown as string[], { message: `jobType must be one of: ${JOB_TYPES.join(', ')}` })
  jobType!: JobType;

  @ApiPropertyOptional({ enum: JOB_PRIORITIES, default: 'Normal' })
  @IsOptional() @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority?: JobPriority;

  @ApiPropertyOptional({ type: JobResourceDto })
  @IsOptional() @ValidateNested() @Type(() => JobResourceDto)
  resource?: JobResourceDto;

  @ApiProperty({
    type: JobParametersDto,
    description: 'Job-type specific; `datasetId` names the uploaded event log the job reads',
    example: { datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType: 'comprehensive' },
  })
  @IsObject()
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional({ type: JobSchedulingDto })
  @IsOptional() @ValidateNested() @Type(() => JobSchedulingDto)
  scheduling?: JobSchedulingDto;

  @ApiPropertyOptional({ type: JobNotificationsDto })
  @IsOptional() @ValidateNested() @Type(() => JobNotificationsDto)
  notifications?: JobNotificationsDto;

  @ApiPropertyOptional({ type: RetryPolicyDto, description: 'The job\'s own automatic-retry back-off (replaces RETRY_BASE_SECONDS and its doubling with jitter)' })
  @IsOptional() @ValidateNested() @Type(() => RetryPolicyDto)
  retryPolicy?: RetryPolicyDto;

  // Entries are checked by the submit handler (job-dependencies.ts), so that a 400 names dependsOn[i].
  @ApiPropertyOptional({
    type: [String], maxItems: 50, example: ['770e8400-e29b-41d4-a716-446655440001'],
    description: 'Jobs of this project that must complete first (a pipeline): the job stays Queued, waiting, until all are Completed, '
      + 'and fails if one fails for good or is cancelled',
  })
  @IsOptional() @IsArray()
  dependsOn?: unknown[];
}
