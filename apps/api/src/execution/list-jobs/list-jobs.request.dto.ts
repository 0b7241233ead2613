import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  JOB_PRIORITIES, JOB_STATUSES, JOB_TYPES, type JobPriority, type JobStatus, type JobType,
} from '../../../../../libs/job-domain/src/index.js';
import { IsApiDate } from '../../http/api-dates.js';
import { PageQueryDto } from '../shared/page-query.dto.js';

export class ListJobsRequestDto extends PageQueryDto {
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

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only dead-lettered jobs (true) or only the others (false)' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'deadLettered must be one of: true, false' })
  deadLettered?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date-time', description: 'Jobs submitted at or after this time' })
  @IsOptional() @IsApiDate('dateFrom')
  dateFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Jobs submitted at or before this time (a date alone means the end of that day)' })
  @IsOptional() @IsApiDate('dateTo')
  dateTo?: string;
}
