import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  JOB_PRIORITIES, JOB_STATUSES, JOB_TYPES, type JobPriority, type JobStatus, type JobType,
} from '../../../../../libs/job-domain/src/index.js';

export class ListJobsRequestDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional() @IsIn(JOB_STATUSES as unknown as string[], { message: `status must be one of: ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional() @IsIn(JOB_TYPES as unknown as string[], { message: `jobType must be one of: ${JOB_TYPES.join(', ')}` })
  jobType?: JobType;

  @ApiPropertyOptional({ enum: JOB_PRIORITIES })
  @IsOptional() @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority?: JobPriority;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(200)
  submittedBy?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Jobs submitted at or after this time' })
  @IsOptional() @IsISO8601({}, { message: 'dateFrom must be an ISO 8601 date or date-time' })
  dateFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Jobs submitted at or before this time (a date alone means the end of that day)' })
  @IsOptional() @IsISO8601({}, { message: 'dateTo must be an ISO 8601 date or date-time' })
  dateTo?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'page must be an integer' }) @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'pageSize must be an integer' }) @Min(1) @Max(100)
  pageSize?: number;
}
