import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { JOB_PRIORITIES, type JobPriority } from '../../../../../libs/job-domain/src/index.js';
import { RetryPolicyDto } from '../../execution/shared/retry-policy.js';
import { OPERATION_TYPE_NAMES, type OperationType } from '../shared/operation-types.js';

// URLs and the secret are checked by the handler against WEBHOOK_ALLOWED_HOSTS, so a 400 names callbacks.<field>.
export class OperationCallbacksDto {
  @ApiPropertyOptional({ example: 'https://hooks.company.com/operations/progress', description: 'operation.progress, at most once per OPERATION_PROGRESS_CALLBACK_SECONDS window, and a final one' })
  @IsOptional() @IsString()
  onProgress?: string;

  @ApiPropertyOptional({ example: 'https://hooks.company.com/operations/done', description: 'operation.completed' })
  @IsOptional() @IsString()
  onCompletion?: string;

  @ApiPropertyOptional({ example: 'https://hooks.company.com/operations/error', description: 'operation.failed (once no retry follows) and operation.cancelled' })
  @IsOptional() @IsString()
  onError?: string;

  @ApiPropertyOptional({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signs every callback (Standard Webhooks); without it they are sent unsigned' })
  @IsOptional() @IsString()
  secret?: string;
}

export class OperationSlackDto {
  @ApiPropertyOptional({ example: '#process-mining' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  channel?: string;

  @ApiPropertyOptional({ type: [String], example: ['U024BE7LH'], description: 'Slack user ids (mentioned as <@id>) or names (@name)' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(100, { each: true })
  mentionUsers?: string[];
}

export class OperationNotificationsDto {
  @ApiPropertyOptional({ type: [String], example: ['analyst@company.com'], description: 'E-mailed when an attempt completes or fails' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsEmail({}, { each: true })
  email?: string[];

  @ApiPropertyOptional({ type: OperationSlackDto, description: 'A message to SLACK_WEBHOOK_URL when the operation ends (a 400 when it is not configured)' })
  @IsOptional() @ValidateNested() @Type(() => OperationSlackDto)
  slack?: OperationSlackDto;
}

export class StartOperationRequestDto {
  @ApiProperty({ enum: OPERATION_TYPE_NAMES, example: 'ProcessMiningAnalysis' })
  @IsIn(OPERATION_TYPE_NAMES, { message: `operationType must be one of: ${OPERATION_TYPE_NAMES.join(', ')}` })
  operationType!: OperationType;

  @ApiProperty({ example: 'Quarterly process analysis' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  operationName!: string;

  @ApiPropertyOptional({ example: 'Discovery and performance of Q1' })
  @IsOptional() @IsString() @MaxLength(2000)
  operationDescription?: string;

  @ApiPropertyOptional({ enum: JOB_PRIORITIES, default: 'Normal' })
  @IsOptional() @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority?: JobPriority;

  @ApiProperty({
    type: 'object', additionalProperties: true,
    description: 'The job\'s parameters (datasetId, analysisType, timeWindow, …) plus algorithmSettings {algorithm, noiseThreshold} and outputOptions {generateReports, createVisualizations, exportFormats}',
    example: {
      datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType: 'comprehensive',
      timeWindow: { startDate: '2024-01-01', endDate: '2024-03-31' },
      algorithmSettings: { algorithm: 'inductive-infrequent', noiseThreshold: 0.2 },
      outputOptions: { generateReports: true, createVisualizations: true, exportFormats: ['html', 'svg', 'csv'] },
    },
  })
  @IsObject()
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional({ type: OperationCallbacksDto })
  @IsOptional() @ValidateNested() @Type(() => OperationCallbacksDto)
  callbacks?: OperationCallbacksDto;

  @ApiPropertyOptional({ type: OperationNotificationsDto })
  @IsOptional() @ValidateNested() @Type(() => OperationNotificationsDto)
  notifications?: OperationNotificationsDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 604800, default: 7200, description: 'Seconds; each attempt\'s timeout, rounded up to whole minutes' })
  @IsOptional() @IsInt() @Min(1) @Max(604800)
  timeout?: number;

  @ApiPropertyOptional({ type: RetryPolicyDto })
  @IsOptional() @ValidateNested() @Type(() => RetryPolicyDto)
  retryPolicy?: RetryPolicyDto;
}
