import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JOB_PRIORITIES, JOB_TYPES, type JobPriority, type JobType } from '../../../../../libs/job-domain/src/index.js';
import { MAX_PAGE } from '../list-jobs/list-jobs.request.dto.js';

export class GetQueueRequestDto {
  @ApiPropertyOptional({ enum: JOB_PRIORITIES, description: 'Only jobs of this priority' })
  @IsOptional() @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority?: JobPriority;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional() @IsIn(JOB_TYPES as unknown as string[], { message: `jobType must be one of: ${JOB_TYPES.join(', ')}` })
  jobType?: JobType;

  @ApiPropertyOptional({ default: true, description: 'false: the estimate fields are null and not computed' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeEstimates must be true or false' })
  includeEstimates?: boolean;

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'page must be an integer' }) @Min(1) @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'pageSize must be an integer' }) @Min(1) @Max(100)
  pageSize?: number;
}
