import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JOB_LOG_LEVELS, type JobLogLevel } from '../../../../../libs/job-logs/src/job-log.js';
import { IsApiDate } from '../../http/api-dates.js';

export const LOG_FORMATS = ['structured', 'raw'] as const;
export const DEFAULT_LOG_LIMIT = 1000;
export const MAX_LOG_LIMIT = 10_000;

export class GetJobLogsRequestDto {
  @ApiPropertyOptional({ enum: JOB_LOG_LEVELS, default: 'INFO', description: 'Lines of this level and above' })
  @IsOptional() @IsIn(JOB_LOG_LEVELS as unknown as string[], { message: `level must be one of: ${JOB_LOG_LEVELS.join(', ')}` })
  level?: JobLogLevel;

  @ApiPropertyOptional({ description: 'Lines at or after this time (ISO 8601; without a zone: UTC)' })
  @IsOptional() @IsApiDate('fromTime')
  fromTime?: string;

  @ApiPropertyOptional({ description: 'Lines at or before this time (ISO 8601; without a zone: UTC)' })
  @IsOptional() @IsApiDate('toTime')
  toTime?: string;

  @ApiPropertyOptional({ default: DEFAULT_LOG_LIMIT, minimum: 1, maximum: MAX_LOG_LIMIT, description: 'Most lines returned (the oldest first)' })
  @IsOptional() @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' }) @Max(MAX_LOG_LIMIT, { message: `limit must be at most ${MAX_LOG_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ enum: LOG_FORMATS, default: 'structured', description: 'raw: the lines as plain text, one a line' })
  @IsOptional() @IsIn(LOG_FORMATS as unknown as string[], { message: `format must be one of: ${LOG_FORMATS.join(', ')}` })
  format?: (typeof LOG_FORMATS)[number];
}
