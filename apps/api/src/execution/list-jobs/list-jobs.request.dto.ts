import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  JOB_PRIORITIES, JOB_STATUSES, JOB_TYPES, type JobPriority, type JobStatus, type JobType,
} from '../../../../../libs/job-domain/src/index.js';
import { IsApiDate } from '../../http/api-dates.js';

/** Keeps the row offset far inside the store's 64-bit range. */
export const MAX_PAGE = 1_000_000;

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
  @IsOptional() @IsApiDate('dateFrom')
  dateFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Jobs submitted at or before this time (a date alone means the end of that day)' })
  @IsOptional() @IsApiDate('dateTo')
  dateTo?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'page must be an integer' }) @Min(1) @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'pageSize must be an integer' }) @Min(1) @Max(100)
  pageSize?: number;
}
