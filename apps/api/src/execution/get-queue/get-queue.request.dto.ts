import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { JOB_PRIORITIES, JOB_TYPES, type JobPriority, type JobType } from '../../../../../libs/job-domain/src/index.js';
import { PageQueryDto } from '../shared/page-query.dto.js';

export class GetQueueRequestDto extends PageQueryDto {
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
}
