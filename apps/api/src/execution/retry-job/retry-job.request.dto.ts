import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { JOB_PRIORITIES, type JobPriority } from '../../../../../libs/job-domain/src/index.js';

export class RetryJobRequestDto {
  @ApiPropertyOptional({ example: 'Infrastructure issue resolved' })
  @IsOptional() @IsString() @MaxLength(1000)
  retryReason?: string;

  @ApiPropertyOptional({ default: false, description: 'Apply updatedParameters to the retried job' })
  @IsOptional() @IsBoolean()
  modifyParameters?: boolean;

  @ApiPropertyOptional({
    type: 'object', additionalProperties: true,
    description: 'Merged into the job parameters; `timeoutMinutes` sets the new timeout',
    example: { timeoutMinutes: 180, retryFailedRecords: true, increaseMemoryLimit: true },
  })
  @IsOptional() @IsObject()
  updatedParameters?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: JOB_PRIORITIES })
  @IsOptional() @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority?: JobPriority;

  @ApiPropertyOptional({ default: false, description: 'Start as soon as a node is free, ignoring the original scheduled time' })
  @IsOptional() @IsBoolean()
  immediateExecution?: boolean;
}
