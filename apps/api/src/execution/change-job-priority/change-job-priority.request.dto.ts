import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { JOB_PRIORITIES, type JobPriority } from '../../../../../libs/job-domain/src/index.js';

export class ChangeJobPriorityRequestDto {
  @ApiProperty({ enum: JOB_PRIORITIES, example: 'High' })
  @IsIn(JOB_PRIORITIES as unknown as string[], { message: `priority must be one of: ${JOB_PRIORITIES.join(', ')}` })
  priority!: JobPriority;

  @ApiPropertyOptional({ example: 'Month-end close needs it first' })
  @IsOptional() @IsString() @MaxLength(1000)
  reason?: string;
}
